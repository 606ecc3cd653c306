// `check` of a connection: its arguments normalised and validated, one failure per bad property, never throwing
// (the frame, the shared rules and the provider's own settings are the core's: core/checks.ts, core/settings.ts).
import { absent, ATTACHMENT_RULE, checkDisplayName, checkId, checkObject, checkRef, ENVIRONMENT_RULE, isRecord, isUnknown, runChecks, type CheckFailure, type Fail, type HostKeys, type IdRule } from "../core/checks";
import { checkAdoptExisting, checkTimeouts } from "../core/settings";
import { CLOUDS, OUTPUT_ONLY_KEYS, type ConnectionInputs } from "./model";

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
    digits: true,
  },
};

function checkEndpoints(news: Record<string, unknown>, put: (key: string, value: unknown) => void, fail: Fail): void {
  const set: string[] = [];
  let unknowns = 0;
  for (const { key, field } of CLOUDS) {
    const value = news[key];
    if (absent(value)) continue;
    const rule = ENDPOINT_RULES[key]!;
    const example = `{ ${field}: "…" }`;
    if (isUnknown(value)) {
      unknowns++;
      put(key, value);
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
    if (id !== undefined) put(key, { [field]: id });
  }
  // An unknown endpoint may still resolve to undefined, so only known values can break the one-of rule.
  if (set.length > 1) {
    for (const key of set) fail(key, `conflicts: exactly one of aws, azure, gcp may be set, but ${set.join(" and ")} are`);
  } else if (set.length === 0 && unknowns === 0) {
    fail("aws", '(or azure, or gcp) is required: set exactly one of them, e.g. aws: { vpcEndpointId: "vpce-…" }');
  }
}

const INPUT_KEYS = ["displayName", "environment", "privateLinkAttachment", "aws", "azure", "gcp", "timeouts", "adoptExisting"];

/**
 * What `check` returns, and so what create and update receive: the inputs normalised, plus the keys the resource
 * class sets. During a preview any value may still be pulumi.runtime.unknownValue; create and update never see one.
 */
export interface CheckedInputs extends ConnectionInputs, HostKeys {}

/** Output-only keys the resource class declares are dropped, never reported: they are not the user's. */
export function checkInputs(news: Record<string, unknown>): { inputs: CheckedInputs; failures: CheckFailure[] } {
  const { inputs, failures } = runChecks(news, { inputs: INPUT_KEYS, outputs: OUTPUT_ONLY_KEYS }, (put, fail) => {
    put("displayName", checkDisplayName(news.displayName, fail, "connection"));
    put("environment", checkRef(news.environment, "environment", ENVIRONMENT_RULE, fail, "env-abc123"));
    put("privateLinkAttachment", checkRef(news.privateLinkAttachment, "privateLinkAttachment", ATTACHMENT_RULE, fail, "platt-abc123"));
    checkEndpoints(news, put, fail);
    put("timeouts", checkTimeouts(news.timeouts, fail));
    put("adoptExisting", checkAdoptExisting(news.adoptExisting, fail));
  });
  // Built key by key from checked values: the shape of CheckedInputs when there are no failures.
  return { inputs: inputs as unknown as CheckedInputs, failures };
}
