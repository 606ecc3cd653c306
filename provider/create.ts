// The POST of a create, never two connections for one endpoint. A failed POST is classified: a conflict (409: the
// endpoint is connected already), possibly applied (the request may have reached the API: reconciled by listing
// before anything is sent again), or fatal. Each has its handler, which answers with the connection to go on with
// or asks for the POST to be sent again.
import type { Deadline } from "./deadline";
import { isApiError, type ApiError } from "./http/api-error";
import type { ConfluentClient } from "./http/client";
import type { ServerClock } from "./http/server-clock";
import type { CheckedInputs } from "./inputs";
import { endpointOf, sameEndpoint, toCreateRequest, type Connection, type ConnectionInputs, type ConnectionState, type EndpointCarrier } from "./model";

/** How often one create may wait for its endpoint to be released, and how many POSTs it sends at most. */
const CREATE_RETRY_LIMIT = 3;

/** What a create needs from the provider operation it is part of. */
export interface CreateContext {
  /** The create's client, bounded by the create deadline. */
  api: ConfluentClient;
  deadline: Deadline;
  /** A client with a time limit of its own: whether a request created something is found out even after the deadline. */
  reconciler(): ConfluentClient;
  /** What the answers of both clients (`api`, `reconciler()`) tell of the API's clock. */
  serverClock: ServerClock;
  /** Whether a failed request on this connection means it is gone (gone.ts). */
  gone(api: ConfluentClient, connectionId: string): (error: unknown) => Promise<boolean>;
  /** Waits, within the create deadline, until the connection is gone. */
  waitUntilGone(connectionId: string): Promise<void>;
  progress(line: string, lasting?: boolean): void;
}

export interface Created {
  id: string;
  /** An existing connection taken over (adoptExisting), not one this create made. */
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

export function endpointLabel(inputs: EndpointCarrier): string {
  const endpoint = endpointOf(inputs);
  return endpoint ? `${endpoint.cloud} endpoint ${endpoint.id}` : "endpoint";
}

export class Creation {
  private readonly label: string;
  private requests = 0;
  private deletionWaits = 0;
  /**
   * Set once a request of ours failed in a way that may have been applied: it may still be, later than the
   * reconciliation list that found nothing (a slow backend), and then the next POST meets it as a 409.
   */
  private oursMayLandLate = false;
  /** The client's time (ServerClock.mark) just before the first POST: nothing made earlier is ours. */
  private firstSentAt: number | undefined;

  constructor(private readonly context: CreateContext, private readonly inputs: CheckedInputs) {
    this.label = endpointLabel(inputs);
  }

  async run(): Promise<Created> {
    const listed = this.inputs.adoptExisting === true ? await this.adoptListed() : undefined;
    if (listed) return listed;
    for (;;) {
      const next = await this.send().catch((error: unknown) => this.recover(classifyCreateFailure(error)));
      if (next !== SEND_AGAIN) return next;
    }
  }

  /** adoptExisting: a connection the attachment already lists for the endpoint is taken over without a POST. */
  private async adoptListed(): Promise<Created | undefined> {
    const existing = await this.findByEndpoint(this.context.api);
    if (!existing) return undefined;
    this.context.progress(`${existing.id}: adopting the existing connection for ${this.label} (adoptExisting)`);
    return { id: existing.id, adopted: true };
  }

  private async send(): Promise<Created> {
    this.requests++;
    if (this.firstSentAt === undefined) this.firstSentAt = this.context.serverClock.mark();
    const created = await this.context.api.createConnection(toCreateRequest(this.inputs));
    return { id: created.connection.id, adopted: false };
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

  /** 409: the endpoint is connected. To a connection being deleted, to the one our earlier request made, or to another. */
  private async onConflict(error: ApiError): Promise<Next> {
    // After a request of ours may have been applied, the connection this 409 names may be the one it made: it is
    // looked at with a time limit of its own (like the reconciliation list), so a create deadline passing
    // meanwhile cannot lose it.
    const lookup = this.oursMayLandLate ? this.context.reconciler() : this.context.api;
    const existing = idFromLocation(error.location) ?? (await this.findByEndpoint(lookup))?.id;
    const current = existing ? await this.currentState(lookup, existing) : undefined;
    // The endpoint is still held by a connection that is being deleted (e.g. deleted outside the program just
    // before): neither adopting it nor failing is right; create once it is gone.
    if (existing && this.deletionWaits < CREATE_RETRY_LIMIT && (current === "gone" || current?.phase === "DEPROVISIONING")) {
      this.deletionWaits++;
      this.context.progress(`${this.label} is still attached by ${existing}, which is being deleted: waiting until it is gone to create the new connection`);
      await this.context.waitUntilGone(existing);
      return SEND_AGAIN;
    }
    if (existing && current !== undefined && current !== "gone" && this.isOurs(current)) {
      this.context.progress(`${existing}: the earlier create request for ${this.label} failed in transit and was applied late; this is the connection it made, continuing with it`);
      return { id: existing, adopted: false };
    }
    return this.taken(existing, error.message);
  }

  /** The endpoint is connected by `existing`, which no request of ours made: adopt it if asked to, else fail saying how. */
  private taken(existing: string | undefined, cause: string): Created {
    if (this.inputs.adoptExisting === true && existing) {
      this.context.progress(`${existing}: adopting the existing connection for ${this.label} (adoptExisting)`);
      return { id: existing, adopted: true };
    }
    throw new Error(
      `${this.label} is already connected to ${this.inputs.privateLinkAttachment.id}${existing ? ` by ${existing}` : ""}. `
      + `Set adoptExisting: true on this resource to manage that connection from this program, or delete it first. (${cause})`,
    );
  }

  /** The request may have reached the API: look before anything else, even when the create deadline has just passed. */
  private async onPossiblyApplied(error: ApiError): Promise<Next> {
    this.oursMayLandLate = true;
    // Accepted with an unreadable body: its Location names the new connection, no need to search.
    const accepted = error.status !== undefined && error.status >= 200 && error.status < 300 ? idFromLocation(error.location) : undefined;
    const found = accepted ? undefined : await this.findByEndpoint(this.context.reconciler());
    if (accepted || (found && this.isOurs(found.state))) {
      const id = (accepted ?? found?.id) as string;
      this.context.progress(`${id}: the create request failed in transit but the connection was created; continuing with it`);
      return { id, adopted: false };
    }
    // Someone else's connection serves the endpoint: the API refuses a second one, so ours was not applied and never
    // will be. What a 409 would have said.
    if (found) return this.taken(found.id, error.message);
    if (this.context.deadline.passed()) {
      throw new Error(
        `${error.message}. No connection for ${this.label} was found afterwards, but the API may still apply the request: `
        + `if the next \`pulumi up\` reports that the endpoint is already connected, set adoptExisting: true to manage that connection.`,
      );
    }
    if (this.requests >= CREATE_RETRY_LIMIT) throw error;
    this.context.progress(`create for ${this.label} failed in transit and created nothing (checked); sending it again`);
    return SEND_AGAIN;
  }

  /**
   * Whether a connection is the one a create request of ours made: only once one may have been applied, and only
   * if that request can have made it: made from these inputs, and created no earlier than the first POST was sent
   * (on the API's clock, as its answers' Date headers tell it). One someone else made earlier for the endpoint is
   * told apart by its time even when nothing else differs (two unnamed connections); one made meanwhile with the
   * very same name cannot be, and is taken for ours.
   */
  private isOurs(state: ConnectionState): boolean {
    if (!this.oursMayLandLate || this.firstSentAt === undefined || !isMadeFrom(state, this.inputs)) return false;
    const createdAt = Date.parse(state.createdAt ?? "");
    return Number.isFinite(createdAt) && createdAt >= this.context.serverClock.earliestServerTime(this.firstSentAt);
  }

  /** The connection a 409 names, as it is now: "gone" once it no longer exists (it may be being deleted). */
  private async currentState(api: ConfluentClient, id: string): Promise<ConnectionState | "gone"> {
    try {
      return (await api.getConnection(id, this.inputs.environment.id)).state;
    } catch (e) {
      if (await this.context.gone(api, id)(e)) return "gone";
      throw e;
    }
  }

  /** The live connection (not being deleted) for this endpoint in the attachment, if any. */
  private async findByEndpoint(api: ConfluentClient): Promise<Connection | undefined> {
    const wanted = endpointOf(this.inputs);
    const items = await api.listConnections({ environmentId: this.inputs.environment.id, privateLinkAttachmentId: this.inputs.privateLinkAttachment.id });
    return items.find(({ state }) => wanted && sameEndpoint(endpointOf(state), wanted) && state.phase !== "DEPROVISIONING");
  }
}

/** Whether a connection is what a create request with these inputs makes: same environment, attachment, endpoint and display name. */
function isMadeFrom(state: ConnectionState, inputs: ConnectionInputs): boolean {
  return state.environment.id === inputs.environment.id
    && state.privateLinkAttachment.id === inputs.privateLinkAttachment.id
    && sameEndpoint(endpointOf(state), endpointOf(inputs))
    && (state.displayName ?? "") === (inputs.displayName ?? "");
}

function idFromLocation(location: string | undefined): string | undefined {
  if (!location) return undefined;
  try {
    const last = new URL(location, "https://api.confluent.cloud").pathname.split("/").filter(Boolean).pop();
    return last && last !== "private-link-attachment-connections" ? decodeURIComponent(last) : undefined;
  } catch {
    return undefined;
  }
}
