// The REAL dynamic-provider plugin: `@pulumi/pulumi/cmd/dynamic-provider` (what `pulumi-resource-pulumi-nodejs`
// runs) in a child process, driven over gRPC like the engine drives it, with `__provider` = the text
// `dynamic.Resource` stores for the built package as a program folder installed it (a require() of its handle),
// against an emulator in this process. It proves the installed provider works through the real revival path
// (requireFromString in the program folder + configure with the stack config the engine sends) and that its
// results and init errors reach the engine in the shapes the engine reads.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as grpc from "@grpc/grpc-js";
import * as pulumi from "@pulumi/pulumi";
import {
  CheckRequest, ConfigureRequest, CreateRequest, DeleteRequest, DiffRequest, DiffResponse, ReadRequest, UpdateRequest,
  type CheckResponse, type ConfigureResponse, type CreateResponse, type ReadResponse, type UpdateResponse,
} from "@pulumi/pulumi/proto/provider_pb";
import type { Empty } from "google-protobuf/google/protobuf/empty_pb";
import type { Emulator } from "../../emulator";
import { AWS_ATTACHMENT, AZURE_ATTACHMENT, connectionFor, ENV, vpce } from "../support/emulator";
import { GONE_MODES } from "../support/provider";
import {
  decodeStatusDetails, fromStruct, pluginFixture, receivedStatusDetails, rpc, rpcSecret, startPlugin, toStruct, type Plugin, type Props,
} from "../support/plugin";

const TYPE = "pulumi-nodejs:dynamic/confluentcloud:PrivateLinkAttachmentConnection";
const DEPROVISIONING_MS = 300;
const urn = (name: string) => `urn:pulumi:stack::project::${TYPE}::${name}`;

let emulator: Emulator;
let plugin: Plugin;
let providerText: string;
let program: string;

pluginFixture({ timing: { provisioningMs: 300, deprovisioningMs: DEPROVISIONING_MS } }, (f) => ({ emulator, plugin, providerText, program } = f));

// ---- one call per RPC, shaped like the engine's requests -----------------------------------------------

function configure(p: Plugin, args: Props): Promise<ConfigureResponse> {
  const req = new ConfigureRequest().setArgs(toStruct(args)).setAcceptsecrets(true).setAcceptresources(true);
  return rpc((md, o, cb) => p.client.configure(req, md, o, cb));
}

async function check(name: string, olds: Props, news: Props): Promise<{ inputs: Props; failures: { property: string; reason: string }[] }> {
  const req = new CheckRequest().setUrn(urn(name)).setName(name).setType(TYPE).setOlds(toStruct(olds)).setNews(toStruct(news));
  const res = await rpc<CheckResponse>((md, o, cb) => plugin.client.check(req, md, o, cb));
  return { inputs: fromStruct(res.getInputs()), failures: res.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() })) };
}

async function diff(id: string, olds: Props, news: Props): Promise<{ changes: DiffResponse.DiffChanges; replaces: string[]; deleteBeforeReplace: boolean }> {
  const req = new DiffRequest().setId(id).setUrn(urn("c")).setOlds(toStruct(olds)).setNews(toStruct(news));
  const res = await rpc<DiffResponse>((md, o, cb) => plugin.client.diff(req, md, o, cb));
  return { changes: res.getChanges(), replaces: res.getReplacesList(), deleteBeforeReplace: res.getDeletebeforereplace() };
}

async function create(properties: Props, client = plugin.client): Promise<{ id: string; properties: Props }> {
  const req = new CreateRequest().setUrn(urn("c")).setProperties(toStruct(properties));
  const res = await rpc<CreateResponse>((md, o, cb) => client.create(req, md, o, cb));
  return { id: res.getId(), properties: fromStruct(res.getProperties()) };
}

async function read(id: string, properties: Props, inputs: Props): Promise<{ id: string; properties: Props; inputs: Props }> {
  const req = new ReadRequest().setId(id).setUrn(urn("c")).setProperties(toStruct(properties)).setInputs(toStruct(inputs));
  const res = await rpc<ReadResponse>((md, o, cb) => plugin.client.read(req, md, o, cb));
  return { id: res.getId(), properties: fromStruct(res.getProperties()), inputs: fromStruct(res.getInputs()) };
}

async function update(id: string, olds: Props, news: Props): Promise<Props> {
  const req = new UpdateRequest().setId(id).setUrn(urn("c")).setOlds(toStruct(olds)).setNews(toStruct(news));
  const res = await rpc<UpdateResponse>((md, o, cb) => plugin.client.update(req, md, o, cb));
  return fromStruct(res.getProperties());
}

async function remove(id: string, properties: Props): Promise<void> {
  const req = new DeleteRequest().setId(id).setUrn(urn("c")).setProperties(toStruct(properties));
  await rpc<Empty>((md, o, cb) => plugin.client.delete(req, md, o, cb));
}

async function rejection(promise: Promise<unknown>): Promise<grpc.ServiceError> {
  try {
    await promise;
  } catch (e) {
    return e as grpc.ServiceError;
  }
  return assert.fail("expected the RPC to fail");
}

/** User args as the engine sends them to Check: the resource's inputs plus `__provider`. */
function args(vpcEndpointId: string, extra: Props = {}): Props {
  return { environment: { id: ENV }, privateLinkAttachment: { id: AWS_ATTACHMENT }, aws: { vpcEndpointId }, ...extra, __provider: providerText };
}

async function checked(news: Props): Promise<Props> {
  const { inputs, failures } = await check("c", {}, news);
  assert.deepEqual(failures, []);
  return inputs;
}


// ---- the engine's sequence -----------------------------------------------------------------------------

test("Configure takes the stack config, secrets wrapped as the engine wraps them", async () => {
  const res = await configure(plugin, {
    "confluentcloud:cloudApiKey": emulator.credentials.apiKey,
    "confluentcloud:cloudApiSecret": rpcSecret(emulator.credentials.apiSecret),
    "confluentcloud:endpoint": emulator.url,
    "project:unrelated": "ignored",
  });
  // The dynamic provider asks the engine for plain values from now on.
  assert.equal(res.getAcceptsecrets(), false);
});

test("Check returns the normalised inputs (with __provider) or per-property failures", async () => {
  const good = await check("c", {}, args("vpce-0123456789abcdef0", { displayName: "plugin-a" }));
  assert.deepEqual(good.failures, []);
  assert.equal(good.inputs.__provider, providerText);
  assert.deepEqual(good.inputs.aws, { vpcEndpointId: "vpce-0123456789abcdef0" });

  const bad = await check("c", {}, args("not-an-endpoint"));
  assert.ok(bad.failures.some((f) => f.property === "aws" && /^aws\.vpcEndpointId /.test(f.reason)), JSON.stringify(bad.failures));

  // Preview: an unknown value (pulumi.runtime.unknownValue) is accepted as is.
  const preview = await check("c", {}, args("vpce-0123456789abcdef0", { displayName: pulumi.runtime.unknownValue }));
  assert.deepEqual(preview.failures, []);
  assert.equal(preview.inputs.displayName, pulumi.runtime.unknownValue);
});

test("Create → Diff → Read (drift) → Update → Delete through the plugin", async (t) => {
  const endpoint = vpce();
  const inputs = await checked(args(endpoint, { displayName: "plugin-a" }));
  let id = "";
  let state: Props = {};

  await t.test("Create returns the id and READY outputs carrying __provider", async () => {
    const created = await create(inputs);
    id = created.id;
    state = created.properties;
    assert.match(id, /^plattc-/);
    assert.equal(state.phase, "READY");
    assert.equal(state.displayName, "plugin-a");
    assert.equal(state.__provider, providerText);
    assert.equal(typeof state.resourceName, "string");
    assert.equal(emulator.control.connection(id)?.phase, "READY");
  });

  await t.test("Create logs its progress to the engine on the resource's row: the URN of its __urn input", async () => {
    const resourceUrn = urn("on-its-row");
    const created = await create(await checked({ ...args(vpce()), __urn: resourceUrn }));
    assert.equal(created.properties.__urn, resourceUrn, "kept in outputs, for delete and read");
    // pulumi.log sends asynchronously: the create's answer may arrive before its last line.
    const linesOf = (match: RegExp) => plugin.engineLogs().filter((l) => l.message.includes(created.id) && match.test(l.message));
    await plugin.engineLog((l) => l.message.includes(created.id) && /READY after/.test(l.message));
    const lines = linesOf(/./);
    assert.ok(lines.length > 0, plugin.stderr().slice(-1500));
    assert.ok(lines.every((l) => l.urn === resourceUrn), JSON.stringify(lines));
    assert.ok(lines.some((l) => !l.ephemeral && /READY after/.test(l.message)), "the new phase is a lasting line");
    emulator.control.configure({ timing: { deprovisioningMs: 1500 } }); // so that the delete's wait sees DEPROVISIONING
    try {
      await remove(created.id, created.properties);
    } finally {
      emulator.control.configure({ timing: { deprovisioningMs: DEPROVISIONING_MS } });
    }
    await plugin.engineLog((l) => l.message.includes(created.id) && /after delete/.test(l.message));
    const deleting = linesOf(/after delete/);
    assert.ok(deleting.length > 0 && deleting.every((l) => l.urn === resourceUrn), JSON.stringify(deleting));
  });

  await t.test("Diff: nothing, a rename (update), a new endpoint (replace), a new attachment for the same endpoint (delete first)", async () => {
    const same = await diff(id, state, inputs);
    assert.equal(same.changes, DiffResponse.DiffChanges.DIFF_NONE);

    const renamed = await diff(id, state, { ...inputs, displayName: "plugin-b" });
    assert.equal(renamed.changes, DiffResponse.DiffChanges.DIFF_SOME);
    assert.deepEqual(renamed.replaces, []);
    assert.equal(renamed.deleteBeforeReplace, false);

    const otherEndpoint = await diff(id, state, { ...inputs, aws: { vpcEndpointId: vpce() } });
    assert.equal(otherEndpoint.changes, DiffResponse.DiffChanges.DIFF_SOME);
    assert.deepEqual(otherEndpoint.replaces, ["aws"]);
    assert.equal(otherEndpoint.deleteBeforeReplace, false);

    const moved = await diff(id, state, { ...inputs, privateLinkAttachment: { id: "platt-other1" } });
    assert.deepEqual(moved.replaces, ["privateLinkAttachment"]);
    assert.equal(moved.deleteBeforeReplace, true, "the same endpoint cannot be attached twice: the old connection must go first");

    const { aws: _aws, ...withoutAws } = inputs;
    const otherCloud = await diff(id, state, { ...withoutAws, azure: { privateEndpointResourceId: "/subscriptions/x/resourceGroups/y/providers/Microsoft.Network/privateEndpoints/z" }, privateLinkAttachment: { id: AZURE_ATTACHMENT } });
    assert.deepEqual([...otherCloud.replaces].sort(), ["aws", "azure", "privateLinkAttachment"]);
    assert.equal(otherCloud.deleteBeforeReplace, false);

    // Preview with an unknown endpoint: a change that may replace.
    const unknown = await diff(id, state, { ...inputs, aws: pulumi.runtime.unknownValue });
    assert.equal(unknown.changes, DiffResponse.DiffChanges.DIFF_SOME);
    assert.ok(unknown.replaces.includes("aws"));
  });

  await t.test("Read: unchanged, then an out-of-band rename shows in properties AND inputs", async () => {
    const fresh = await read(id, state, inputs);
    assert.equal(fresh.id, id);
    assert.equal(fresh.properties.displayName, "plugin-a");
    assert.equal(fresh.properties.__provider, providerText);

    emulator.control.rename(id, "renamed-in-console");
    const drifted = await read(id, state, inputs);
    assert.equal(drifted.id, id);
    assert.equal(drifted.properties.displayName, "renamed-in-console");
    assert.equal(drifted.inputs.displayName, "renamed-in-console", "without it the next preview would not show the drift");
    assert.equal(drifted.inputs.__provider, providerText);
    assert.deepEqual(drifted.inputs.aws, { vpcEndpointId: endpoint });
    state = drifted.properties;

    // …so the next preview diffs the program's name against it.
    const next = await diff(id, state, inputs);
    assert.equal(next.changes, DiffResponse.DiffChanges.DIFF_SOME);
  });

  await t.test("Update renames", async () => {
    const outs = await update(id, state, { ...inputs, displayName: "plugin-b" });
    assert.equal(outs.displayName, "plugin-b");
    assert.equal(outs.phase, "READY");
    assert.equal(outs.__provider, providerText);
    assert.equal(emulator.control.connection(id)?.displayName, "plugin-b");
    state = outs;
  });

  await t.test("Delete returns only once the connection is gone", async () => {
    await remove(id, state);
    assert.equal(emulator.control.connection(id), undefined, "Delete returned while the connection still existed");
    const reads = emulator.control.requests().filter((r) => r.method === "GET" && r.path.endsWith(`/${id}`));
    assert.equal(reads.at(-1)?.status, 404, "the last read before returning was not the 404");
  });
});

for (const { label, options } of GONE_MODES) {
  test(`Read and Delete of a connection deleted out-of-band: an empty id, and done [${label}]`, async (t) => {
    emulator.control.configure(options);
    t.after(() => emulator.control.configure({ goneAs403: null }));
    const inputs = await checked(args(vpce()));
    const { id, properties } = await create(inputs);
    emulator.control.deleteConnection(id);
    const gone = await read(id, properties, inputs);
    assert.equal(gone.id, "");
    await remove(id, properties);
  });
}

test("A Create whose connection FAILS is an init error: the engine gets id, properties (with __provider) and reasons; Update resumes", async (t) => {
  emulator.control.configure({ timing: { provisioningMs: 600_000 } }); // stays PROVISIONING until forced
  t.after(() => emulator.control.configure({ timing: { provisioningMs: 300 } }));
  const endpoint = vpce();
  const inputs = await checked(args(endpoint, { displayName: "will-fail", timeouts: { create: "20s" } }));

  const creating = rejection(create(inputs));
  const id = await connectionFor(emulator, endpoint);
  emulator.control.setPhase(id, "FAILED", { errorCode: "PROVISIONING_FAILED", errorMessage: "endpoint rejected" });
  const error = await creating;

  // The trailer as the plugin sent it, and as this client received it: __provider is a require(), the trailer small.
  const sent = plugin.statusDetails();
  assert.equal(sent.length, 1, "one grpc-status-details-bin trailer");
  const status = decodeStatusDetails(sent[0]!);
  t.diagnostic(`init-error trailer: ${sent[0]!.length} bytes (${Math.ceil(sent[0]!.length / 3) * 4} base64)`);
  assert.equal(status.code, grpc.status.UNKNOWN);
  assert.match(status.message, new RegExp(`${id} FAILED: PROVISIONING_FAILED: endpoint rejected`));
  const failure = status.initFailure;
  assert.ok(failure, "no pulumirpc.ErrorResourceInitFailed in grpc-status-details-bin");
  assert.equal(failure.id, id);
  assert.equal(failure.properties.__provider, providerText, "without __provider the engine cannot revive the provider for this resource");
  assert.equal(failure.properties.phase, "FAILED");
  assert.equal(failure.properties.errorCode, "PROVISIONING_FAILED");
  assert.equal(failure.properties.errorMessage, "endpoint rejected");
  assert.equal(failure.properties.displayName, "will-fail");
  assert.deepEqual(failure.properties.aws, { vpcEndpointId: endpoint });
  assert.deepEqual(failure.properties.timeouts, { create: "20s" });
  assert.ok(failure.reasons.includes("error_code: PROVISIONING_FAILED"), JSON.stringify(failure.reasons));
  assert.ok(failure.reasons.includes("error_message: endpoint rejected"), JSON.stringify(failure.reasons));

  assert.equal(error.code, grpc.status.UNKNOWN, `${error.code} ${error.details}`);
  assert.deepEqual(receivedStatusDetails(error), status);

  // The next `pulumi up` calls Update on the recorded resource: it waits again and records READY.
  emulator.control.setPhase(id, "READY");
  const outs = await update(id, failure.properties, inputs);
  assert.equal(outs.phase, "READY");
  assert.equal(outs.__provider, providerText);
  emulator.control.deleteConnection(id);
});

test("A plugin configured without credentials fails Create with the how-to, before any request", async (t) => {
  const bare = await startPlugin({ cwd: program });
  t.after(() => bare.stop());
  await configure(bare, { "confluentcloud:endpoint": emulator.url });
  emulator.control.clearRequests();
  const error = await rejection(create(await checked(args(vpce())), bare.client));
  assert.equal(error.code, grpc.status.UNKNOWN);
  assert.match(error.details, /credentials are missing/);
  assert.match(error.details, /pulumi config set confluentcloud:cloudApiKey/);
  assert.match(error.details, /CONFLUENT_CLOUD_API_KEY/);
  assert.equal(receivedStatusDetails(error), undefined, "nothing was created, so no init error");
  assert.deepEqual(bare.statusDetails(), []);
  assert.equal(emulator.control.requests().length, 0);
});
