import { test } from "node:test";
import assert from "node:assert/strict";
import { assertMatchesSpec, declaredStatuses } from "../support/openapi";
import { AWS_ATTACHMENT, awsBody, azureBody, CONNECTIONS, ENV, GCP_ATTACHMENT, gcpBody, withEmulator } from "../support/emulator";
import type { Reply } from "../support/http";

const ITEM = `${CONNECTIONS}/{id}`;

function pointers(reply: Reply): string[] {
  return reply.body.errors.map((e: { source?: { pointer?: string; parameter?: string } }) => e.source?.pointer ?? e.source?.parameter);
}

test("the spec check itself rejects bodies that break the schemas", () => {
  assert.throws(() => assertMatchesSpec(CONNECTIONS, "GET", 200, { api_version: "networking/v1", kind: "PrivateLinkAttachmentConnectionList", metadata: {}, data: [{ id: "x" }] }));
  assert.throws(() => assertMatchesSpec(ITEM, "GET", 200, { status: { phase: 3 } }));
  assert.throws(() => assertMatchesSpec(CONNECTIONS, "GET", 429, { errors: [] }), /declares no body/);
  assert.throws(() => assertMatchesSpec(CONNECTIONS, "POST", 201, {}), /declares no 201/);
  assert.doesNotThrow(() => assertMatchesSpec(ITEM, "GET", 404, { errors: [{ status: "404" }] }));
});

test("malformed JSON and non-object bodies are 400", async () => {
  await withEmulator({}, async ({ api }) => {
    for (const body of ["{not json", "[1,2]", "\"text\"", ""]) {
      const reply = await api.call(CONNECTIONS, { method: "POST", body });
      assert.equal(reply.status, 400, `body ${body}`);
      assert.equal(reply.body.errors[0].status, "400");
    }
    const { body: created } = await api.call(CONNECTIONS, { method: "POST", body: awsBody() });
    assert.equal((await api.call(`${CONNECTIONS}/${created.id}`, { method: "PATCH", body: "{" })).status, 400);
  });
});

test("missing or ill-typed create fields are 422 with a source.pointer to each field", async () => {
  await withEmulator({}, async ({ api }) => {
    const cases: [unknown, string[]][] = [
      [{}, ["/spec"]],
      [{ spec: "x" }, ["/spec"]],
      [{ spec: {} }, ["/spec/environment", "/spec/private_link_attachment", "/spec/cloud"]],
      [{ spec: { ...awsBody().spec, display_name: 7 } }, ["/spec/display_name"]],
      [{ spec: { ...awsBody().spec, environment: { id: 5 } } }, ["/spec/environment/id"]],
      [{ spec: { ...awsBody().spec, environment: {} } }, ["/spec/environment/id"]],
      [{ spec: { ...awsBody().spec, private_link_attachment: "platt-emuaws" } }, ["/spec/private_link_attachment"]],
      [{ spec: { ...awsBody().spec, cloud: { kind: "OracleLink", vpc_endpoint_id: "vpce-1" } } }, ["/spec/cloud/kind"]],
      [{ spec: { ...awsBody().spec, cloud: { kind: "AwsPrivateLinkAttachmentConnection" } } }, ["/spec/cloud/vpc_endpoint_id"]],
      [{ spec: { ...awsBody().spec, cloud: { kind: "AwsPrivateLinkAttachmentConnection", vpc_endpoint_id: "" } } }, ["/spec/cloud/vpc_endpoint_id"]],
      [{ spec: { ...awsBody().spec, cloud: { kind: "AwsPrivateLinkAttachmentConnection", vpc_endpoint_id: "endpoint-1" } } }, ["/spec/cloud/vpc_endpoint_id"]],
      [{ spec: { ...azureBody().spec, cloud: { kind: "AzurePrivateLinkAttachmentConnection", private_endpoint_resource_id: "pe-1" } } }, ["/spec/cloud/private_endpoint_resource_id"]],
      [{ spec: { ...awsBody().spec, private_link_attachment: { id: GCP_ATTACHMENT }, cloud: { kind: "GcpPrivateLinkAttachmentConnection", private_service_connect_connection_id: "12ab" } } }, ["/spec/cloud/private_service_connect_connection_id"]],
      [{ spec: { ...awsBody().spec, cloud: null } }, ["/spec/cloud"]],
    ];
    for (const [body, expected] of cases) {
      const reply = await api.call(CONNECTIONS, { method: "POST", body });
      assert.equal(reply.status, 422, JSON.stringify(body));
      assert.deepEqual(pointers(reply), expected, JSON.stringify(body));
    }
    assert.equal((await api.call(`${CONNECTIONS}?environment=${ENV}`)).body.metadata.total_size, 0, "nothing was created");
  });
});

test("the environment query parameter is required: 400 naming it", async () => {
  await withEmulator({}, async ({ api }) => {
    const { body: created } = await api.call(CONNECTIONS, { method: "POST", body: awsBody() });
    for (const [path, method] of [[CONNECTIONS, "GET"], [`${CONNECTIONS}/${created.id}`, "GET"], [`${CONNECTIONS}/${created.id}`, "DELETE"], [`${CONNECTIONS}?environment=`, "GET"]] as const) {
      const reply = await api.call(path, { method });
      assert.equal(reply.status, 400, `${method} ${path}`);
      assert.deepEqual(pointers(reply), ["environment"]);
    }
  });
});

test("unknown environments are 403 on every operation; unknown or foreign attachments are 422", async () => {
  await withEmulator({
    environments: ["env-a", "env-b"],
    privateLinkAttachments: [
      { id: "platt-a", environmentId: "env-a", cloud: "AWS", region: "us-east-1" },
      { id: "platt-b", environmentId: "env-b", cloud: "AWS", region: "us-east-1" },
    ],
  }, async ({ api }) => {
    const { body: created } = await api.call(CONNECTIONS, { method: "POST", body: awsBody(undefined, { env: "env-a", attachment: "platt-a" }) });
    assert.ok(created.id);
    const nowhere = "env-nowhere";
    assert.equal((await api.call(`${CONNECTIONS}?environment=${nowhere}`)).status, 403);
    assert.equal((await api.call(`${CONNECTIONS}/${created.id}?environment=${nowhere}`)).status, 403);
    assert.equal((await api.call(`${CONNECTIONS}/${created.id}?environment=${nowhere}`, { method: "DELETE" })).status, 403);
    assert.equal((await api.call(`${CONNECTIONS}/${created.id}`, { method: "PATCH", body: { spec: { display_name: "x", environment: { id: nowhere } } } })).status, 403);
    assert.equal((await api.call(CONNECTIONS, { method: "POST", body: awsBody(undefined, { env: nowhere, attachment: "platt-a" }) })).status, 403);

    const unknown = await api.call(CONNECTIONS, { method: "POST", body: awsBody(undefined, { env: "env-a", attachment: "platt-none" }) });
    assert.equal(unknown.status, 422);
    assert.deepEqual(pointers(unknown), ["/spec/private_link_attachment/id"]);
    const foreign = await api.call(CONNECTIONS, { method: "POST", body: awsBody(undefined, { env: "env-a", attachment: "platt-b" }) });
    assert.equal(foreign.status, 422);
    assert.deepEqual(pointers(foreign), ["/spec/private_link_attachment/id"]);

    // A connection read through another (existing) environment does not exist there.
    assert.equal((await api.call(`${CONNECTIONS}/${created.id}?environment=env-b`)).status, 404);
    assert.equal((await api.call(`${CONNECTIONS}/${created.id}?environment=env-b`, { method: "DELETE" })).status, 404);
    assert.equal((await api.call(`${CONNECTIONS}/plattc-none?environment=env-a`)).status, 404);
    assert.equal((await api.call(`${CONNECTIONS}/plattc-none`, { method: "PATCH", body: { spec: { display_name: "x", environment: { id: "env-a" } } } })).status, 404);
  });
});

test("an endpoint of another cloud than the attachment's is 422 at /spec/cloud/kind", async () => {
  await withEmulator({}, async ({ api }) => {
    const body = azureBody();
    body.spec.private_link_attachment.id = AWS_ATTACHMENT;
    const reply = await api.call(CONNECTIONS, { method: "POST", body });
    assert.equal(reply.status, 422);
    assert.deepEqual(pointers(reply), ["/spec/cloud/kind"]);
    assert.match(reply.body.errors[0].detail, /AWS/);
  });
});

test("a second connection for the same endpoint in the same attachment is 409 with Location of the existing one", async () => {
  await withEmulator({}, async ({ api, emulator }) => {
    const body = awsBody("vpce-0123456789abcdef0");
    const first = await api.call(CONNECTIONS, { method: "POST", body });
    const second = await api.call(CONNECTIONS, { method: "POST", body: { spec: { ...body.spec, display_name: "other name" } } });
    assert.equal(second.status, 409);
    assert.equal(second.headers.get("location"), `${emulator.url}${CONNECTIONS}/${first.body.id}`);
    assert.match(second.body.errors[0].detail, new RegExp(first.body.id));
    assert.equal((await api.call(`${CONNECTIONS}?environment=${ENV}`)).body.data.length, 1);
  });
});

test("an Azure endpoint differing only in case is the same endpoint (Azure resource ids are case-insensitive): 409", async () => {
  await withEmulator({}, async ({ api, emulator }) => {
    const body = azureBody("pe-CaseOnly");
    const first = await api.call(CONNECTIONS, { method: "POST", body });
    const id = body.spec.cloud.private_endpoint_resource_id;
    for (const spelling of [id.toLowerCase(), id.toUpperCase().replace("/SUBSCRIPTIONS/", "/subscriptions/")]) {
      const again = await api.call(CONNECTIONS, { method: "POST", body: { spec: { ...body.spec, cloud: { ...body.spec.cloud, private_endpoint_resource_id: spelling } } } });
      assert.equal(again.status, 409, `${spelling}: ${again.text}`);
      assert.equal(again.headers.get("location"), `${emulator.url}${CONNECTIONS}/${first.body.id}`);
    }
    assert.equal((await api.call(`${CONNECTIONS}?environment=${ENV}`)).body.data.length, 1);
  });
});

test("AWS and GCP endpoint ids are compared exactly", async () => {
  await withEmulator({}, async ({ api }) => {
    assert.equal((await api.call(CONNECTIONS, { method: "POST", body: gcpBody("0123") })).status, 202);
    assert.equal((await api.call(CONNECTIONS, { method: "POST", body: gcpBody("123") })).status, 202, "another numeric id, not the same one");
  });
});

test("PATCH: immutable fields are 422, a missing spec.environment is 422, same values are accepted", async () => {
  await withEmulator({}, async ({ api }) => {
    const body = awsBody("vpce-0000000000000000a", { displayName: "one" });
    const { body: created } = await api.call(CONNECTIONS, { method: "POST", body });
    const item = `${CONNECTIONS}/${created.id}`;
    const noEnv = await api.call(item, { method: "PATCH", body: { spec: { display_name: "two" } } });
    assert.equal(noEnv.status, 422);
    assert.deepEqual(pointers(noEnv), ["/spec/environment"]);
    const changedCloud = await api.call(item, { method: "PATCH", body: { spec: { display_name: "two", environment: { id: ENV }, cloud: { kind: "AwsPrivateLinkAttachmentConnection", vpc_endpoint_id: "vpce-0000000000000000b" } } } });
    assert.equal(changedCloud.status, 422);
    assert.deepEqual(pointers(changedCloud), ["/spec/cloud"]);
    const changedAttachment = await api.call(item, { method: "PATCH", body: { spec: { environment: { id: ENV }, private_link_attachment: { id: "platt-other" } } } });
    assert.equal(changedAttachment.status, 422);
    assert.deepEqual(pointers(changedAttachment), ["/spec/private_link_attachment"]);
    const badName = await api.call(item, { method: "PATCH", body: { spec: { display_name: ["x"], environment: { id: ENV } } } });
    assert.equal(badName.status, 422);
    assert.equal((await api.call(`${item}?environment=${ENV}`)).body.spec.display_name, "one", "rejected PATCHes change nothing");
    const same = await api.call(item, { method: "PATCH", body: { spec: { ...body.spec, display_name: "three" } } });
    assert.equal(same.status, 200);
    assert.equal(same.body.spec.display_name, "three");
  });
});

test("every status the emulator answers is one the spec declares for that operation", async () => {
  await withEmulator({}, async ({ api, emulator }) => {
    const { body: created } = await api.call(CONNECTIONS, { method: "POST", body: awsBody() });
    await api.call(`${CONNECTIONS}?environment=${ENV}&page_size=101`);
    await api.call(`${CONNECTIONS}/${created.id}?environment=env-x`);
    await api.call(`${CONNECTIONS}/plattc-x?environment=${ENV}`, { method: "DELETE" });
    await api.call(`${CONNECTIONS}/plattc-x`, { method: "PATCH", body: "{" });
    await api.call(CONNECTIONS, { method: "POST", body: { spec: {} } });
    for (const entry of emulator.control.requests()) {
      const route = entry.route!;
      assert.ok(declaredStatuses(route, entry.method).includes(entry.status as number), `${entry.method} ${route} answered ${entry.status}`);
    }
    assert.ok(api.checked.length >= 6);
  });
});

test("methods the API does not serve are 405 with Allow; unknown paths are 404", async () => {
  await withEmulator({}, async ({ api }) => {
    const put = await api.call(CONNECTIONS, { method: "PUT", body: {}, unchecked: true });
    assert.equal(put.status, 405);
    assert.equal(put.headers.get("allow"), "GET, POST");
    const elsewhere = await api.call("/networking/v1/networks?environment=env-emu000", { unchecked: true });
    assert.equal(elsewhere.status, 404);
  });
});
