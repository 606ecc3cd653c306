// The provider's own settings, which every resource kind takes besides its API arguments and which only steer the
// provider: `timeouts` (durations: checked, resolved, read back from state) and `adoptExisting`.
import { absent, checkObject, describeValue, isRecord, isUnknown, type Fail } from "./checks";

export const DEFAULT_TIMEOUT_MS = 2 * 60 * 60 * 1000;
/** DEFAULT_TIMEOUT_MS as users write it. */
export const DEFAULT_TIMEOUT = "2h";

/** Longest accepted timeout: Node timers fire immediately (with a warning) past 2^31-1 ms, ~24.8 days. */
export const MAX_TIMEOUT_MS = 2 ** 31 - 1;

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
/** Far longer than any real duration ("1h30m15s500ms" is 13 characters). */
const MAX_DURATION_LENGTH = 64;
const DURATION_EXAMPLES = 'e.g. "90s", "30m", "2h", "1h30m" or "500ms"';

/** "90s", "30m", "2h", "1h30m", "500ms" (decimals allowed: "1.5h") -> milliseconds. */
export function parseDuration(text: string): number {
  const shown = describeValue(text);
  if (typeof text !== "string") throw new Error(`a duration must be a string (${DURATION_EXAMPLES}), got ${shown}`);
  // Checked before any pattern runs on it, so a huge value costs a length comparison, whatever the patterns.
  if (text.length > MAX_DURATION_LENGTH) throw new Error(`duration is too long (${text.length} characters, at most ${MAX_DURATION_LENGTH}): ${shown}`);
  if (text.startsWith("-")) throw new Error(`duration ${shown} must be positive (${DURATION_EXAMPLES})`);
  if (/^\d+(\.\d+)?$/.test(text)) {
    throw new Error(`duration ${shown} has no unit: add one of ms, s, m, h (${DURATION_EXAMPLES})`);
  }
  if (!/^(\d+(\.\d+)?(ms|h|m|s))+$/.test(text)) {
    throw new Error(`invalid duration ${shown}: expected numbers with units ms, s, m or h (${DURATION_EXAMPLES})`);
  }
  let total = 0;
  for (const [, amount, unit] of text.matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)) total += Number(amount) * UNIT_MS[unit!]!;
  total = Math.round(total);
  if (total < 1) throw new Error(`duration ${shown} must be at least 1ms`);
  if (total > MAX_TIMEOUT_MS) throw new Error(`duration ${shown} is too long: the maximum is 596h (about 24.8 days)`);
  return total;
}

export interface ResolvedTimeouts {
  createMs: number;
  updateMs: number;
  deleteMs: number;
}

/** Timeouts of checked inputs (`check` refused anything that does not parse): the default for what is missing. */
export function resolveTimeouts(t: unknown): ResolvedTimeouts {
  const one = (key: string): number => {
    const value = isRecord(t) ? t[key] : undefined;
    if (typeof value !== "string") return DEFAULT_TIMEOUT_MS;
    try {
      return parseDuration(value);
    } catch {
      return DEFAULT_TIMEOUT_MS;
    }
  };
  return { createMs: one("create"), updateMs: one("update"), deleteMs: one("delete") };
}

export type TimeoutKey = "create" | "update" | "delete";

/** A timeout as the stack's state holds it, and why it was not usable when the default applies instead of it. */
export interface StoredTimeout {
  ms: number;
  /** Set when the state holds a value that is not a duration: a warning naming it, the property and the default. */
  unusable?: string;
}

/**
 * One of the timeouts the stack's state holds (written by hand, by `pulumi stack import` or by another version:
 * `check` never saw it). Missing: the default. Present but not a duration: the default too, so that a destroy is
 * never stuck on it, and `unusable` says what the state holds.
 */
export function storedTimeout(timeouts: unknown, key: TimeoutKey): StoredTimeout {
  const fallback = (why: string): StoredTimeout => ({ ms: DEFAULT_TIMEOUT_MS, unusable: `${why}; using ${DEFAULT_TIMEOUT}, the default` });
  if (timeouts === undefined || timeouts === null) return { ms: DEFAULT_TIMEOUT_MS };
  if (!isRecord(timeouts)) return fallback(`timeouts = ${describeValue(timeouts)} in the stack's state is not an object`);
  const value = timeouts[key];
  if (value === undefined || value === null) return { ms: DEFAULT_TIMEOUT_MS };
  const stored = `timeouts.${key} = ${describeValue(value)} in the stack's state`;
  if (typeof value !== "string") return fallback(`${stored} is not a duration string`);
  try {
    return { ms: parseDuration(value) };
  } catch (e) {
    return fallback(`${stored} does not parse (${(e as Error).message})`);
  }
}

const TIMEOUT_KEYS = ["create", "update", "delete"];

/** How long create, update and delete may wait, e.g. "90s", "30m", "2h" (default 2h each). */
export interface Timeouts {
  create?: string;
  update?: string;
  delete?: string;
}

export function checkTimeouts(value: unknown, fail: Fail): unknown {
  if (absent(value)) return undefined;
  const obj = checkObject(value, "timeouts", TIMEOUT_KEYS, '{ create: "30m", delete: "1h" }', fail);
  if (!isRecord(obj)) return obj;
  const kept: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(obj)) {
    if (isUnknown(v)) {
      kept[key] = v;
    } else if (typeof v !== "string") {
      fail(`timeouts.${key}`, `must be a duration string (${DURATION_EXAMPLES}), got ${describeValue(v)}`);
    } else {
      try {
        parseDuration(v);
        kept[key] = v;
      } catch (err) {
        fail(`timeouts.${key}`, `is not a valid duration: ${(err as Error).message}`);
      }
    }
  }
  return Object.keys(kept).length > 0 ? kept : undefined;
}

export function checkAdoptExisting(value: unknown, fail: Fail): unknown {
  if (absent(value)) return undefined;
  if (isUnknown(value) || typeof value === "boolean") return value;
  fail("adoptExisting", `must be true or false, got ${describeValue(value)}`);
  return undefined;
}

/** What a timeout comes from, for messages: the value given, or the default. */
export function describeTimeout(timeouts: Timeouts | undefined, which: TimeoutKey): string {
  const given = timeouts?.[which];
  return typeof given === "string" ? given : `${DEFAULT_TIMEOUT} (default)`;
}
