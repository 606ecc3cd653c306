import { test, describe } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { diffConnection } from "../../provider/connection/diff";
import { checkInputs } from "../../provider/connection/inputs";
import { apiVisibleInputs, connectionFromWire } from "../../provider/connection/model";
import { RECORDED_DIR } from "../support/openapi";

const U = pulumi.runtime.unknownValue;
const AZURE_ID = "/subscriptions/123aaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa/resourceGroups/testvpc/providers/Microsoft.Network/privateEndpoints/pe-platt-abcdef-az1";

/** Old outputs as a create would store them: state + inputs-only keys + __provider. */
function olds(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    __provider: "old provider source",
    displayName: "my_vpc",
    environment: { id: "env-8gv0v5" },
    privateLinkAttachment: { id: "platt-plyvyl" },
    aws: { vpcEndpointId: "vpce-0ed4d51f5d6ef9b6d" },
    resourceName: "crn://confluent.cloud/…/private-link-attachment-connection=plattc-gz20xy",
    phase: "READY",
    cloudStatus: { vpcEndpointId: "vpce-0ed4d51f5d6ef9b6d", vpcEndpointServiceName: "svc" },
    createdAt: "2023-03-14T02:13:22.03597Z",
    updatedAt: "2023-03-14T02:13:22.03597Z",
    timeouts: { create: "30m" },
    adoptExisting: false,
    ...extra,
  };
}

function news(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    __provider: "new provider source",
    displayName: "my_vpc",
    environment: { id: "env-8gv0v5" },
    privateLinkAttachment: { id: "platt-plyvyl" },
    aws: { vpcEndpointId: "vpce-0ed4d51f5d6ef9b6d" },
    timeouts: { create: "30m" },
    adoptExisting: false,
    ...extra,
  };
}

function without(obj: Record<string, unknown>, ...keys: string[]): Record<string, unknown> {
  const copy = { ...obj };
  for (const k of keys) delete copy[k];
  return copy;
}

function noChange(o: object, n: object): void {
  const d = diffConnection(o, n);
  assert.equal(d.changes, false, JSON.stringify(d));
  assert.deepEqual(d.replaces, []);
  assert.deepEqual(d.diffs, []);
  assert.equal(d.deleteBeforeReplace, false);
}

function expectDiff(o: Record<string, unknown>, n: Record<string, unknown>, replaces: string[], deleteBeforeReplace: boolean, diffs?: string[]): void {
  const d = diffConnection(o, n);
  assert.equal(d.changes, true, JSON.stringify(d));
  assert.deepEqual(d.replaces, replaces);
  assert.equal(d.deleteBeforeReplace, deleteBeforeReplace);
  if (diffs) assert.deepEqual(d.diffs, diffs);
  for (const key of replaces) assert.ok(d.diffs.includes(key), `${key} in diffs`);
}

describe("no change", () => {
  test("identical API-visible properties", () => {
    noChange(olds(), news());
  });
  test("__provider and __urn never cause a change; timeouts compare by value, in any key order", () => {
    noChange(without(olds(), "__provider"), news());
    noChange(olds({ __urn: "urn:a" }), news({ __urn: "urn:b" }));
    noChange(olds({ timeouts: { delete: "1h", create: "5m" } }), news({ timeouts: { create: "5m", delete: "1h", update: undefined } }));
    noChange(olds({ timeouts: undefined, adoptExisting: undefined }), without(news(), "timeouts", "adoptExisting"));
  });
  test("output-only keys are ignored while the connection is READY or on its way", () => {
    noChange(olds({ errorCode: "X", cloudStatus: undefined, updatedAt: "later" }), news());
    noChange(olds({ phase: "PROVISIONING" }), news());
    noChange(without(olds(), "phase"), news());
  });
});

describe("steering: timeouts and adoptExisting are recorded by an update that touches nothing else", () => {
  test("a changed timeouts or adoptExisting alone is a change, never a replacement", () => {
    expectDiff(olds(), news({ timeouts: { create: "30m", delete: "4h" } }), [], false, ["timeouts"]);
    expectDiff(olds(), news({ timeouts: undefined }), [], false, ["timeouts"]);
    expectDiff(olds(), news({ adoptExisting: true }), [], false, ["adoptExisting"]);
    expectDiff(olds({ adoptExisting: undefined }), news({ adoptExisting: false }), [], false, ["adoptExisting"]);
  });
  test("unknown timeouts or adoptExisting (preview) show as a change", () => {
    expectDiff(olds(), news({ timeouts: U, adoptExisting: U }), [], false, ["timeouts", "adoptExisting"]);
    expectDiff(olds(), news({ timeouts: { create: U } }), [], false, ["timeouts"]);
  });
});

describe("the recorded phase", () => {
  test("FAILED is replaced, the old connection deleted first when the endpoint stays", () => {
    expectDiff(olds({ phase: "FAILED", errorCode: "PROVISIONING_FAILED" }), news(), ["phase"], true, ["phase"]);
    expectDiff(olds({ phase: "FAILED" }), news({ aws: { vpcEndpointId: "vpce-0aaaaaaaaaaaaaaa1" } }), ["aws", "phase"], false);
  });
  test("DISCONNECTED, DEPROVISIONING or a future phase is an update (which checks it again), never silent", () => {
    for (const phase of ["DISCONNECTED", "DEPROVISIONING", "SOME_FUTURE_PHASE"]) {
      expectDiff(olds({ phase }), news(), [], false, ["phase"]);
    }
  });
  test("displayName absent on both sides, in any spelling of absent", () => {
    noChange(without(olds(), "displayName"), without(news(), "displayName"));
    noChange(olds({ displayName: undefined }), without(news(), "displayName"));
    noChange(without(olds(), "displayName"), news({ displayName: undefined }));
    noChange(olds({ displayName: "" }), without(news(), "displayName"));
    noChange(olds({ displayName: null }), news({ displayName: undefined }));
  });
  test("extra keys (e.g. kind, bare or prefixed) inside old reference/endpoint objects", () => {
    noChange(
      olds({
        aws: { kind: "networking.v1.AwsPrivateLinkAttachmentConnection", vpcEndpointId: "vpce-0ed4d51f5d6ef9b6d" },
        environment: { id: "env-8gv0v5", kind: "Environment" },
      }),
      news(),
    );
    noChange(olds({ aws: { kind: "AwsPrivateLinkAttachmentConnection", vpcEndpointId: "vpce-0ed4d51f5d6ef9b6d" } }), news());
  });
  test("an older wire-like `cloud` shape with either kind spelling", () => {
    for (const kind of ["AwsPrivateLinkAttachmentConnection", "networking.v1.AwsPrivateLinkAttachmentConnection"]) {
      noChange(without(olds({ cloud: { kind, vpc_endpoint_id: "vpce-0ed4d51f5d6ef9b6d" } }), "aws"), news());
      noChange(without(olds({ cloud: { kind, vpcEndpointId: "vpce-0ed4d51f5d6ef9b6d" } }), "aws"), news());
    }
    expectDiff(
      without(olds({ cloud: { kind: "networking.v1.AwsPrivateLinkAttachmentConnection", vpc_endpoint_id: "vpce-1111" } }), "aws"),
      news(),
      ["aws"],
      false,
    );
  });
  test("Azure resource ids differing only in case", () => {
    noChange(
      olds({ aws: undefined, azure: { privateEndpointResourceId: AZURE_ID } }),
      news({ aws: undefined, azure: { privateEndpointResourceId: AZURE_ID.toLowerCase() } }),
    );
  });
  test("every recorded body: read outputs vs the inputs read returns (after check)", () => {
    const dir = RECORDED_DIR;
    for (const name of fs.readdirSync(dir).filter((f) => f.endsWith("_plattc.json"))) {
      const { state } = connectionFromWire(JSON.parse(fs.readFileSync(path.join(dir, name), "utf8")));
      const checked = checkInputs({ ...apiVisibleInputs(state), __provider: "p" });
      assert.deepEqual(checked.failures, [], name);
      noChange({ ...state, __provider: "q" }, checked.inputs);
    }
  });
});

describe("in-place update", () => {
  test("displayName changed", () => {
    expectDiff(olds(), news({ displayName: "my_vpc_update" }), [], false, ["displayName"]);
  });
  test("displayName removed by the program", () => {
    expectDiff(olds(), without(news(), "displayName"), [], false, ["displayName"]);
  });
  test("displayName added", () => {
    expectDiff(without(olds(), "displayName"), news({ displayName: "new" }), [], false, ["displayName"]);
  });
  test("out-of-band rename picked up by refresh", () => {
    expectDiff(olds({ displayName: "renamed-in-console" }), news(), [], false, ["displayName"]);
  });
  test("displayName unknown", () => {
    expectDiff(olds(), news({ displayName: U }), [], false, ["displayName"]);
  });
});

describe("replacement", () => {
  test("environment changed: same endpoint, so delete first", () => {
    expectDiff(olds(), news({ environment: { id: "env-other" } }), ["environment"], true, ["environment"]);
  });
  test("attachment changed: same endpoint, so delete first", () => {
    expectDiff(olds(), news({ privateLinkAttachment: { id: "platt-other" } }), ["privateLinkAttachment"], true);
  });
  test("endpoint id changed: create first", () => {
    expectDiff(olds(), news({ aws: { vpcEndpointId: "vpce-1111" } }), ["aws"], false, ["aws"]);
  });
  test("AWS ids are compared exactly", () => {
    expectDiff(olds(), news({ aws: { vpcEndpointId: "vpce-0ED4D51F5D6EF9B6D" } }), ["aws"], false);
  });
  test("cloud switched", () => {
    expectDiff(olds(), news({ aws: undefined, gcp: { privateServiceConnectConnectionId: "123" } }), ["aws", "gcp"], false);
    expectDiff(
      olds({ aws: undefined, azure: { privateEndpointResourceId: AZURE_ID } }),
      news({ aws: undefined, gcp: { privateServiceConnectConnectionId: "123" } }),
      ["azure", "gcp"],
      false,
    );
  });
  test("environment and endpoint both changed: no delete-before-replace", () => {
    expectDiff(olds(), news({ environment: { id: "env-other" }, aws: { vpcEndpointId: "vpce-1111" } }), ["environment", "aws"], false);
  });
  test("replace plus rename", () => {
    expectDiff(olds(), news({ displayName: "x", environment: { id: "env-other" } }), ["environment"], true, ["displayName", "environment"]);
  });
  test("GCP and Azure ids changed", () => {
    expectDiff(
      olds({ aws: undefined, gcp: { privateServiceConnectConnectionId: "1" } }),
      news({ aws: undefined, gcp: { privateServiceConnectConnectionId: "2" } }),
      ["gcp"],
      false,
    );
    expectDiff(
      olds({ aws: undefined, azure: { privateEndpointResourceId: AZURE_ID } }),
      news({ aws: undefined, azure: { privateEndpointResourceId: AZURE_ID.replace("az1", "az2") } }),
      ["azure"],
      false,
    );
  });
});

describe("unknown values", () => {
  test("whole environment or its id", () => {
    expectDiff(olds(), news({ environment: U }), ["environment"], false);
    expectDiff(olds(), news({ environment: { id: U } }), ["environment"], false);
  });
  test("attachment id", () => {
    expectDiff(olds(), news({ privateLinkAttachment: { id: U } }), ["privateLinkAttachment"], false);
  });
  test("endpoint, whole or nested", () => {
    expectDiff(olds(), news({ aws: U }), ["aws"], false);
    expectDiff(olds(), news({ aws: { vpcEndpointId: U } }), ["aws"], false);
  });
  test("unknown endpoint of another cloud: the old one is going too", () => {
    expectDiff(olds(), news({ aws: undefined, gcp: U }), ["aws", "gcp"], false);
  });
  test("an unknown elsewhere blocks delete-before-replace", () => {
    expectDiff(olds(), news({ environment: { id: "env-other" }, privateLinkAttachment: { id: U } }), ["environment", "privateLinkAttachment"], false);
  });
  test("an unknown displayName alone does not block delete-before-replace", () => {
    expectDiff(olds(), news({ displayName: U, environment: { id: "env-other" } }), ["environment"], true);
  });
});

describe("robustness", () => {
  test("old outputs missing everything: all replacing properties change", () => {
    expectDiff({ __provider: "x" }, news(), ["environment", "privateLinkAttachment", "aws"], false);
  });
  test("garbage shapes never throw", () => {
    const junk: unknown[] = [null, undefined, 0, "", "x", [], {}, { id: null }, { id: 5 }, [{ id: "env-1" }], true];
    for (const key of ["displayName", "environment", "privateLinkAttachment", "aws", "azure", "gcp", "cloud"]) {
      for (const value of junk) {
        const a = diffConnection(olds({ [key]: value }), news());
        const b = diffConnection(olds(), news({ [key]: value }));
        for (const d of [a, b]) {
          assert.equal(typeof d.changes, "boolean");
          if (!d.changes) assert.deepEqual(d.replaces, []);
        }
      }
    }
    assert.doesNotThrow(() => diffConnection(null as unknown as Record<string, unknown>, undefined as unknown as Record<string, unknown>));
  });
  test("changes:false never comes with replaces or delete-before-replace", () => {
    const variants: Array<Record<string, unknown>> = [
      {}, { displayName: "z" }, { environment: { id: "env-z" } }, { aws: { vpcEndpointId: "vpce-2" } }, { timeouts: { create: "1m" } },
      { aws: undefined, gcp: { privateServiceConnectConnectionId: "9" } }, { adoptExisting: true }, { environment: U },
    ];
    for (const o of variants) {
      for (const n of variants) {
        const d = diffConnection(olds(o), news(n));
        if (!d.changes) {
          assert.deepEqual(d.replaces, []);
          assert.equal(d.deleteBeforeReplace, false);
        }
        if (d.deleteBeforeReplace) assert.ok(d.replaces.length > 0);
        assert.equal(d.changes, d.diffs.length > 0);
      }
    }
  });
  test("stables list the unchanged compared properties, plus resourceName when not replacing", () => {
    const d = diffConnection(olds(), news({ displayName: "new" }));
    assert.deepEqual(d.stables.sort(), ["aws", "createdAt", "environment", "privateLinkAttachment", "resourceName"]);
    const r = diffConnection(olds(), news({ environment: { id: "env-z" } }));
    assert.ok(!r.stables.includes("resourceName"));
    assert.ok(r.stables.includes("aws"));
  });
});
