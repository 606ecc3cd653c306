import { test, describe } from "node:test";
import assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { isUnknown, type CheckFailure } from "../../provider/core/checks";
import { DEFAULT_TIMEOUT_MS, MAX_TIMEOUT_MS, parseDuration, resolveTimeouts, storedTimeout } from "../../provider/core/settings";
import { checkInputs, type CheckedInputs } from "../../provider/connection/inputs";

const U = pulumi.runtime.unknownValue;
const PROVIDER = "exports.handler = __f0; /* serialized provider */";
const AZURE_ID = "/subscriptions/123aaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa/resourceGroups/testvpc/providers/Microsoft.Network/privateEndpoints/pe-platt-abcdef-az1";

function base(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    __provider: PROVIDER,
    environment: { id: "env-8gv0v5" },
    privateLinkAttachment: { id: "platt-plyvyl" },
    aws: { vpcEndpointId: "vpce-0ed4d51f5d6ef9b6d" },
    ...extra,
  };
}

function ok(news: Record<string, unknown>): CheckedInputs {
  const { inputs, failures } = checkInputs(news);
  assert.deepEqual(failures, [], JSON.stringify(failures));
  return inputs;
}

/**
 * The path a failure is about: its reason starts with it ("aws.vpcEndpointId must be …"), while `property` is the
 * top-level input, which is what the engine looks up to print the offending value.
 */
function pathOf(f: CheckFailure): string {
  if (f.reason.startsWith(`${f.property} `)) return f.property;
  const path = f.reason.slice(0, f.reason.indexOf(" "));
  assert.equal(f.property, path.split(/[.[]/, 1)[0], `property of ${f.reason}`);
  return path;
}

/** Asserts exactly one failure on `property` (unless `count` says otherwise) and returns it. */
function bad(news: Record<string, unknown>, property: string, pattern?: RegExp, count = 1): CheckFailure {
  const { failures } = checkInputs(news);
  const mine = failures.filter((f) => pathOf(f) === property);
  assert.equal(mine.length, count, `failures on ${property}: ${JSON.stringify(failures)}`);
  assert.equal(failures.length, count, `unexpected other failures: ${JSON.stringify(failures)}`);
  const failure = mine[0]!;
  assert.ok(failure.reason.startsWith(property), failure.reason);
  if (pattern) assert.match(failure.reason, pattern);
  assert.ok(failure.reason.length < 400, `reason too long: ${failure.reason}`);
  return failure;
}

test("the unknown value is Pulumi's sentinel", () => {
  assert.equal(U, "04da6b54-80e4-46f7-96ec-b56ff0331ba9");
  assert.ok(isUnknown(U));
  assert.ok(!isUnknown("env-1"));
});

describe("checkInputs: valid inputs", () => {
  test("minimal AWS, __provider passed through untouched", () => {
    assert.deepEqual(ok(base()), base());
  });
  test("Azure and GCP", () => {
    ok(base({ aws: undefined, azure: { privateEndpointResourceId: AZURE_ID } }));
    ok(base({ aws: undefined, gcp: { privateServiceConnectConnectionId: "12345678912345" } }));
  });
  test("Azure namespaces are matched case-insensitively", () => {
    ok(base({ aws: undefined, azure: { privateEndpointResourceId: "/subscriptions/s/resourcegroups/RG/providers/microsoft.network/privateendpoints/pe" } }));
  });
  test("everything set", () => {
    const news = base({ displayName: "my_vpc", timeouts: { create: "30m", update: "90s", delete: "1h30m" }, adoptExisting: false });
    assert.deepEqual(ok(news), news);
  });
  test("displayName is kept verbatim (no trimming)", () => {
    assert.equal(ok(base({ displayName: "  padded  " })).displayName, "  padded  ");
  });
  test("undefined and null optional keys are dropped", () => {
    const inputs = ok(base({ displayName: null, timeouts: undefined, adoptExisting: null, azure: null, gcp: undefined }));
    assert.deepEqual(Object.keys(inputs).sort(), ["__provider", "aws", "environment", "privateLinkAttachment"]);
  });
  test("null keys inside timeouts are dropped, an emptied timeouts object too", () => {
    assert.deepEqual(ok(base({ timeouts: { create: "1h", delete: null } })).timeouts, { create: "1h" });
    assert.equal("timeouts" in ok(base({ timeouts: { create: null } })), false);
    assert.equal("timeouts" in ok(base({ timeouts: {} })), false);
  });
  test("null keys inside references are dropped", () => {
    assert.deepEqual(ok(base({ environment: { id: "env-1", extra: null } })).environment, { id: "env-1" });
  });
  test("output-only keys are dropped silently", () => {
    const inputs = ok(base({ phase: "READY", resourceName: "crn://x", cloudStatus: { a: "b" } }));
    assert.equal("phase" in inputs, false);
    assert.equal("resourceName" in inputs, false);
  });
  test("no __provider key is invented", () => {
    const { __provider: _p, ...rest } = base();
    assert.equal("__provider" in ok(rest), false);
  });
  test("ids up to 255 characters", () => {
    ok(base({ environment: { id: "env-" + "a".repeat(251) } }));
  });
});

describe("checkInputs: unknown values", () => {
  test("whole top-level fields", () => {
    for (const key of ["displayName", "environment", "privateLinkAttachment", "aws", "timeouts", "adoptExisting"] as const) {
      const inputs = ok(base({ [key]: U }));
      assert.equal(inputs[key], U, key);
    }
  });
  test("nested fields", () => {
    const news = base({
      environment: { id: U },
      privateLinkAttachment: { id: U },
      aws: { vpcEndpointId: U },
      timeouts: { create: U, delete: "1h" },
    });
    assert.deepEqual(ok(news), news);
  });
  test("every field unknown at once", () => {
    ok({ __provider: PROVIDER, displayName: U, environment: U, privateLinkAttachment: U, azure: U, timeouts: U, adoptExisting: U });
  });
  test("an unknown endpoint beside a known one is not a conflict (it may resolve to undefined)", () => {
    ok(base({ gcp: U }));
    ok(base({ aws: U, gcp: U }));
  });
  test("only unknown endpoints satisfy the one-of rule", () => {
    ok(base({ aws: undefined, azure: U }));
  });
});

describe("checkInputs: exactly one of aws, azure, gcp", () => {
  test("none", () => {
    bad(base({ aws: undefined }), "aws", /exactly one of them/);
  });
  test("only null", () => {
    bad(base({ aws: null, gcp: null }), "aws", /exactly one/);
  });
  test("two or three", () => {
    const { failures } = checkInputs(base({ gcp: { privateServiceConnectConnectionId: "1" } }));
    assert.deepEqual(failures.map((f) => f.property), ["aws", "gcp"]);
    assert.match(failures[0]!.reason, /exactly one of aws, azure, gcp may be set, but aws and gcp are/);
    const three = checkInputs(base({ gcp: { privateServiceConnectConnectionId: "1" }, azure: { privateEndpointResourceId: AZURE_ID } }));
    assert.deepEqual(three.failures.map((f) => f.property), ["aws", "azure", "gcp"]);
  });
  test("empty object", () => {
    bad(base({ aws: {} }), "aws", /is empty/);
    bad(base({ aws: { vpcEndpointId: null } }), "aws", /is empty/);
  });
  test("empty object beside a valid endpoint", () => {
    const { failures } = checkInputs(base({ gcp: {} }));
    assert.deepEqual(failures.map((f) => f.property).sort(), ["aws", "gcp", "gcp"]);
  });
  test("not an object", () => {
    for (const value of ["vpce-0ed4d51f5d6ef9b6d", 5, [], [{ vpcEndpointId: "vpce-1" }], true]) {
      bad(base({ aws: value }), "aws", /must be an object like \{ vpcEndpointId/);
    }
  });
  test("unknown key inside an endpoint", () => {
    const { failures } = checkInputs(base({ aws: { vpcEndpointID: "vpce-1" } }));
    assert.deepEqual(failures.map(pathOf), ["aws.vpcEndpointID", "aws.vpcEndpointId"]);
    assert.match(failures[0]!.reason, /expected only "vpcEndpointId"/);
  });
});

describe("checkInputs: environment and privateLinkAttachment", () => {
  test("missing", () => {
    bad(base({ environment: undefined }), "environment", /is required.*\{ id: "env-/);
    bad(base({ privateLinkAttachment: null }), "privateLinkAttachment", /is required.*platt-/);
  });
  test("not an object", () => {
    bad(base({ environment: "env-1" }), "environment", /must be an object like \{ id: "env-abc123" \}, got "env-1"/);
    bad(base({ privateLinkAttachment: ["platt-1"] }), "privateLinkAttachment", /must be an object/);
  });
  test("id missing", () => {
    bad(base({ environment: {} }), "environment.id", /is required/);
    bad(base({ environment: { id: null } }), "environment.id", /is required/);
  });
  test("wrong prefix or nothing after it", () => {
    for (const id of ["env-", "env", "ENV-123", "environment-1", "platt-1", " env-1", "env-1 ", "env-1 2", "env-a/b", "env-a?b=1", "env-ü"]) {
      bad(base({ environment: { id } }), "environment.id", /must be "env-" followed by/);
    }
    for (const id of ["platt-", "plattc-1", "env-1", "PLATT-1"]) {
      bad(base({ privateLinkAttachment: { id } }), "privateLinkAttachment.id", /must be "platt-" followed by/);
    }
  });
  test("Unicode look-alike prefix is pointed out", () => {
    const f = bad(base({ environment: { id: "\u0435nv-123" } }), "environment.id", /U\+0435/);
    assert.match(f.reason, /character 1/);
    bad(base({ privateLinkAttachment: { id: "pl\u0430tt-1" } }), "privateLinkAttachment.id", /character 3 is U\+0430/);
  });
  test("not a string", () => {
    for (const id of [123, true, { id: "env-1" }, ["env-1"]]) bad(base({ environment: { id } }), "environment.id", /must be a string/);
  });
  test("too long", () => {
    const f = bad(base({ environment: { id: "env-" + "a".repeat(252) } }), "environment.id", /too long \(256 characters, at most 255\)/);
    assert.ok(f.reason.includes("…"));
  });
  test("unknown keys in a reference", () => {
    bad(base({ environment: { id: "env-1", name: "prod" } }), "environment.name", /expected only "id"/);
  });
});

describe("checkInputs: endpoint ids", () => {
  test("AWS", () => {
    for (const id of ["vpce-", "vpce-0ED4D51F5D6EF9B6D", "vpce-xyz", "vpc-0ed4d51f5d6ef9b6d", "VPCE-0ed4", " vpce-0ed4", "vpce-0ed4\n", "vpce_0ed4"]) {
      bad(base({ aws: { vpcEndpointId: id } }), "aws.vpcEndpointId", /"vpce-" followed by lowercase hex/);
    }
    bad(base({ aws: { vpcEndpointId: 42 } }), "aws.vpcEndpointId", /must be a string/);
    bad(base({ aws: { vpcEndpointId: "vpce-" + "a".repeat(251) } }), "aws.vpcEndpointId", /too long/);
  });
  test("Azure", () => {
    const bads = [
      "pe-platt-abcdef-az1",
      "subscriptions/s/resourceGroups/g/providers/Microsoft.Network/privateEndpoints/pe",
      "/subscriptions//resourceGroups/g/providers/Microsoft.Network/privateEndpoints/pe",
      "/subscriptions/s/resourceGroups//providers/Microsoft.Network/privateEndpoints/pe",
      "/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/privateEndpoints/",
      "/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/privateEndpoints/pe/",
      "/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/privateLinkServices/pls",
      "/subscriptions/s/resourceGroups/g/providers/Microsoft.Compute/privateEndpoints/pe",
      "/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/privateEndpoints/pe/extra/x",
      "/subscriptions/s p/resourceGroups/g/providers/Microsoft.Network/privateEndpoints/pe",
    ];
    for (const id of bads) {
      bad(base({ aws: undefined, azure: { privateEndpointResourceId: id } }), "azure.privateEndpointResourceId", /\/subscriptions\/<subscription>/);
    }
  });
  test("GCP", () => {
    for (const id of ["", "12a", "-1", "1.5", " 1", "１２３"]) {
      bad(base({ aws: undefined, gcp: { privateServiceConnectConnectionId: id } }), "gcp.privateServiceConnectConnectionId", /string of digits/);
    }
    bad(base({ aws: undefined, gcp: { privateServiceConnectConnectionId: "1".repeat(256) } }), "gcp.privateServiceConnectConnectionId", /too long/);
  });
  test("GCP id given as a JS number says to pass a string", () => {
    bad(base({ aws: undefined, gcp: { privateServiceConnectConnectionId: 12345678912345 } }), "gcp.privateServiceConnectConnectionId", /must be a string, not a number.*"12345678912345"/);
  });
});

describe("checkInputs: displayName, timeouts, adoptExisting, unknown keys", () => {
  test("displayName empty or whitespace", () => {
    for (const name of ["", " ", "\t\n"]) bad(base({ displayName: name }), "displayName", /must not be empty/);
  });
  test("displayName not a string", () => {
    for (const name of [1, true, {}, ["a"]]) bad(base({ displayName: name }), "displayName", /must be a string/);
  });
  test("timeouts unparsable", () => {
    bad(base({ timeouts: { create: "soon" } }), "timeouts.create", /not a valid duration.*"soon"/);
    bad(base({ timeouts: { update: "90" } }), "timeouts.update", /no unit/);
    bad(base({ timeouts: { delete: "0s" } }), "timeouts.delete", /at least 1ms/);
    bad(base({ timeouts: { delete: "-5m" } }), "timeouts.delete", /positive/);
    bad(base({ timeouts: { create: 90 } }), "timeouts.create", /must be a duration string/);
  });
  test("timeouts with unknown keys", () => {
    bad(base({ timeouts: { read: "1m" } }), "timeouts.read", /expected only "create", "update", "delete"/);
    bad(base({ timeouts: { Create: "1m" } }), "timeouts.Create");
  });
  test("timeouts not an object", () => {
    for (const t of ["30m", 5, [], [{ create: "1m" }]]) bad(base({ timeouts: t }), "timeouts", /must be an object/);
  });
  test("adoptExisting not a boolean", () => {
    for (const v of ["true", 1, 0, {}, []]) bad(base({ adoptExisting: v }), "adoptExisting", /must be true or false/);
  });
  test("unknown top-level keys", () => {
    bad(base({ displayname: "x" }), "displayname", /not a known argument/);
    bad(base({ vpcEndpointId: "vpce-1" }), "vpcEndpointId");
  });
});

describe("checkInputs: never throws", () => {
  const junk: unknown[] = [null, undefined, 0, -1, NaN, Infinity, "", " ", "x".repeat(10_000), {}, [], [null], { id: null }, { id: {} }, { id: [] }, true, 10n, Symbol("s"), () => 1, new Date(0)];
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  junk.push(cyclic);
  const paths = [
    ["displayName"], ["environment"], ["environment", "id"], ["privateLinkAttachment"], ["privateLinkAttachment", "id"],
    ["aws"], ["aws", "vpcEndpointId"], ["azure"], ["gcp"], ["timeouts"], ["timeouts", "create"], ["adoptExisting"], ["other"],
  ];
  test("junk at every path yields failures, not exceptions, with short reasons", () => {
    for (const p of paths) {
      for (const value of junk) {
        const news = structuredClone(base({ timeouts: { create: "1m" } }));
        let target = news;
        for (const k of p.slice(0, -1)) target = target[k] as Record<string, unknown>;
        target[p[p.length - 1]!] = value;
        const { failures } = checkInputs(news);
        for (const f of failures) {
          assert.equal(typeof f.property, "string");
          assert.ok(f.reason.length < 400, `${p.join(".")}: ${f.reason.length}`);
        }
      }
    }
  });
  test("arguments that are not an object at all", () => {
    for (const news of [null, undefined, [], "x", 5]) {
      const { inputs, failures } = checkInputs(news as unknown as Record<string, unknown>);
      assert.deepEqual(inputs, {});
      assert.equal(failures.length, 1);
      assert.equal(failures[0]!.property, "args");
    }
  });
  test("long bad values are truncated in reasons", () => {
    const f = bad(base({ displayName: ["y".repeat(5000)] }), "displayName");
    assert.ok(f.reason.length < 200);
    assert.ok(f.reason.includes("…"));
  });
  test("all failures are reported at once", () => {
    const { failures } = checkInputs({ displayName: "", environment: { id: "x" }, privateLinkAttachment: {}, timeouts: { create: "x" }, adoptExisting: "yes" });
    assert.deepEqual(failures.map(pathOf).sort(), ["adoptExisting", "aws", "displayName", "environment.id", "privateLinkAttachment.id", "timeouts.create"]);
  });
});

describe("parseDuration", () => {
  test("valid durations", () => {
    const cases: Array<[string, number]> = [
      ["90s", 90_000], ["30m", 1_800_000], ["2h", 7_200_000], ["1h30m", 5_400_000], ["500ms", 500],
      ["1h30m15s250ms", 5_415_250], ["1.5h", 5_400_000], ["0.5s", 500], ["1m1s", 61_000], ["596h", 596 * 3_600_000],
    ];
    for (const [text, ms] of cases) assert.equal(parseDuration(text), ms, text);
  });
  test("invalid durations throw clear errors", () => {
    const cases: Array<[string, RegExp]> = [
      ["", /invalid duration ""/],
      ["90", /no unit/],
      ["1.5", /no unit/],
      ["-5m", /must be positive/],
      ["0s", /at least 1ms/],
      ["0h0m", /at least 1ms/],
      ["0.1ms", /at least 1ms/],
      ["5d", /invalid duration "5d".*ms, s, m or h/],
      ["1 h", /invalid duration/],
      [" 1h", /invalid duration/],
      ["h", /invalid duration/],
      ["1H", /invalid duration/],
      ["1h-30m", /invalid duration/],
      ["1e3s", /invalid duration/],
      ["597h", /too long/],
      ["9".repeat(400) + "h", /too long/],
    ];
    for (const [text, pattern] of cases) assert.throws(() => parseDuration(text), pattern, text);
  });
  test("a non-string is rejected, not coerced", () => {
    assert.throws(() => parseDuration(90 as unknown as string), /must be a string/);
    assert.throws(() => parseDuration(undefined as unknown as string), /must be a string/);
  });
  test("messages show the value truncated", () => {
    assert.throws(() => parseDuration("x".repeat(1000)), (err: Error) => err.message.length < 250 && err.message.includes("…"));
  });
});

describe("resolveTimeouts", () => {
  test("defaults are two hours", () => {
    assert.equal(DEFAULT_TIMEOUT_MS, 7_200_000);
    const all = { createMs: DEFAULT_TIMEOUT_MS, updateMs: DEFAULT_TIMEOUT_MS, deleteMs: DEFAULT_TIMEOUT_MS };
    for (const t of [undefined, null, {}, "1h", [], U, 5]) assert.deepEqual(resolveTimeouts(t), all);
  });
  test("given values win, missing or bad ones fall back", () => {
    assert.deepEqual(resolveTimeouts({ create: "30m", update: "bogus", delete: U }), {
      createMs: 1_800_000,
      updateMs: DEFAULT_TIMEOUT_MS,
      deleteMs: DEFAULT_TIMEOUT_MS,
    });
    assert.deepEqual(resolveTimeouts({ delete: "90s", create: 5 }), { createMs: DEFAULT_TIMEOUT_MS, updateMs: DEFAULT_TIMEOUT_MS, deleteMs: 90_000 });
  });
  test("the maximum fits a Node timer", () => {
    assert.equal(MAX_TIMEOUT_MS, 2_147_483_647);
  });
});

describe("storedTimeout: a timeout as the stack's state holds it", () => {
  test("absent: the default, silently; a duration: itself", () => {
    assert.deepEqual(storedTimeout(undefined, "delete"), { ms: DEFAULT_TIMEOUT_MS });
    assert.deepEqual(storedTimeout({ create: "5m" }, "delete"), { ms: DEFAULT_TIMEOUT_MS });
    assert.deepEqual(storedTimeout({ delete: "1h30m" }, "delete"), { ms: 90 * 60_000 });
  });

  test("not a duration: the default, and a warning naming the value, the property and the default", () => {
    assert.deepEqual(storedTimeout({ delete: "2 hours" }, "delete"), {
      ms: DEFAULT_TIMEOUT_MS,
      unusable: `timeouts.delete = "2 hours" in the stack's state does not parse (invalid duration "2 hours": expected numbers with units ms, s, m or h (e.g. "90s", "30m", "2h", "1h30m" or "500ms")); using 2h, the default`,
    });
    assert.equal(storedTimeout({ update: 90 }, "update").unusable, "timeouts.update = 90 in the stack's state is not a duration string; using 2h, the default");
    assert.equal(storedTimeout(["30m"], "delete").unusable, `timeouts = ["30m"] in the stack's state is not an object; using 2h, the default`);
  });
});
