import { test, describe } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describeValue } from "../../provider/core/checks";
import {
  apiVisibleInputs,
  connectionFromWire,
  endpointOf,
  MalformedResponseError,
  sameEndpoint,
  stripKindPrefix,
  toCreateRequest,
  toUpdateRequest,
  type ConnectionInputs,
} from "../../provider/connection/model";
import { RECORDED_DIR } from "../support/openapi";

const recordedNames = fs.readdirSync(RECORDED_DIR).filter((f) => f.endsWith("_plattc.json")).sort();

function recorded(name: string): Record<string, any> {
  return JSON.parse(fs.readFileSync(path.join(RECORDED_DIR, name), "utf8"));
}

function clone<T>(x: T): T {
  return JSON.parse(JSON.stringify(x));
}

/** Every string anywhere in a value, with its path. */
function strings(value: unknown, at = "$"): Array<[string, string]> {
  if (typeof value === "string") return [[at, value]];
  if (Array.isArray(value)) return value.flatMap((v, i) => strings(v, `${at}[${i}]`));
  if (value && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => strings(v, `${at}.${k}`));
  return [];
}

function expectMalformed(body: unknown, field: string): MalformedResponseError {
  let caught: unknown;
  try {
    connectionFromWire(body);
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof MalformedResponseError, `expected MalformedResponseError, got ${String(caught)}`);
  assert.ok(!(caught instanceof TypeError));
  assert.equal(caught.field, field);
  assert.equal(caught.name, "MalformedResponseError");
  if (field !== "") assert.ok(caught.message.includes(`"${field}"`), caught.message);
  assert.ok(caught.message.length < 400, `message too long: ${caught.message.length}`);
  return caught;
}

const awsInputs: ConnectionInputs = {
  displayName: "my_vpc",
  environment: { id: "env-8gv0v5" },
  privateLinkAttachment: { id: "platt-plyvyl" },
  aws: { vpcEndpointId: "vpce-0ed4d51f5d6ef9b6d" },
  timeouts: { create: "30m" },
  adoptExisting: true,
};

describe("stripKindPrefix", () => {
  test("removes a dotted API group prefix", () => {
    assert.equal(stripKindPrefix("networking.v1.AwsPrivateLinkAttachmentConnection"), "AwsPrivateLinkAttachmentConnection");
    assert.equal(stripKindPrefix("networking.v1.AzurePrivateLinkAttachmentConnectionStatus"), "AzurePrivateLinkAttachmentConnectionStatus");
  });
  test("leaves bare kinds and empty strings alone", () => {
    assert.equal(stripKindPrefix("GcpPrivateLinkAttachmentConnection"), "GcpPrivateLinkAttachmentConnection");
    assert.equal(stripKindPrefix(""), "");
  });
});

describe("endpointOf", () => {
  test("each cloud", () => {
    assert.deepEqual(endpointOf({ aws: { vpcEndpointId: "vpce-1" } }), { cloud: "AWS", id: "vpce-1" });
    assert.deepEqual(endpointOf({ azure: { privateEndpointResourceId: "/subscriptions/a" } }), { cloud: "AZURE", id: "/subscriptions/a" });
    assert.deepEqual(endpointOf({ gcp: { privateServiceConnectConnectionId: "123" } }), { cloud: "GCP", id: "123" });
  });
  test("none", () => {
    assert.equal(endpointOf({}), undefined);
  });
});

describe("sameEndpoint", () => {
  const azure = "/subscriptions/123aaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa/resourceGroups/testvpc/providers/Microsoft.Network/privateEndpoints/pe-1";
  test("Azure resource ids are compared without case", () => {
    assert.equal(sameEndpoint({ cloud: "AZURE", id: azure }, { cloud: "AZURE", id: azure.toLowerCase() }), true);
    assert.equal(sameEndpoint({ cloud: "AZURE", id: azure }, { cloud: "AZURE", id: azure.replace("pe-1", "pe-2") }), false);
  });
  test("AWS and GCP ids exactly; another cloud or a missing side is never the same", () => {
    assert.equal(sameEndpoint({ cloud: "AWS", id: "vpce-0abc" }, { cloud: "AWS", id: "vpce-0ABC" }), false);
    assert.equal(sameEndpoint({ cloud: "GCP", id: "0123" }, { cloud: "GCP", id: "123" }), false);
    assert.equal(sameEndpoint({ cloud: "AWS", id: "1" }, { cloud: "GCP", id: "1" }), false);
    assert.equal(sameEndpoint({ cloud: "AWS", id: "vpce-1" }, undefined), false);
  });
});

describe("toCreateRequest", () => {
  test("AWS with bare kind, display name and nothing Pulumi-only", () => {
    assert.deepEqual(toCreateRequest(awsInputs), {
      spec: {
        display_name: "my_vpc",
        cloud: { kind: "AwsPrivateLinkAttachmentConnection", vpc_endpoint_id: "vpce-0ed4d51f5d6ef9b6d" },
        environment: { id: "env-8gv0v5" },
        private_link_attachment: { id: "platt-plyvyl" },
      },
    });
  });
  test("Azure and GCP kinds and fields", () => {
    const base = { environment: { id: "env-1" }, privateLinkAttachment: { id: "platt-1" } };
    const azureId = "/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/privateEndpoints/pe";
    assert.deepEqual(toCreateRequest({ ...base, azure: { privateEndpointResourceId: azureId } }).spec.cloud, {
      kind: "AzurePrivateLinkAttachmentConnection",
      private_endpoint_resource_id: azureId,
    });
    assert.deepEqual(toCreateRequest({ ...base, gcp: { privateServiceConnectConnectionId: "1234" } }).spec.cloud, {
      kind: "GcpPrivateLinkAttachmentConnection",
      private_service_connect_connection_id: "1234",
    });
  });
  test("display_name omitted (not null, not empty) when undefined", () => {
    const { displayName: _omit, ...rest } = awsInputs;
    const req = toCreateRequest(rest);
    assert.equal("display_name" in req.spec, false);
    assert.equal(JSON.stringify(req).includes("display_name"), false);
  });
  test("no endpoint is a programming error with a clear message", () => {
    assert.throws(() => toCreateRequest({ environment: { id: "env-1" }, privateLinkAttachment: { id: "platt-1" } }), /exactly one of aws, azure or gcp/);
  });
});

describe("toUpdateRequest", () => {
  test("only display_name and environment", () => {
    assert.deepEqual(toUpdateRequest(awsInputs), { spec: { display_name: "my_vpc", environment: { id: "env-8gv0v5" } } });
  });
  test("a removed display name is cleared with an empty string", () => {
    const { displayName: _omit, ...rest } = awsInputs;
    assert.deepEqual(toUpdateRequest(rest), { spec: { display_name: "", environment: { id: "env-8gv0v5" } } });
  });
});

describe("connectionFromWire on every recorded *_plattc.json body", () => {
  test("the recorded set is there", () => {
    assert.ok(recordedNames.length >= 8, `found ${recordedNames.join(", ")}`);
  });
  for (const name of recordedNames) {
    test(name, () => {
      const body = recorded(name);
      const { id, state } = connectionFromWire(body);
      assert.equal(id, body.id);
      assert.equal(state.phase, body.status.phase);
      assert.equal(state.environment.id, body.spec.environment.id);
      assert.equal(state.privateLinkAttachment.id, body.spec.private_link_attachment.id);
      assert.equal(state.resourceName, body.metadata.resource_name);
      assert.equal(state.createdAt, body.metadata.created_at);
      assert.equal(state.updatedAt, body.metadata.updated_at);
      assert.equal(state.displayName, body.spec.display_name);
      const cloud = body.spec.cloud;
      const endpoint = endpointOf(state);
      assert.ok(endpoint);
      assert.equal(endpoint.id, cloud.vpc_endpoint_id ?? cloud.private_endpoint_resource_id ?? cloud.private_service_connect_connection_id);
      assert.equal([state.aws, state.azure, state.gcp].filter(Boolean).length, 1);
      for (const [at, value] of strings(state)) assert.notEqual(value, "", `empty string output at ${at}`);
      assert.equal(Object.keys(state.cloudStatus ?? {}).includes("kind"), false);
      for (const key of Object.keys(state.cloudStatus ?? {})) assert.match(key, /^[a-z][A-Za-z0-9]*$/);
      assert.equal("deletedAt" in state, false);
      // The result is plain data: survives JSON (what Pulumi stores) unchanged.
      assert.deepEqual(clone(state), state);
    });
  }
});

describe("connectionFromWire quirks", () => {
  test("AWS while provisioning: prefixed kinds, empty service name dropped", () => {
    const { id, state } = connectionFromWire(recorded("create_aws_plattc.json"));
    assert.equal(id, "plattc-gz20xy");
    assert.deepEqual(state, {
      aws: { vpcEndpointId: "vpce-0ed4d51f5d6ef9b6d" },
      environment: { id: "env-8gv0v5" },
      privateLinkAttachment: { id: "platt-plyvyl" },
      phase: "PROVISIONING",
      displayName: "my_vpc",
      resourceName:
        "crn://confluent.cloud/organization=1111aaaa-11aa-11aa-11aa-111111aaaaaa/environment=env-8gv0v5/private-link-attachment=platt-plyvyl/private-link-attachment-connection=plattc-gz20xy",
      cloudStatus: { vpcEndpointId: "vpce-0ed4d51f5d6ef9b6d" },
      createdAt: "2023-03-14T02:13:22.03597Z",
      updatedAt: "2023-03-14T02:13:22.03597Z",
    });
  });
  test("AWS READY: full cloud status", () => {
    const { state } = connectionFromWire(recorded("read_aws_plattc.json"));
    assert.equal(state.phase, "READY");
    assert.deepEqual(state.cloudStatus, {
      vpcEndpointId: "vpce-0ed4d51f5d6ef9b6d",
      vpcEndpointServiceName: "com.amazonaws.vpce.us-west-2.vpce-svc-0d3be37e21708ecd3",
    });
  });
  test("Azure: empty error fields absent, unknown `zone` kept camelCased, deleted_at on a live object ignored", () => {
    const { state } = connectionFromWire(recorded("read_azure_plattc.json"));
    assert.equal(state.phase, "READY");
    assert.equal("errorCode" in state, false);
    assert.equal("errorMessage" in state, false);
    assert.deepEqual(state.azure, {
      privateEndpointResourceId:
        "/subscriptions/123aaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa/resourceGroups/testvpc/providers/Microsoft.Network/privateEndpoints/pe-platt-abcdef-az1",
    });
    assert.deepEqual(Object.keys(state.cloudStatus!).sort(), [
      "privateEndpointResourceId",
      "privateLinkServiceAlias",
      "privateLinkServiceResourceId",
      "zone",
    ]);
    assert.equal(state.cloudStatus!.zone, "1");
  });
  test("GCP: status.cloud missing the 'required' service attachment", () => {
    const { state } = connectionFromWire(recorded("read_gcp_plattc.json"));
    assert.deepEqual(state.gcp, { privateServiceConnectConnectionId: "1234567891234" });
    assert.deepEqual(state.cloudStatus, { privateServiceConnectConnectionId: "1234567891234" });
  });
  test("no status.cloud at all: no cloudStatus key", () => {
    for (const name of ["create_azure_plattc.json", "create_gcp_plattc.json"]) {
      const { state } = connectionFromWire(recorded(name));
      assert.equal("cloudStatus" in state, false, name);
    }
  });
  test("bare and prefixed kinds read the same", () => {
    const prefixed = recorded("read_aws_plattc.json");
    const bare = clone(prefixed);
    bare.spec.cloud.kind = "AwsPrivateLinkAttachmentConnection";
    bare.status.cloud.kind = "AwsPrivateLinkAttachmentConnectionStatus";
    assert.deepEqual(connectionFromWire(bare), connectionFromWire(prefixed));
    const azure = recorded("read_azure_plattc.json");
    const prefixedAzure = clone(azure);
    prefixedAzure.spec.cloud.kind = "networking.v1.AzurePrivateLinkAttachmentConnection";
    assert.deepEqual(connectionFromWire(prefixedAzure), connectionFromWire(azure));
  });
  test("phases pass through verbatim, including future ones", () => {
    for (const phase of ["PROVISIONING", "READY", "FAILED", "DEPROVISIONING", "DISCONNECTED", "SOMETHING_NEW", "ready"]) {
      const body = recorded("read_aws_plattc.json");
      body.status.phase = phase;
      assert.equal(connectionFromWire(body).state.phase, phase);
    }
  });
  test("non-empty error fields are exposed", () => {
    const body = recorded("read_aws_plattc.json");
    body.status.phase = "FAILED";
    body.status.error_code = "VPC_ENDPOINT_NOT_FOUND";
    body.status.error_message = "The VPC endpoint vpce-0ed4d51f5d6ef9b6d does not exist";
    const { state } = connectionFromWire(body);
    assert.equal(state.errorCode, "VPC_ENDPOINT_NOT_FOUND");
    assert.equal(state.errorMessage, "The VPC endpoint vpce-0ed4d51f5d6ef9b6d does not exist");
  });
  test("empty, null or missing optional fields are simply absent", () => {
    const body = recorded("read_aws_plattc.json");
    body.spec.display_name = "";
    body.metadata = { resource_name: "", created_at: null };
    body.status.error_code = null;
    body.status.cloud = { kind: "networking.v1.AwsPrivateLinkAttachmentConnectionStatus", vpc_endpoint_id: "", vpc_endpoint_service_name: "" };
    const { state } = connectionFromWire(body);
    assert.deepEqual(Object.keys(state).sort(), ["aws", "environment", "phase", "privateLinkAttachment"]);
  });
  test("metadata missing or not an object is tolerated", () => {
    for (const metadata of [undefined, null, "x", [1]]) {
      const body = recorded("read_aws_plattc.json");
      body.metadata = metadata;
      const { state } = connectionFromWire(body);
      assert.equal(state.resourceName, undefined);
    }
  });
  test("status.cloud of an odd shape is dropped, odd entries are filtered", () => {
    for (const cloud of [null, "x", [1, 2], 42]) {
      const body = recorded("read_aws_plattc.json");
      body.status.cloud = cloud;
      assert.equal(connectionFromWire(body).state.cloudStatus, undefined);
    }
    const body = JSON.parse(
      '{"id":"plattc-1","spec":{"cloud":{"kind":"AwsPrivateLinkAttachmentConnection","vpc_endpoint_id":"vpce-1"},"environment":{"id":"env-1"},"private_link_attachment":{"id":"platt-1"}},' +
        '"status":{"phase":"READY","cloud":{"__proto__":"x","kind":"k","n":5,"o":{"a":"b"},"arr":["x"],"bad key":"v","new_field_2":"v2","vpc_endpoint_service_name":"svc"}}}',
    );
    const { state } = connectionFromWire(body);
    assert.deepEqual(state.cloudStatus, { newField2: "v2", vpcEndpointServiceName: "svc" });
    assert.equal(Object.getPrototypeOf(state.cloudStatus), Object.prototype);
  });
  test("unknown extra fields anywhere are ignored", () => {
    const body = recorded("read_gcp_plattc.json");
    body.surprise = { a: 1 };
    body.spec.surprise = true;
    body.spec.cloud.extra = "x";
    body.status.extra = [1];
    const { state } = connectionFromWire(body);
    assert.equal(JSON.stringify(state).includes("surprise"), false);
  });
});

describe("connectionFromWire on malformed bodies", () => {
  test("not an object", () => {
    for (const body of [null, undefined, 42, "plattc-1", [], [recorded("read_aws_plattc.json")], true]) expectMalformed(body, "");
  });
  test("a huge non-JSON body is truncated in the message", () => {
    const html = `<html>${"x".repeat(100_000)}</html>`;
    const err = expectMalformed(html, "");
    assert.ok(err.message.includes("…"));
    assert.ok(err.message.includes("<html>"));
  });
  test("a huge object body is truncated too", () => {
    const body = recorded("read_aws_plattc.json");
    body.status.phase = { blob: "y".repeat(50_000) };
    const err = expectMalformed(body, "status.phase");
    assert.ok(err.message.length < 400);
  });
  test("id", () => {
    for (const id of [undefined, null, "", 42, { id: "plattc-1" }]) {
      const body = recorded("read_aws_plattc.json");
      body.id = id;
      expectMalformed(body, "id");
    }
  });
  test("status and status.phase", () => {
    const noStatus = recorded("read_aws_plattc.json");
    delete noStatus.status;
    expectMalformed(noStatus, "status");
    const statusString = recorded("read_aws_plattc.json");
    statusString.status = "READY";
    expectMalformed(statusString, "status");
    for (const phase of [undefined, null, "", 3, ["READY"]]) {
      const body = recorded("read_aws_plattc.json");
      body.status.phase = phase;
      expectMalformed(body, "status.phase");
    }
  });
  test("spec", () => {
    for (const spec of [undefined, null, "x", []]) {
      const body = recorded("read_aws_plattc.json");
      body.spec = spec;
      expectMalformed(body, "spec");
    }
  });
  test("spec.cloud missing or not an object", () => {
    for (const cloud of [undefined, null, "vpce-1", []]) {
      const body = recorded("read_aws_plattc.json");
      body.spec.cloud = cloud;
      expectMalformed(body, "spec.cloud");
    }
  });
  test("spec.cloud.kind unrecognizable", () => {
    for (const kind of [undefined, null, "", "networking.v1.", "OciPrivateLinkAttachmentConnection", "AwsPrivateLinkAttachmentConnectionStatus", 7]) {
      const body = recorded("read_aws_plattc.json");
      body.spec.cloud.kind = kind;
      const err = expectMalformed(body, "spec.cloud.kind");
      assert.match(err.message, /AwsPrivateLinkAttachmentConnection/);
    }
  });
  test("spec.cloud endpoint id missing, empty or of the wrong cloud", () => {
    const cases: Array<[string, Record<string, unknown>, string]> = [
      ["read_aws_plattc.json", { kind: "AwsPrivateLinkAttachmentConnection" }, "spec.cloud.vpc_endpoint_id"],
      ["read_aws_plattc.json", { kind: "AwsPrivateLinkAttachmentConnection", vpc_endpoint_id: "" }, "spec.cloud.vpc_endpoint_id"],
      ["read_aws_plattc.json", { kind: "AwsPrivateLinkAttachmentConnection", private_service_connect_connection_id: "1" }, "spec.cloud.vpc_endpoint_id"],
      ["read_azure_plattc.json", { kind: "AzurePrivateLinkAttachmentConnection", private_endpoint_resource_id: 5 }, "spec.cloud.private_endpoint_resource_id"],
      ["read_gcp_plattc.json", { kind: "networking.v1.GcpPrivateLinkAttachmentConnection", private_service_connect_connection_id: null }, "spec.cloud.private_service_connect_connection_id"],
    ];
    for (const [name, cloud, field] of cases) {
      const body = recorded(name);
      body.spec.cloud = cloud;
      expectMalformed(body, field);
    }
  });
  test("spec.environment.id and spec.private_link_attachment.id", () => {
    for (const key of ["environment", "private_link_attachment"]) {
      for (const ref of [undefined, null, "env-1", {}, { id: "" }, { id: 1 }]) {
        const body = recorded("read_aws_plattc.json");
        body.spec[key] = ref;
        expectMalformed(body, `spec.${key}.id`);
      }
    }
  });
  test("never a TypeError on random junk", () => {
    const junk: unknown[] = [0, -1, NaN, "", {}, [], [[]], { a: null }, null, true];
    const base = recorded("read_aws_plattc.json");
    const paths = [["id"], ["spec"], ["status"], ["spec", "cloud"], ["spec", "environment"], ["status", "cloud"], ["metadata"], ["spec", "display_name"]];
    for (const p of paths) {
      for (const value of junk) {
        const body = clone(base);
        let target = body;
        for (const k of p.slice(0, -1)) target = target[k];
        target[p[p.length - 1]!] = value;
        try {
          connectionFromWire(body);
        } catch (err) {
          assert.ok(err instanceof MalformedResponseError, `${p.join(".")}=${JSON.stringify(value)}: ${String(err)}`);
        }
      }
    }
  });
});

describe("apiVisibleInputs", () => {
  test("only the API-visible input properties", () => {
    for (const name of recordedNames) {
      const { state } = connectionFromWire(recorded(name));
      const inputs = apiVisibleInputs(state);
      const keys = Object.keys(inputs).sort();
      const cloudKey = state.aws ? "aws" : state.azure ? "azure" : "gcp";
      assert.deepEqual(keys, ["displayName", "environment", "privateLinkAttachment", cloudKey].sort(), name);
      assert.deepEqual(endpointOf(inputs), endpointOf(state));
    }
  });
  test("an out-of-band rename shows in the inputs", () => {
    const before = apiVisibleInputs(connectionFromWire(recorded("read_aws_plattc.json")).state);
    const after = apiVisibleInputs(connectionFromWire(recorded("read_updated_aws_plattc.json")).state);
    assert.equal(before.displayName, "my_vpc");
    assert.equal(after.displayName, "my_vpc_update");
  });
  test("no displayName key when the connection has none", () => {
    const body = recorded("read_aws_plattc.json");
    delete body.spec.display_name;
    assert.equal("displayName" in apiVisibleInputs(connectionFromWire(body).state), false);
  });
  test("returns copies, not aliases of the state", () => {
    const { state } = connectionFromWire(recorded("read_aws_plattc.json"));
    const inputs = apiVisibleInputs(state);
    inputs.environment.id = "env-changed";
    inputs.aws!.vpcEndpointId = "vpce-changed";
    assert.equal(state.environment.id, "env-8gv0v5");
    assert.equal(state.aws!.vpcEndpointId, "vpce-0ed4d51f5d6ef9b6d");
  });
  test("round trip: the create request rebuilt from a recorded body matches its spec (bare kind)", () => {
    for (const name of recordedNames) {
      const body = recorded(name);
      const req = toCreateRequest(apiVisibleInputs(connectionFromWire(body).state));
      assert.equal(req.spec.cloud.kind, stripKindPrefix(body.spec.cloud.kind), name);
      assert.deepEqual({ ...req.spec.cloud, kind: undefined }, { ...body.spec.cloud, kind: undefined }, name);
      assert.equal(req.spec.display_name, body.spec.display_name);
    }
  });
});

describe("describeValue", () => {
  test("renders and truncates", () => {
    assert.equal(describeValue("abc"), '"abc"');
    assert.equal(describeValue(undefined), "undefined");
    assert.equal(describeValue(10n), "10n");
    assert.equal(describeValue({ a: 1 }), '{"a":1}');
    const long = describeValue("z".repeat(500));
    assert.equal(long.length, 80);
    assert.ok(long.endsWith("…"));
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    assert.equal(describeValue(cyclic), "[object Object]");
  });
});
