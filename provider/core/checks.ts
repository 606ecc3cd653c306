// What `check` of every resource kind shares: one failure per bad property, never throwing, values unknown during a
// preview (pulumi.runtime.unknownValue, whole or nested) accepted as they are; ids checked against a rule, objects
// against their keys, display names, and the keys the resource class sets itself.
import * as pulumi from "@pulumi/pulumi";

export interface CheckFailure {
  property: string;
  reason: string;
}

export type Fail = (property: string, reason: string) => void;

export function isUnknown(value: unknown): boolean {
  return value === pulumi.runtime.unknownValue;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A short, single-line rendering of any value for error messages (never a whole response body). */
export function describeValue(value: unknown, max = 80): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = typeof value === "bigint" ? `${value}n` : Object.prototype.toString.call(value);
  }
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

const MAX_ID_LENGTH = 255;

// Ids go into URL paths and query strings: only URL-unreserved ASCII after the prefix (Confluent ids are alphanumeric).
export interface IdRule {
  expected: string;
  test: (id: string) => boolean;
  /** Numbers are refused with a hint to quote them (ids of digits lose some as numbers). */
  digits?: boolean;
}

export const ENVIRONMENT_RULE: IdRule = {
  expected: '"env-" followed by the environment id, e.g. "env-abc123"',
  test: (id) => /^env-[A-Za-z0-9._~-]+$/.test(id),
};
export const ATTACHMENT_RULE: IdRule = {
  expected: '"platt-" followed by the private link attachment id, e.g. "platt-abc123"',
  test: (id) => /^platt-[A-Za-z0-9._~-]+$/.test(id),
};

export function absent(value: unknown): boolean {
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

export function checkId(value: unknown, path: string, rule: IdRule, fail: Fail): unknown {
  if (absent(value)) {
    fail(path, `is required: expected ${rule.expected}`);
    return undefined;
  }
  if (isUnknown(value)) return value;
  if (typeof value === "number" && Number.isSafeInteger(value) && value >= 0 && rule.digits === true) {
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
export function checkObject(value: unknown, path: string, allowed: readonly string[], example: string, fail: Fail): unknown {
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

export function checkRef(value: unknown, path: string, rule: IdRule, fail: Fail, exampleId: string): unknown {
  const example = `{ id: "${exampleId}" }`;
  if (absent(value)) {
    fail(path, `is required: expected an object like ${example}`);
    return undefined;
  }
  const obj = checkObject(value, path, ["id"], example, fail);
  if (!isRecord(obj)) return obj;
  const id = checkId(obj.id, `${path}.id`, rule, fail);
  return id === undefined ? undefined : { id };
}

/** `what`: the resource, for the hint, e.g. "connection". */
export function checkDisplayName(value: unknown, fail: Fail, what: string): unknown {
  if (absent(value)) return undefined;
  if (isUnknown(value)) return value;
  if (typeof value !== "string") {
    fail("displayName", `must be a string, got ${describeValue(value)}`);
    return undefined;
  }
  if (value.trim() === "") {
    fail("displayName", `must not be empty or only whitespace (got ${describeValue(value)}); omit it to leave the ${what} unnamed`);
    return undefined;
  }
  return value;
}

function topLevel(property: string): string {
  return property.split(/[.[]/, 1)[0]!;
}

/** Set by the resource class, not by users: the serialized provider, and the resource's URN for progress lines. */
const HOST_KEYS = ["__provider", "__urn"];

/** What `check` returns besides the kind's own inputs. */
export interface HostKeys {
  __provider?: string;
  __urn?: string;
}

/**
 * The frame of a kind's `check`: the host keys kept, unknown arguments reported (output-only keys the resource class
 * declares are dropped, never reported), then `body` checks the kind's own arguments into `put`.
 */
export function runChecks(
  news: Record<string, unknown>,
  keys: { inputs: readonly string[]; outputs: readonly string[] },
  body: (put: (key: string, value: unknown) => void, fail: Fail) => void,
): { inputs: Record<string, unknown>; failures: CheckFailure[] } {
  const failures: CheckFailure[] = [];
  // Reasons are whole sentences ("environment.id must be …") so they read well wherever they are logged. The
  // property is the top-level input: the engine prints its value beside the reason, and finds none for a path.
  const fail: Fail = (property, reason) => failures.push({ property: property in news ? property : topLevel(property), reason: `${property} ${reason}` });
  if (!isRecord(news)) {
    failures.push({ property: "args", reason: `resource arguments must be an object, got ${describeValue(news)}` });
    return { inputs: {}, failures };
  }
  const inputs: Record<string, unknown> = {};
  for (const key of HOST_KEYS) if (key in news) inputs[key] = news[key];
  for (const [key, value] of Object.entries(news)) {
    if (HOST_KEYS.includes(key) || keys.inputs.includes(key) || keys.outputs.includes(key) || absent(value)) continue;
    fail(key, `is not a known argument: expected ${keys.inputs.join(", ")}`);
  }
  body((key, value) => {
    if (value !== undefined) inputs[key] = value;
  }, fail);
  return { inputs, failures };
}
