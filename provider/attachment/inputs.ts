// `check` of an attachment: its arguments normalised and validated, one failure per bad property, never throwing
// (the frame, the shared rules and the provider's own settings are the core's).
import { absent, checkDisplayName, checkRef, describeValue, ENVIRONMENT_RULE, isUnknown, runChecks, type CheckFailure, type Fail, type HostKeys } from "../core/checks";
import { checkAdoptExisting, checkTimeouts } from "../core/settings";
import { ATTACHMENT_CLOUDS, ATTACHMENT_OUTPUT_KEYS, type AttachmentInputs } from "./model";

const INPUT_KEYS = ["cloud", "region", "displayName", "environment", "timeouts", "adoptExisting"];
const MAX_REGION_LENGTH = 64;

/** What `check` returns, and so what create and update receive. */
export interface CheckedAttachmentInputs extends AttachmentInputs, HostKeys {}

function checkCloud(value: unknown, fail: Fail): unknown {
  if (absent(value)) {
    fail("cloud", `is required: one of ${ATTACHMENT_CLOUDS.join(", ")}`);
    return undefined;
  }
  if (isUnknown(value)) return value;
  if (typeof value === "string" && (ATTACHMENT_CLOUDS as readonly string[]).includes(value)) return value;
  const hint = typeof value === "string" && (ATTACHMENT_CLOUDS as readonly string[]).includes(value.toUpperCase()) ? ` (write "${value.toUpperCase()}")` : "";
  fail("cloud", `must be one of ${ATTACHMENT_CLOUDS.join(", ")}, got ${describeValue(value)}${hint}`);
  return undefined;
}

function checkRegion(value: unknown, fail: Fail): unknown {
  if (absent(value)) {
    fail("region", 'is required: the cloud region, e.g. "us-east-1", "eastus" or "us-central1"');
    return undefined;
  }
  if (isUnknown(value)) return value;
  if (typeof value !== "string" || !/^[a-z0-9][a-z0-9-]*$/.test(value) || value.length > MAX_REGION_LENGTH) {
    fail("region", `must be a cloud region in lowercase letters, digits and dashes, e.g. "us-east-1", got ${describeValue(value)}`);
    return undefined;
  }
  return value;
}

export function checkAttachmentInputs(news: Record<string, unknown>): { inputs: CheckedAttachmentInputs; failures: CheckFailure[] } {
  const { inputs, failures } = runChecks(news, { inputs: INPUT_KEYS, outputs: ATTACHMENT_OUTPUT_KEYS }, (put, fail) => {
    put("cloud", checkCloud(news.cloud, fail));
    put("region", checkRegion(news.region, fail));
    put("displayName", checkDisplayName(news.displayName, fail, "attachment"));
    put("environment", checkRef(news.environment, "environment", ENVIRONMENT_RULE, fail, "env-abc123"));
    put("timeouts", checkTimeouts(news.timeouts, fail));
    put("adoptExisting", checkAdoptExisting(news.adoptExisting, fail));
  });
  return { inputs: inputs as unknown as CheckedAttachmentInputs, failures };
}
