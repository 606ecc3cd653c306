// The POST of a create, for every kind, never two resources after an ambiguous request. A failed POST is classified:
// a conflict (409: the API holds one already), possibly applied (the request may have reached the API: reconciled by
// listing before anything is sent again), or fatal. Each has its handler, which answers with the resource to go on
// with or asks for the POST to be sent again. What is the kind's own (its POST, how the resource a lost request made
// is recognised, what a conflict means for it) comes in a CreatePlan.
import type { Item } from "./transport/body";
import { isApiError, type ApiError } from "./transport/api-error";
import type { ServerClock } from "./transport/server-clock";
import type { Deadline } from "./deadline";
import type { PollPolicy } from "./poll";

/** How often one create may wait for what holds its place to be released, and how many POSTs it sends at most. */
const CREATE_RETRY_LIMIT = 3;

/** What the kind tells a create. `C` is the kind's API client. */
export interface CreatePlan<C, S extends { phase: string; createdAt?: string }> {
  /** What is created, for progress lines, e.g. `AWS endpoint vpce-…`. */
  label: string;
  /** The kind in a word, e.g. "connection". */
  what: string;
  /** How what holds the place holds it, e.g. "attached" (a connection attaches an endpoint). */
  held: string;
  /** adoptExisting: take over an existing resource that fits instead of creating one. */
  adoptExisting: boolean;
  /**
   * What the API does with a second resource that fits. "refused" (a connection: one per endpoint in an attachment):
   * then one that fits but that no request of ours made holds the place, and a request of ours that may have been
   * applied was not. Otherwise (an attachment) such a resource says nothing of ours, and nothing stops a request of
   * ours that the API applies late from making a second one: `remove` deletes it (Creation.removeLateCopies).
   */
  duplicates: "refused" | { remove(api: C, id: string): Promise<void> };
  /** The collection's last path segment: a Location naming only it names no resource. */
  collectionSegment: string;
  /** Sends the POST; the new resource's id. */
  post(api: C): Promise<string>;
  /** Every live resource (not being deleted) that fits these inputs: what adoptExisting takes, what a lost POST may have made. */
  findFitting(api: C): Promise<Item<S>[]>;
  read(api: C, id: string): Promise<S>;
  /** Whether a failed request on `id` means it is gone (core/gone.ts); `log` is told when a 403 turns out to mean it. */
  isGone(api: C, id: string, error: unknown, log: (line: string) => void): Promise<boolean>;
  /** Whether the resource is what a POST with these inputs makes (the creation time is the core's to check). */
  isMadeFrom(state: S): boolean;
  /** Waits, within the create deadline, until `id` is gone (a conflict with a resource being deleted). */
  waitUntilGone(api: C, id: string, wait: CreateWait): Promise<void>;
  /** The error of a conflict with `existing` that no request of ours made, and adoptExisting not set. */
  taken(existing: string | undefined, cause: string): Error;
  /** The error of several resources that fit where one only can be gone on with: `why` says where, the kind what to do. */
  several(ids: string[], why: string): Error;
  /** The error of a request that may still be applied, found nowhere when the create deadline has passed. */
  mayStillApply(cause: string): Error;
}

/** What a wait within a create shares with it: the create deadline, the poll policy and the progress lines. */
interface CreateWait {
  deadline: Deadline;
  policy?: PollPolicy;
  log(line: string, changed: boolean): void;
}

/** What a create gets from the operation it is part of. */
export interface CreateRun<C> {
  /** The create's client, bounded by the create deadline. */
  api: C;
  deadline: Deadline;
  /** A client with a time limit of its own: whether a request created something is found out even after the deadline. */
  reconciler(): C;
  /** What the answers of both clients (`api`, `reconciler()`) tell of the API's clock. */
  serverClock: ServerClock;
  /** A line for the resource's row; `lasting` (default) ones are kept in its diagnostics too. */
  progress(line: string, lasting?: boolean): void;
  /** A warning on the resource's row. */
  warn(line: string): void;
  policy?: PollPolicy;
}

export interface Created {
  id: string;
  /** An existing resource taken over (adoptExisting), not one this create made. */
  adopted: boolean;
}

type Failure = { kind: "conflict"; error: ApiError } | { kind: "possibly-applied"; error: ApiError } | { kind: "fatal"; error: unknown };

const SEND_AGAIN = "send again";
type Next = Created | typeof SEND_AGAIN;

function classifyCreateFailure(error: unknown): Failure {
  if (isApiError(error, 409)) return { kind: "conflict", error };
  if (isApiError(error) && error.ambiguous) return { kind: "possibly-applied", error };
  return { kind: "fatal", error };
}

export class Creation<C, S extends { phase: string; createdAt?: string }> {
  private requests = 0;
  private deletionWaits = 0;
  /**
   * Set once a request of ours failed in a way that may have been applied: it may still be, later than the
   * reconciliation list that found nothing (a slow backend), and then the next POST meets it as a 409.
   */
  private oursMayLandLate = false;
  /** The client's time (ServerClock.mark) just before the first POST: nothing made earlier is ours. */
  private firstSentAt: number | undefined;

  constructor(private readonly run: CreateRun<C>, private readonly plan: CreatePlan<C, S>) {}

  async create(): Promise<Created> {
    const listed = this.plan.adoptExisting ? await this.adoptListed() : undefined;
    if (listed) return listed;
    for (;;) {
      const next = await this.send().catch((error: unknown) => this.recover(classifyCreateFailure(error)));
      if (next !== SEND_AGAIN) return next;
    }
  }

  /**
   * Deletes what a request of ours that may have been applied late made besides `kept` (only for a kind whose
   * duplicates the API does not refuse). It runs once the create has waited for `kept`, by which time a late request has had as long to
   * land as the wait took; one applied later still is not seen. Never fails the create: what it cannot delete is
   * named in a warning.
   */
  async removeLateCopies(kept: string): Promise<void> {
    const { duplicates } = this.plan;
    if (duplicates === "refused" || !this.oursMayLandLate) return;
    const api = this.run.reconciler();
    let found: string[];
    try {
      found = (await this.plan.findFitting(api)).filter(({ id, state }) => id !== kept && this.isOurs(state)).map(({ id }) => id);
    } catch (e) {
      this.run.warn(`could not look for a second ${this.plan.what} that an earlier create request for ${this.plan.label} may have made late (${(e as Error).message}); `
        + `if one besides ${kept} appears, delete it: it is not in the stack`);
      return;
    }
    for (const id of found) {
      try {
        await duplicates.remove(api, id);
        this.run.progress(`${id}: a second ${this.plan.what} for ${this.plan.label}, made by an earlier create request the API applied late; deleted it and kept ${kept}`);
      } catch (e) {
        this.run.warn(`${id} is a second ${this.plan.what} for ${this.plan.label}, made by an earlier create request the API applied late, and could not be deleted `
          + `(${(e as Error).message}); delete it: it is not in the stack, which keeps ${kept}`);
      }
    }
  }

  /** adoptExisting: a resource that already fits is taken over without a POST; several that fit are not chosen among. */
  private async adoptListed(): Promise<Created | undefined> {
    const fitting = await this.plan.findFitting(this.run.api);
    const existing = this.only(fitting, `adoptExisting takes over one existing ${this.plan.what}, and ${fitting.length} fit ${this.plan.label}`);
    if (!existing) return undefined;
    this.run.progress(`${existing.id}: adopting the existing ${this.plan.what} for ${this.plan.label} (adoptExisting)`);
    return { id: existing.id, adopted: true };
  }

  private async send(): Promise<Created> {
    this.requests++;
    if (this.firstSentAt === undefined) this.firstSentAt = this.run.serverClock.mark();
    return { id: await this.plan.post(this.run.api), adopted: false };
  }

  private recover(failure: Failure): Promise<Next> {
    switch (failure.kind) {
      case "conflict":
        return this.onConflict(failure.error);
      case "possibly-applied":
        return this.onPossiblyApplied(failure.error);
      case "fatal":
        throw failure.error;
    }
  }

  /** 409: the API holds one already. One being deleted, the one our earlier request made, or another. */
  private async onConflict(error: ApiError): Promise<Next> {
    // After a request of ours may have been applied, the resource this 409 names may be the one it made: it is
    // looked at with a time limit of its own (like the reconciliation list), so a create deadline passing
    // meanwhile cannot lose it.
    const lookup = this.oursMayLandLate ? this.run.reconciler() : this.run.api;
    const existing = this.idFromLocation(error.location) ?? (await this.conflicting(lookup, error.message))?.id;
    const current = existing ? await this.currentState(lookup, existing) : undefined;
    // The place is still held by a resource that is being deleted (e.g. deleted outside the program just before):
    // neither adopting it nor failing is right; create once it is gone.
    if (existing && this.deletionWaits < CREATE_RETRY_LIMIT && (current === "gone" || current?.phase === "DEPROVISIONING")) {
      this.deletionWaits++;
      this.run.progress(`${this.plan.label} is still ${this.plan.held} by ${existing}, which is being deleted: waiting until it is gone to create the new ${this.plan.what}`);
      await this.plan.waitUntilGone(this.run.api, existing, {
        deadline: this.run.deadline, policy: this.run.policy, log: (line, changed) => this.run.progress(line, changed),
      });
      return SEND_AGAIN;
    }
    if (existing && current !== undefined && current !== "gone" && this.isOurs(current)) {
      this.run.progress(`${existing}: the earlier create request for ${this.plan.label} failed in transit and was applied late; this is the ${this.plan.what} it made, continuing with it`);
      return { id: existing, adopted: false };
    }
    return this.taken(existing, error.message);
  }

  /** The place is held by `existing`, which no request of ours made: adopt it if asked to, else fail saying how. */
  private taken(existing: string | undefined, cause: string): Created {
    if (this.plan.adoptExisting && existing) {
      this.run.progress(`${existing}: adopting the existing ${this.plan.what} for ${this.plan.label} (adoptExisting)`);
      return { id: existing, adopted: true };
    }
    throw this.plan.taken(existing, cause);
  }

  /** The request may have reached the API: look before anything else, even when the create deadline has just passed. */
  private async onPossiblyApplied(error: ApiError): Promise<Next> {
    this.oursMayLandLate = true;
    // Accepted with an unreadable body: its Location names the new resource, no need to search.
    const accepted = error.status !== undefined && error.status >= 200 && error.status < 300 ? this.idFromLocation(error.location) : undefined;
    const fitting = accepted ? [] : await this.plan.findFitting(this.run.reconciler());
    const id = accepted ?? this.ours(fitting, error.message)?.id;
    if (id) {
      this.run.progress(`${id}: the create request failed in transit but the ${this.plan.what} was created; continuing with it`);
      return { id, adopted: false };
    }
    // Someone else's resource holds the place: the API refuses a second one, so ours was not applied and never
    // will be. What a 409 would have said. (Where the API holds several, someone else's say nothing of ours.)
    const holder = this.plan.duplicates === "refused" ? this.only(fitting, `${fitting.length} ${this.plan.what}s hold the place of ${this.plan.label} (${error.message})`) : undefined;
    if (holder) return this.taken(holder.id, error.message);
    if (this.run.deadline.passed()) throw this.plan.mayStillApply(error.message);
    if (this.requests >= CREATE_RETRY_LIMIT) throw error;
    this.run.progress(`create for ${this.plan.label} failed in transit and created nothing (checked); sending it again`);
    return SEND_AGAIN;
  }

  /** The resource a 409 with no Location is about: among those that fit, the one a request of ours made, else the only one. */
  private async conflicting(api: C, cause: string): Promise<Item<S> | undefined> {
    const fitting = await this.plan.findFitting(api);
    return this.ours(fitting, cause) ?? this.only(fitting, `the API refused to create ${this.plan.label}, and ${fitting.length} ${this.plan.what}s fit it (${cause})`);
  }

  /** The one of `fitting`, if any; several fail with `why`, naming them all, rather than one being picked. */
  private only(fitting: Item<S>[], why: string): Item<S> | undefined {
    if (fitting.length > 1) throw this.plan.several(fitting.map((f) => f.id), why);
    return fitting[0];
  }

  /**
   * Among the resources that fit, the one a create request of ours made (isOurs). Several that it can have made
   * (made since our first POST from the very same inputs: by someone else, or by two requests of ours when the
   * first was applied after the list that let the second be sent) cannot be told apart: none is taken for ours and
   * the create fails naming them all, rather than record one picked at random and leave the others unmanaged.
   */
  private ours(fitting: Item<S>[], cause: string): Item<S> | undefined {
    const ours = fitting.filter((f) => this.isOurs(f.state));
    return this.only(ours, `the create request for ${this.plan.label} failed in transit (${cause}), and ${ours.length} ${this.plan.what}s that it can have made were created since it was sent: which one it made cannot be told`);
  }

  /**
   * Whether a resource is the one a create request of ours made: only once one may have been applied, and only if
   * that request can have made it: made from these inputs, and created no earlier than the first POST was sent (on
   * the API's clock, as its answers' Date headers tell it). One someone else made earlier is told apart by its time
   * even when nothing else differs; one made meanwhile from the very same inputs cannot be, and is taken for ours.
   */
  private isOurs(state: S): boolean {
    if (!this.oursMayLandLate || this.firstSentAt === undefined || !this.plan.isMadeFrom(state)) return false;
    const createdAt = Date.parse(state.createdAt ?? "");
    return Number.isFinite(createdAt) && createdAt >= this.run.serverClock.earliestServerTime(this.firstSentAt);
  }

  /** The resource a 409 names, as it is now: "gone" once it no longer exists (it may be being deleted). */
  private async currentState(api: C, id: string): Promise<S | "gone"> {
    try {
      return await this.plan.read(api, id);
    } catch (e) {
      if (await this.plan.isGone(api, id, e, (line) => this.run.progress(line))) return "gone";
      throw e;
    }
  }

  private idFromLocation(location: string | undefined): string | undefined {
    if (!location) return undefined;
    try {
      const last = new URL(location, "https://api.confluent.cloud").pathname.split("/").filter(Boolean).pop();
      return last && last !== this.plan.collectionSegment ? decodeURIComponent(last) : undefined;
    } catch {
      return undefined;
    }
  }
}
