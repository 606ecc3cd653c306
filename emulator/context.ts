// The emulator's state, shared by the HTTP server (which serves it) and test control (which reads and changes it):
// the world, faults, request log, late requests, rate window, token authority and the live settings.
import { FaultTable } from "./faults";
import { LateRequests } from "./late";
import { TokenAuthority } from "./oauth";
import {
  goneAs403Of, type AttachmentDeletion, type AttachmentTiming, type OAuthLifetimes, type RateLimit, type ResolvedOptions, type Timing,
} from "./options";
import { RateWindow } from "./ratelimit";
import { RequestLog } from "./request-log";
import { World } from "./state";
import type { RenderContext } from "./wire";

/** The settings in force, which configure() changes and reset() returns to the options the emulator started with. */
export interface Settings {
  timing: Timing;
  attachmentTiming: AttachmentTiming;
  attachmentDeletion: AttachmentDeletion;
  rateLimit: RateLimit;
  quirks: boolean;
  goneAs403: boolean;
  oauth: OAuthLifetimes;
}

export interface SettingsChange {
  timing?: Partial<Timing>;
  attachmentTiming?: Partial<AttachmentTiming>;
  attachmentDeletion?: AttachmentDeletion;
  rateLimit?: RateLimit;
  quirks?: boolean;
  /** null: follow quirks mode again. */
  goneAs403?: boolean | null;
  oauth?: Partial<OAuthLifetimes>;
}

export class EmulatorContext {
  readonly world: World;
  readonly faults = new FaultTable();
  readonly rate: RateWindow;
  readonly log = new RequestLog();
  readonly late = new LateRequests();
  readonly tokens: TokenAuthority;
  /** The server's base URL, known once it listens. */
  url = "";
  /** goneAs403 undefined follows quirks (see goneAs403Of). */
  private answerMode: Pick<ResolvedOptions, "quirks" | "goneAs403">;

  /** `options` are never changed: they are what reset() returns to. */
  constructor(readonly options: ResolvedOptions) {
    this.world = new World(options.clock, { ...options.timing });
    this.world.attachmentTiming = { ...options.attachmentTiming };
    this.world.attachmentDeletion = options.attachmentDeletion;
    this.world.seed(options.environments, options.privateLinkAttachments);
    this.rate = new RateWindow(options.clock, { ...options.rateLimit });
    this.tokens = new TokenAuthority(options.clock, options.oauth, () => this.url);
    this.answerMode = answerModeOf(options);
  }

  get quirks(): boolean {
    return this.answerMode.quirks;
  }

  get goneAs403(): boolean {
    return goneAs403Of(this.answerMode);
  }

  /** A copy of the settings in force. */
  settings(): Settings {
    return {
      timing: { ...this.world.timing },
      attachmentTiming: { ...this.world.attachmentTiming },
      attachmentDeletion: this.world.attachmentDeletion,
      rateLimit: { ...this.rate.limit },
      quirks: this.quirks,
      goneAs403: this.goneAs403,
      oauth: { ...this.tokens.lifetimes },
    };
  }

  renderContext(): RenderContext {
    return { world: this.world, baseUrl: this.url, quirks: this.quirks };
  }

  /** Applies a change already checked; a new rate limit starts a new window. */
  configure(change: SettingsChange): void {
    if (change.oauth) Object.assign(this.tokens.lifetimes, stripUndefined(change.oauth));
    if (change.timing) Object.assign(this.world.timing, stripUndefined(change.timing));
    if (change.attachmentTiming) Object.assign(this.world.attachmentTiming, stripUndefined(change.attachmentTiming));
    if (change.attachmentDeletion !== undefined) this.world.attachmentDeletion = change.attachmentDeletion;
    if (change.rateLimit) {
      const { requests, windowMs, headers } = change.rateLimit;
      this.rate.limit = { requests, windowMs, ...(headers !== undefined ? { headers } : {}) };
      this.rate.reset();
    }
    if (change.quirks !== undefined) this.answerMode.quirks = change.quirks;
    if (change.goneAs403 === null) delete this.answerMode.goneAs403;
    else if (change.goneAs403 !== undefined) this.answerMode.goneAs403 = change.goneAs403;
  }

  /**
   * Back to the state right after start: seeded world, no connections, faults, log, late requests, tokens or used
   * rate window, and the settings the emulator started with.
   */
  reset(): void {
    const { options, world } = this;
    Object.assign(world.timing, options.timing);
    Object.assign(world.attachmentTiming, options.attachmentTiming);
    world.attachmentDeletion = options.attachmentDeletion;
    this.rate.limit = { ...options.rateLimit };
    this.rate.reset();
    this.answerMode = answerModeOf(options);
    this.tokens.reset(options.oauth);
    world.clearConnections();
    world.environments.clear();
    world.attachments.clear();
    world.seed(options.environments, options.privateLinkAttachments);
    this.faults.clear();
    this.late.drop();
    this.log.clear();
  }
}

function answerModeOf(options: ResolvedOptions): Pick<ResolvedOptions, "quirks" | "goneAs403"> {
  return { quirks: options.quirks, ...(options.goneAs403 !== undefined ? { goneAs403: options.goneAs403 } : {}) };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
