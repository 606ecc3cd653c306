// Requests answered already and applied later (fault `applyAfterMs`): a slow backend behind a failed answer.
import type { LoggedRequest } from "./request-log";

export interface LateRequest {
  seq: number;
  method: string;
  path: string;
  faultId: number;
  /** When it applies on its own (wall clock). */
  dueAt: string;
}

interface PendingApplication extends LateRequest {
  timer: NodeJS.Timeout;
  apply: () => number;
}

export class LateRequests {
  private readonly pending = new Map<number, PendingApplication>();

  /** Applies the request of `entry` after `delayMs`, recording the status `apply` answers in the entry. */
  schedule(entry: LoggedRequest, faultId: number, delayMs: number, apply: () => number): void {
    const pending: PendingApplication = {
      seq: entry.seq, method: entry.method, path: entry.path, faultId, dueAt: new Date(Date.now() + delayMs).toISOString(),
      timer: setTimeout(() => this.applyNow(pending), delayMs).unref(),
      apply: () => (entry.appliedStatus = apply()),
    };
    this.pending.set(entry.seq, pending);
  }

  /** Requests waiting to apply, oldest first. */
  list(): LateRequest[] {
    return [...this.pending.values()].map(({ timer: _t, apply: _a, ...shown }) => ({ ...shown }));
  }

  /** Applies every waiting request now, in arrival order; returns what the API answered each. */
  applyAll(): { seq: number; status: number }[] {
    return [...this.pending.values()].map((pending) => ({ seq: pending.seq, status: this.applyNow(pending) }));
  }

  /** Forgets the waiting requests without applying them. */
  drop(): void {
    for (const pending of this.pending.values()) clearTimeout(pending.timer);
    this.pending.clear();
  }

  private applyNow(pending: PendingApplication): number {
    clearTimeout(pending.timer);
    this.pending.delete(pending.seq);
    return pending.apply();
  }
}
