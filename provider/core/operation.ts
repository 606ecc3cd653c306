// What every kind's provider shares: the stack config `configure` received, the URN of the resource a hook serves,
// one deadline per operation, a transport bound to it, progress lines and warnings on the resource's row, and the
// create that never makes two resources (create.ts) run on them. A kind's provider class extends it and adds its hooks.
import { AsyncLocalStorage } from "node:async_hooks";
import type * as pulumi from "@pulumi/pulumi";
import type { Clock } from "./clock";
import { connect } from "./credentials/connect";
import { Creation, type CreatePlan, type Created } from "./create";
import { Deadline } from "./deadline";
import type { PollPolicy, WaitArgs, Phased } from "./poll";
import { logToEngine, type Level } from "./progress";
import type { Transport } from "./transport/request";
import { ServerClock } from "./transport/server-clock";

// `confluentcloud:oauth` is an object in the stack config; the engine hands it over as JSON text, like any
// structured config value, and credentials.ts parses it.
const CONFIG_KEYS = ["confluentcloud:cloudApiKey", "confluentcloud:cloudApiSecret", "confluentcloud:endpoint", "confluentcloud:accessToken", "confluentcloud:oauth"];
/** Whether a create that got no usable answer created something is found out with a time limit of its own. */
const RECONCILE_TIMEOUT_MS = 2 * 60_000;
/** A refresh has no timeout of its own among the resource's `timeouts`; this bounds its read (retries included). */
export const READ_TIMEOUT_MS = 5 * 60_000;

type Props = Record<string, unknown>;

/** For tests and benchmarks; users construct a provider with no arguments. */
export interface ProviderOptions {
  /** Time source of the waits (a benchmark may scale it together with the emulator's). */
  clock?: Clock;
  pollPolicy?: PollPolicy;
  /** Per-attempt HTTP timeout (default 30 s). */
  attemptTimeoutMs?: number;
  /** Where progress lines and warnings go (default: the engine, on the resource's row). */
  log?: (level: Level, line: string) => void;
}

export class ProviderCore {
  /** The URN of the resource the current hook serves, for its progress lines. */
  protected readonly resource = new AsyncLocalStorage<string>();
  /** The stack config `configure` received, credentials among it. */
  protected config: Props | undefined;

  constructor(protected readonly options: ProviderOptions = {}) {}

  /** Runs one hook with its resource's URN (the `__urn` input or output) at hand. */
  forResource<T>(props: unknown, hook: () => Promise<T>): Promise<T> {
    const urn = (props as Props | undefined)?.__urn;
    return typeof urn === "string" ? this.resource.run(urn, hook) : hook();
  }

  async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
    const values: Props = {};
    for (const key of CONFIG_KEYS) {
      const value: unknown = req.config.get(key);
      if (value !== undefined && value !== "") values[key] = value;
    }
    this.config = values;
  }

  /** The URN of the resource the current hook serves. */
  protected urn(): string | undefined {
    return this.resource.getStore();
  }

  /** Requests bounded by `deadline`, with the stack's credentials. */
  protected transport(deadline: Deadline, serverClock?: ServerClock): Transport {
    return connect(this.config, deadline, {
      serverClock,
      attemptTimeoutMs: this.options.attemptTimeoutMs,
      now: this.options.clock ? () => this.options.clock!.now() : undefined,
      log: (line) => this.log("debug", line),
    });
  }

  /** One per operation, for its requests and its waits alike. */
  protected deadline(ms: number): Deadline {
    return Deadline.after(ms, this.options.clock);
  }

  /** The arguments every wait of this provider shares: its poll policy and progress lines. */
  protected waitArgs<S extends Phased>(wait: Omit<WaitArgs<S>, "policy" | "log">): WaitArgs<S> {
    return { ...wait, policy: this.options.pollPolicy, log: (line, changed) => this.progress(line, changed) };
  }

  /**
   * The create's POST, within `deadline`, never two resources after an ambiguous request (create.ts). `client`
   * makes the kind's API client on a transport; `plan` says what the kind's create is.
   */
  protected async createOnce<C, S extends { phase: string; createdAt?: string }>(
    deadline: Deadline,
    client: (transport: Transport) => C,
    plan: CreatePlan<C, S>,
  ): Promise<Created & { api: C; removeLateCopies: (kept: string) => Promise<void> }> {
    // What the create's answers tell of the API's clock: whether a resource is the one its POST made.
    const serverClock = new ServerClock();
    const api = client(this.transport(deadline, serverClock));
    const creation = new Creation<C, S>({
      api,
      deadline,
      reconciler: () => client(this.transport(this.deadline(RECONCILE_TIMEOUT_MS), serverClock)),
      serverClock,
      progress: (line, lasting) => this.progress(line, lasting),
      warn: (line) => this.log("warn", line),
      policy: this.options.pollPolicy,
    }, plan);
    const created = await creation.create();
    return { ...created, api, removeLateCopies: (kept) => creation.removeLateCopies(kept) };
  }

  protected log(level: Level, line: string): void {
    if (this.options.log) this.options.log(level, line);
    else logToEngine(level, line, this.resource.getStore());
  }

  /** A line for the resource's row; `lasting` ones (a new phase, a decision) are kept in its diagnostics too. */
  protected progress(line: string, lasting = true): void {
    if (this.options.log) return this.options.log("info", line);
    logToEngine("info", line, this.resource.getStore(), !lasting);
  }
}
