// `check`: normalise and validate resource args, one failure per bad property, never throwing.
// During preview any value (whole or nested) may be pulumi.runtime.unknownValue: it is accepted as is.
import * as pulumi from "@pulumi/pulumi";
import { CLOUDS, describeValue, isRecord, OUTPUT_ONLY_KEYS, type ConnectionInputs } from "./model";

export interface CheckFailure {
  property: string;
  reason: string;
}

export const DEFAULT_TIMEOUT_MS = 2 * 60 * 60 * 1000;
/** DEFAULT_TIMEOUT_MS as users write it. */
export const DEFAULT_TIMEOUT = "2h";

/** Longest accepted timeout: Node timers fire immediately (with a warning) past 2^31-1 ms, ~24.8 days. */
export const MAX_TIMEOUT_MS = 2 ** 31 - 1;

export function isUnknown(value: unknown): boolean {
  return value === pulumi.runtime.unknownValue;
}

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

type Fail = (property: string, reason: string) => void;

const MAX_ID_LENGTH = 255;
const INPUT_KEYS = ["displayName", "environment", "privateLinkAttachment", "aws", "azure", "gcp", "timeouts", "adoptExisting"];
const TIMEOUT_KEYS = ["create", "update", "delete"];

// Ids go into URL paths and query strings: only URL-unreserved ASCII after the prefix (Confluent ids are alphanumeric).
interface IdRule {
  expected: string;
  test: (id: string) => boolean;
}

const ENVIRONMENT_RULE: IdRule = {
  expected: '"env-" followed by the environment id, e.g. "env-abc123"',
  test: (id) => /^env-[A-Za-z0-9._~-]+$/.test(id),
};
const ATTACHMENT_RULE: IdRule = {
  expected: '"platt-" followed by the private link attachment id, e.g. "platt-abc123"',
  test: (id) => /^platt-[A-Za-z0-9._~-]+$/.test(id),
};

const ENDPOINT_RULES: Record<string, IdRule> = {
  aws: {
    expected: 'a VPC endpoint id: "vpce-" followed by lowercase hex digits, e.g. "vpce-0ed4d51f5d6ef9b6d"',
    test: (id) => /^vpce-[0-9a-f]+$/.test(id),
  },
  azure: {
    expected:
      'an Azure private endpoint resource id "/subscriptions/<subscription>/resourceGroups/<group>/providers/Microsoft.Network/privateEndpoints/<name>"',
    // Azure resource ids are case-insensitive; Azure itself returns e.g. "resourcegroups" in some outputs.
    // No \p{C} anywhere (controls and invisible format characters such as zero-width joiners and bidi marks, which
    // `\s` does not cover): no Azure name contains them, and they make an id look right but fail. A separate test,
    // because the `u` flag would make `i` fold look-alikes ("ſ" U+017F, "K" U+212A) into the ASCII namespaces.
    test: (id) =>
      !/\p{C}/u.test(id)
      && /^\/subscriptions\/[^/\s]+\/resourceGroups\/[^/\s]+\/providers\/Microsoft\.Network\/privateEndpoints\/[^/\s]+$/i.test(id),
  },
  gcp: {
    expected: 'a Private Service Connect connection id: a string of digits, e.g. "12345678912345"',
    test: (id) => /^[0-9]+$/.test(id),
  },
};

function absent(value: unknown): boolean {
  return value === undefined || value === null;
}

/** Points at look-alike characters (e.g. Cyrillic "е" in "еnv-") that make an id look right but fail. */
function nonAsciiHint(text: string): string {
  const index = [...text].findIndex((ch) => ch.codePointAt(0)! > 0x7e || ch.codePointAt(0)! < 0x20);
  if (index < 0) return "";
  const ch = [...text][index]!;
  const code = ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0");
  return ` (character ${index + 1} is U+${code}, not plain ASCII: was it pasted from somewhere or a look-alike letter?)`;
}

function checkId(value: unknown, path: string, rule: IdRule, fail: Fail): unknown {
  if (absent(value)) {
    fail(path, `is required: expected ${rule.expected}`);
    return undefined;
  }
  if (isUnknown(value)) return value;
  if (typeof value === "number" && Number.isSafeInteger(value) && value >= 0 && rule === ENDPOINT_RULES.gcp) {
    fail(path, `must be a string, not a number (large ids lose digits as numbers): pass "${value}" with quotes`);
    return undefined;
  }
  if (typeof value !== "string") {
    fail(path, `must be a string (${rule.expected}), got ${describeValue(value)}`);
    return undefined;
  }
  if (value.length > MAX_ID_LENGTH) {
    fail(path, `is too long (${value.length} characters, at most ${MAX_ID_LENGTH}): ${describeValue(value)}`);
    return undefined;
  }
  if (!rule.test(value)) {
    fail(path, `must be ${rule.expected}, got ${describeValue(value)}${nonAsciiHint(value)}`);
    return undefined;
  }
  return value;
}

/**
 * Checks an object-valued property against its allowed keys. Returns the unknown value itself, the object
 * with null/undefined keys dropped, or undefined when it is not an object (a failure is then recorded).
 */
function checkObject(value: unknown, path: string, allowed: readonly string[], example: string, fail: Fail): unknown {
  if (isUnknown(value)) return value;
  if (!isRecord(value)) {
    fail(path, `must be an object like ${example}, got ${describeValue(value)}`);
    return undefined;
  }
  const kept: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (absent(v)) continue;
    if (allowed.includes(key)) kept[key] = v;
    else fail(`${path}.${key}`, `is not a known property of ${path}: expected only ${allowed.map((k) => `"${k}"`).join(", ")}`);
  }
  return kept;
}

function checkRef(value: unknown, path: string, rule: IdRule, fail: Fail): unknown {
  const example = `{ id: "${path === "environment" ? "env-abc123" : "platt-abc123"}" }`;
  if (absent(value)) {
    fail(path, `is required: expected an object like ${example}`);
    return undefined;
  }
  const obj = checkObject(value, path, ["id"], example, fail);
  if (!isRecord(obj)) return obj;
  const id = checkId(obj.id, `${path}.id`, rule, fail);
  return id === undefined ? undefined : { id };
}

function checkDisplayName(value: unknown, fail: Fail): unknown {
  if (absent(value)) return undefined;
  if (isUnknown(value)) return value;
  if (typeof value !== "string") {
    fail("displayName", `must be a string, got ${describeValue(value)}`);
    return undefined;
  }
  if (value.trim() === "") {
    fail("displayName", `must not be empty or only whitespace (got ${describeValue(value)}); omit it to leave the connection unnamed`);
    return undefined;
  }
  return value;
}

function checkEndpoints(news: Record<string, unknown>, out: Record<string, unknown>, fail: Fail): void {
  const set: string[] = [];
  let unknowns = 0;
  for (const { key, field } of CLOUDS) {
    const value = news[key];
    if (absent(value)) continue;
    const rule = ENDPOINT_RULES[key]!;
    const example = `{ ${field}: "…" }`;
    if (isUnknown(value)) {
      unknowns++;
      out[key] = value;
      continue;
    }
    set.push(key);
    const obj = checkObject(value, key, [field], example, fail);
    if (!isRecord(obj)) continue;
    if (Object.values(value as Record<string, unknown>).every(absent)) {
      fail(key, `is empty: expected ${example} with ${rule.expected}; or remove ${key} if another cloud is meant`);
      continue;
    }
    const id = checkId(obj[field], `${key}.${field}`, rule, fail);
    if (id !== undefined) out[key] = { [field]: id };
  }
  // An unknown endpoint may still resolve to undefined, so only known values can break the one-of rule.
  if (set.length > 1) {
    for (const key of set) fail(key, `conflicts: exactly one of aws, azure, gcp may be set, but ${set.join(" and ")} are`);
  } else if (set.length === 0 && unknowns === 0) {
    fail("aws", '(or azure, or gcp) is required: set exactly one of them, e.g. aws: { vpcEndpointId: "vpce-…" }');
  }
}

function checkTimeouts(value: unknown, fail: Fail): unknown {
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

function checkAdoptExisting(value: unknown, fail: Fail): unknown {
  if (absent(value)) return undefined;
  if (isUnknown(value) || typeof value === "boolean") return value;
  fail("adoptExisting", `must be true or false, got ${describeValue(value)}`);
  return undefined;
}

function topLevel(property: string): string {
  return property.split(/[.[]/, 1)[0]!;
}

/** Set by the resource class, not by users: the serialized provider, and the resource's URN for progress lines. */
const HOST_KEYS = ["__provider", "__urn"];

/**
 * What `check` returns, and so what create and update receive: the inputs normalised, plus the keys the resource
 * class sets. During a preview any value may still be pulumi.runtime.unknownValue; create and update never see one.
 */
export interface CheckedInputs extends ConnectionInputs {
  __provider?: string;
  __urn?: string;
}

/** Output-only keys the resource class declares are dropped, never reported: they are not the user's. */
export function checkInputs(news: Record<string, unknown>): { inputs: CheckedInputs; failures: CheckFailure[] } {
  const failures: CheckFailure[] = [];
  // Reasons are whole sentences ("environment.id must be …") so they read well wherever they are logged. The
  // property is the top-level input: the engine prints its value beside the reason, and finds none for a path.
  const fail: Fail = (property, reason) => failures.push({ property: property in news ? property : topLevel(property), reason: `${property} ${reason}` });
  if (!isRecord(news)) {
    failures.push({ property: "args", reason: `resource arguments must be an object, got ${describeValue(news)}` });
    return { inputs: {} as CheckedInputs, failures };
  }
  const inputs: Record<string, unknown> = {};
  for (const key of HOST_KEYS) if (key in news) inputs[key] = news[key];
  for (const [key, value] of Object.entries(news)) {
    if (HOST_KEYS.includes(key) || INPUT_KEYS.includes(key) || (OUTPUT_ONLY_KEYS as readonly string[]).includes(key) || absent(value)) continue;
    fail(key, `is not a known argument: expected ${INPUT_KEYS.join(", ")}`);
  }
  const put = (key: string, value: unknown): void => {
    if (value !== undefined) inputs[key] = value;
  };
  put("displayName", checkDisplayName(news.displayName, fail));
  put("environment", checkRef(news.environment, "environment", ENVIRONMENT_RULE, fail));
  put("privateLinkAttachment", checkRef(news.privateLinkAttachment, "privateLinkAttachment", ATTACHMENT_RULE, fail));
  checkEndpoints(news, inputs, fail);
  put("timeouts", checkTimeouts(news.timeouts, fail));
  put("adoptExisting", checkAdoptExisting(news.adoptExisting, fail));
  // Built key by key from checked values: the shape of CheckedInputs when there are no failures.
  return { inputs: inputs as unknown as CheckedInputs, failures };
}
