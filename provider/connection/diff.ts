// `diff`: old OUTPUTS against new (checked) inputs. The API-visible inputs decide what changes on the connection
// (displayName in place, the rest by replacement); `timeouts` and `adoptExisting` change only what state records
// (an update that sends nothing); a recorded phase that is not READY is a change of its own: FAILED is replaced,
// DISCONNECTED (or any phase that waiting will not turn into READY) is checked by the update, which says what to do.
// The engine also diffs after a refresh (refreshed outputs as olds): what this answers is what a refresh reports.
// __provider, __urn and the other output-only keys never cause a change.
import { isRecord, isUnknown } from "../core/checks";
import { CLOUDS, type Cloud, type CloudKey, sameEndpoint, stripKindPrefix } from "./model";

export interface ConnectionDiff {
  changes: boolean;
  replaces: string[];
  deleteBeforeReplace: boolean;
  stables: string[];
  diffs: string[];
}

/** A compared value: either not yet known (preview), or known (possibly absent). */
type Seen<T> = { unknown: true } | { unknown: false; value: T | undefined };

const UNKNOWN = { unknown: true } as const;

function known<T>(value: T | undefined): Seen<T> {
  return { unknown: false, value };
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

function displayNameOf(value: unknown): Seen<string> {
  return isUnknown(value) ? UNKNOWN : known(nonEmpty(value));
}

function refIdOf(value: unknown): Seen<string> {
  if (isUnknown(value)) return UNKNOWN;
  if (!isRecord(value)) return known(undefined);
  return isUnknown(value.id) ? UNKNOWN : known(nonEmpty(value.id));
}

interface Endpoint {
  key: CloudKey;
  cloud: Cloud;
  id: string;
}

interface EndpointSide {
  unknownKeys: CloudKey[];
  known?: Endpoint;
}

/** Extra keys such as a `kind` (bare or prefixed) inside aws/azure/gcp are ignored, whatever state shape wrote them. */
function endpointOfSide(side: Record<string, unknown>): EndpointSide {
  const result: EndpointSide = { unknownKeys: [] };
  for (const { key, cloud, field } of CLOUDS) {
    const value = side[key];
    if (isUnknown(value) || (isRecord(value) && isUnknown(value[field]))) {
      result.unknownKeys.push(key);
    } else if (!result.known && isRecord(value)) {
      const id = nonEmpty(value[field]);
      if (id !== undefined) result.known = { key, cloud, id };
    }
  }
  if (!result.known && result.unknownKeys.length === 0) result.known = legacyCloudEndpoint(side.cloud);
  return result;
}

/** Tolerates a wire-like `cloud: { kind, <id field> }` in old state, kind bare or `networking.v1.`-prefixed. */
function legacyCloudEndpoint(cloud: unknown): Endpoint | undefined {
  if (!isRecord(cloud) || typeof cloud.kind !== "string") return undefined;
  const row = CLOUDS.find((c) => c.kind === stripKindPrefix(cloud.kind as string));
  const id = row ? nonEmpty(cloud[row.field]) ?? nonEmpty(cloud[row.wireField]) : undefined;
  return row && id !== undefined ? { key: row.key, cloud: row.cloud, id } : undefined;
}

/** Phases the provider can take a connection through by waiting: only these are not a change by themselves. */
const SERVING_OR_ON_ITS_WAY = ["READY", "PROVISIONING"];

/**
 * What the recorded phase asks of the next `up`: FAILED is terminal (the connection is replaced, like Terraform's
 * taint); DISCONNECTED, DEPROVISIONING or a future phase is an update, which reads the connection again and fails
 * clearly unless it is READY; READY, PROVISIONING (a wait to resume) or none recorded ask nothing.
 */
export function phaseChange(phase: unknown): "none" | "update" | "replace" {
  if (typeof phase !== "string" || SERVING_OR_ON_ITS_WAY.includes(phase)) return "none";
  return phase === "FAILED" ? "replace" : "update";
}

/** A steering input as compared: unknown, or its canonical JSON (timeouts with sorted keys, absent keys dropped). */
function steeringValue(value: unknown): Seen<string> {
  if (isUnknown(value)) return UNKNOWN;
  if (value === undefined || value === null) return known(undefined);
  if (!isRecord(value)) return known(JSON.stringify(value));
  if (Object.values(value).some(isUnknown)) return UNKNOWN;
  const entries = Object.entries(value).filter(([, v]) => v !== undefined && v !== null).sort(([a], [b]) => a.localeCompare(b));
  return known(JSON.stringify(Object.fromEntries(entries)));
}

/** `timeouts` and `adoptExisting`: a change only to what state records, never to the connection. */
function compareSteering(olds: Record<string, unknown>, news: Record<string, unknown>, diffs: string[]): void {
  for (const key of ["timeouts", "adoptExisting"]) {
    const o = steeringValue(olds[key]);
    const n = steeringValue(news[key]);
    if (o.unknown || n.unknown || o.value !== n.value) diffs.push(key);
  }
}

export function diffConnection(olds: object, news: object): ConnectionDiff {
  const oldSide = isRecord(olds) ? olds : {};
  const newSide = isRecord(news) ? news : {};
  const diffs: string[] = [];
  const replaces: string[] = [];
  const stables: string[] = [];
  let unknownReplace = false;

  const compare = (key: string, o: Seen<string>, n: Seen<string>, replacing: boolean): void => {
    if (!o.unknown && !n.unknown && o.value === n.value) {
      stables.push(key);
      return;
    }
    diffs.push(key);
    if (replacing) {
      replaces.push(key);
      unknownReplace ||= o.unknown || n.unknown;
    }
  };
  compare("displayName", displayNameOf(oldSide.displayName), displayNameOf(newSide.displayName), false);
  compare("environment", refIdOf(oldSide.environment), refIdOf(newSide.environment), true);
  compare("privateLinkAttachment", refIdOf(oldSide.privateLinkAttachment), refIdOf(newSide.privateLinkAttachment), true);

  const oldEp = endpointOfSide(oldSide);
  const newEp = endpointOfSide(newSide);
  const changedClouds = new Set<CloudKey>([...oldEp.unknownKeys, ...newEp.unknownKeys]);
  if (changedClouds.size > 0) unknownReplace = true;
  const endpointKept = sameEndpoint(oldEp.known, newEp.known);
  if (!endpointKept) {
    if (oldEp.known) changedClouds.add(oldEp.known.key);
    if (newEp.known) changedClouds.add(newEp.known.key);
  }
  for (const { key } of CLOUDS) {
    if (changedClouds.has(key)) {
      diffs.push(key);
      replaces.push(key);
    } else if (endpointKept && newEp.known?.key === key) {
      stables.push(key);
    }
  }

  compareSteering(oldSide, newSide, diffs);
  const phase = phaseChange(oldSide.phase);
  if (phase !== "none") diffs.push("phase");
  if (phase === "replace") replaces.push("phase");

  if (replaces.length === 0) stables.push("resourceName", "createdAt");
  return {
    changes: diffs.length > 0,
    replaces,
    // The same endpoint cannot be attached twice, so the old connection must go first.
    deleteBeforeReplace: replaces.length > 0 && !unknownReplace && endpointKept && newEp.known !== undefined,
    stables,
    diffs,
  };
}
