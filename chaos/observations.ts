// What one chaos schedule saw, per resource (labelled `a` for the schedule's attachment, `r<n>` for its connections):
// the ids the provider reported, the errors users saw, and what the emulator's own view contradicted. Judged once
// every lifecycle has ended (chaos/schedule.ts).
import type { Operation } from "./contract";

export type Step = "create" | "resume" | "refresh" | "read" | "update" | "read again" | "delete" | "destroy again" | "destroy";

export const OPERATION_OF: Record<Step, Operation> = {
  create: "create", resume: "update", refresh: "read", read: "read", update: "update", "read again": "read", delete: "delete", "destroy again": "delete", destroy: "delete",
};

/** A resource of the schedule as the observations know it. */
export interface Observed {
  label: string;
  /** What names it before it has an id (contract.ts ErrorContext.subject). */
  subject: string;
}

export interface RecordedError {
  label: string;
  step: Step;
  error: unknown;
  resourceId?: string;
  subject: string;
}

export class Observations {
  readonly reported = new Set<string>();
  readonly idsOfResource = new Map<string, Set<string>>();
  /** The ids the emulator created, per endpoint (connections) or per display name (the attachment). */
  readonly createdFor = new Map<string, string[]>();
  readonly errors: RecordedError[] = [];
  readonly firstFailure = new Map<string, Step>();
  /** Resources whose lifecycle never started (the attachment they depend on failed). */
  readonly skipped = new Set<string>();
  readonly orphans: string[] = [];
  readonly unconfirmed: string[] = [];
  readonly texts: string[] = [];
  readonly logs: string[] = [];

  report(r: Observed, id: string): void {
    this.reported.add(id);
    const ids = this.idsOfResource.get(r.label) ?? new Set<string>();
    ids.add(id);
    this.idsOfResource.set(r.label, ids);
  }

  /** Records what the emulator created for `key`; the ids created for it before. */
  created(key: string, id: string): string[] {
    const earlier = this.createdFor.get(key) ?? [];
    this.createdFor.set(key, [...earlier, id]);
    return earlier;
  }

  fail(r: Observed, step: Step, error: unknown, resourceId?: string): void {
    this.errors.push({ label: r.label, step, error, resourceId, subject: r.subject });
    if (!this.firstFailure.has(r.label)) this.firstFailure.set(r.label, step);
    const e = error as { message?: unknown; stack?: unknown } | null;
    this.texts.push(String(e?.message ?? error), typeof e?.stack === "string" ? e.stack : "", safeJson(error));
  }

  contradicts(r: Observed, step: Step, what: string): void {
    this.unconfirmed.push(`${r.label} ${step}: ${what}`);
  }

  /** `<label> ok`, `<label> <step of its first error>` or `<label> skipped`. */
  stepLine(label: string): string {
    return `${label} ${this.firstFailure.get(label) ?? (this.skipped.has(label) ? "skipped" : "ok")}`;
  }
}

export function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value ?? null) ?? "";
  } catch {
    return String(value);
  }
}

/** Azure resource ids are compared without case, as the API and the provider do. */
export function sameEndpointId(a: string, b: string): boolean {
  return a.startsWith("/subscriptions/") ? a.toLowerCase() === b.toLowerCase() : a === b;
}
