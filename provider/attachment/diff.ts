// `diff` of an attachment: old OUTPUTS against new (checked) inputs. displayName changes in place; cloud, region and
// environment replace it; `timeouts` and `adoptExisting` change only what state records; a recorded phase the
// attachment cannot serve connections from is a change of its own: FAILED and EXPIRED (which "can only be deleted")
// are replaced, DEPROVISIONING or a future phase is checked by the update, which says what to do. The engine also
// diffs after a refresh: what this answers is what a refresh (and `--expect-no-changes`) reports.
import { isRecord, isUnknown } from "../core/checks";

export interface AttachmentDiff {
  changes: boolean;
  replaces: string[];
  deleteBeforeReplace: boolean;
  stables: string[];
  diffs: string[];
}

/** Phases the attachment serves connections in, or is on its way to by waiting: not a change by themselves. */
const SERVING_OR_ON_ITS_WAY = ["READY", "WAITING_FOR_CONNECTIONS", "PROVISIONING"];
/** Phases it never leaves: only a replacement helps. */
const TERMINAL = ["FAILED", "EXPIRED"];

export function attachmentPhaseChange(phase: unknown): "none" | "update" | "replace" {
  if (typeof phase !== "string" || SERVING_OR_ON_ITS_WAY.includes(phase)) return "none";
  return TERMINAL.includes(phase) ? "replace" : "update";
}

type Seen = { unknown: true } | { unknown: false; value: string | undefined };

function seen(value: unknown): Seen {
  if (isUnknown(value)) return { unknown: true };
  return { unknown: false, value: typeof value === "string" && value !== "" ? value : undefined };
}

function refSeen(value: unknown): Seen {
  if (isUnknown(value)) return { unknown: true };
  return seen(isRecord(value) ? value.id : undefined);
}

function steeringValue(value: unknown): Seen {
  if (isUnknown(value)) return { unknown: true };
  if (value === undefined || value === null) return { unknown: false, value: undefined };
  if (!isRecord(value)) return { unknown: false, value: JSON.stringify(value) };
  if (Object.values(value).some(isUnknown)) return { unknown: true };
  const entries = Object.entries(value).filter(([, v]) => v !== undefined && v !== null).sort(([a], [b]) => a.localeCompare(b));
  return { unknown: false, value: JSON.stringify(Object.fromEntries(entries)) };
}

export function diffAttachment(olds: object, news: object): AttachmentDiff {
  const o = isRecord(olds) ? olds : {};
  const n = isRecord(news) ? news : {};
  const diffs: string[] = [];
  const replaces: string[] = [];
  const stables: string[] = [];
  const compare = (key: string, a: Seen, b: Seen, replacing: boolean): void => {
    if (!a.unknown && !b.unknown && a.value === b.value) {
      stables.push(key);
      return;
    }
    diffs.push(key);
    if (replacing) replaces.push(key);
  };
  compare("displayName", seen(o.displayName), seen(n.displayName), false);
  compare("cloud", seen(o.cloud), seen(n.cloud), true);
  compare("region", seen(o.region), seen(n.region), true);
  compare("environment", refSeen(o.environment), refSeen(n.environment), true);
  for (const key of ["timeouts", "adoptExisting"]) {
    const a = steeringValue(o[key]);
    const b = steeringValue(n[key]);
    if (a.unknown || b.unknown || a.value !== b.value) diffs.push(key);
  }
  const phase = attachmentPhaseChange(o.phase);
  if (phase !== "none") diffs.push("phase");
  if (phase === "replace") replaces.push("phase");
  if (replaces.length === 0) stables.push("resourceName", "createdAt", "dnsDomain", "aws", "azure", "gcp");
  // Nothing holds a place an attachment needs: the new one is made first, then the old one deleted.
  return { changes: diffs.length > 0, replaces, deleteBeforeReplace: false, stables, diffs };
}
