// Quirks mode (answers shaped like the recorded production bodies: networking.v1.-prefixed kinds, 201 on
// create, "" for absent values, Azure `zone`, a zero deleted_at on live objects, links naming
// https://api.confluent.cloud) and the recorded bodies themselves: no false drift, nothing mistaken for deletion.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { Harness, awsArgs, azureArgs, gcpArgs, withHarness, type Props } from "../support/provider";
import { RECORDED_DIR } from "../support/openapi";

const recorded = (name: string): any => JSON.parse(fs.readFileSync(path.join(RECORDED_DIR, name), "utf8"));

function assertNoEmptyStrings(value: unknown, where: string): void {
  if (typeof value === "string") assert.notEqual(value, "", `empty string at ${where}`);
  else if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) assertNoEmptyStrings(v, `${where}.${k}`);
}

describe("quirks mode: create, read and diff show no false drift", () => {
  const clouds: [string, () => Props][] = [["AWS", () => awsArgs()], ["Azure", () => azureArgs()], ["GCP", () => gcpArgs()]];
  for (const [cloud, makeArgs] of clouds) {
    test(cloud, async () => {
      await withHarness({ quirks: true }, async (h) => {
        const { id, outs, inputs } = await h.create(makeArgs());
        // The server really answered with the quirks.
        const post = h.requests({ method: "POST" });
        assert.deepEqual(post.map((r) => r.status), [201]);
        const body = h.control.connection(id)!.body as any;
        assert.match(body.spec.cloud.kind, /^networking\.v1\./);
        assert.match(body.status.cloud.kind, /^networking\.v1\./);
        assert.equal(body.status.error_code, "");
        assert.equal(body.metadata.deleted_at, "0001-01-01T00:00:00Z");

        assert.equal(outs.phase, "READY");
        assert.equal(outs.errorCode, undefined, '"" is absent');
        assert.equal(outs.errorMessage, undefined);
        assertNoEmptyStrings(outs, "outs");
        assert.equal("kind" in outs.cloudStatus, false);
        if (cloud === "Azure") assert.equal(outs.cloudStatus.zone, "1", "unknown status fields are kept (camelCase)");

        assert.equal((await h.provider.diff(id, Harness.state(outs), inputs)).changes, false, "create outputs vs inputs");
        const read = await h.provider.read(id, Harness.state(outs));
        assert.equal(read.id, id, "a zero deleted_at is not a deletion");
        assert.deepEqual(read.props, outs);
        const diff = await h.provider.diff(id, Harness.state(read.props!), inputs);
        assert.equal(diff.changes, false, `diff after refresh: ${JSON.stringify(diff)}`);
        assert.equal((await h.provider.diff(id, Harness.state(read.props!), await h.check(read.inputs!))).changes, false);
      });
    });
  }

  test("while PROVISIONING the empty service name is not an output", async () => {
    await withHarness({ quirks: true, timing: { provisioningMs: 60_000, deprovisioningMs: 100 } }, async (h) => {
      const inputs = await h.check(awsArgs({ timeouts: { create: "200ms" } }));
      const error = await h.provider.create(inputs).then(() => undefined, (e: unknown) => e as any);
      assert.ok(error?.id, "init error after timeouts.create");
      assert.equal((h.control.connection(error.id)!.body as any).status.cloud.vpc_endpoint_service_name, "");
      assert.deepEqual(Object.keys(error.properties.cloudStatus), ["vpcEndpointId"]);
      const read = await h.provider.read(error.id, error.properties);
      assert.equal(read.props?.phase, "PROVISIONING");
      assert.deepEqual(Object.keys(read.props.cloudStatus!), ["vpcEndpointId"]);
    });
  });

  test("409 in quirks mode (Location on api.confluent.cloud with ?environment=) still adopts the right id", async () => {
    await withHarness({ quirks: true }, async (h) => {
      const args = awsArgs({ displayName: "first" });
      const { id: existing } = await h.create(args);
      h.control.clearRequests();
      const { id } = await h.create({ ...args, displayName: "second", adoptExisting: true });
      assert.equal(id, existing);
      assert.equal(h.control.connection(id)!.displayName, "second");
      assert.equal(h.control.connections().length, 1);
    });
  });

  test("the reconciliation list after an ambiguous POST works on quirks answers", async () => {
    await withHarness({ quirks: true }, async (h) => {
      h.control.injectFault({ method: "POST", path: "/networking/v1/private-link-attachment-connections", reset: true, when: "after" });
      const { id } = await h.create(awsArgs());
      assert.deepEqual(h.control.connections().map((c) => c.id), [id]);
      assert.equal(h.count("POST", "collection"), 1);
    });
  });
});

describe("recorded production bodies", () => {
  test("AWS: adopting the recorded connection, then the recorded rename, shows exactly the expected drift", async () => {
    await withHarness({ quirks: true }, async (h) => {
      const body = recorded("read_aws_plattc.json");
      h.control.seedConnection(body);
      const args: Props = {
        displayName: body.spec.display_name,
        environment: { id: body.spec.environment.id },
        privateLinkAttachment: { id: body.spec.private_link_attachment.id },
        aws: { vpcEndpointId: body.spec.cloud.vpc_endpoint_id },
        adoptExisting: true,
      };
      const { id, outs, inputs } = await h.create(args);
      assert.equal(id, body.id);
      assert.equal(outs.cloudStatus.vpcEndpointServiceName, body.status.cloud.vpc_endpoint_service_name);
      // The emulator renders the CRN with its own organization id; the rest of the recorded CRN is kept.
      assert.equal(outs.resourceName, (h.control.connection(id)!.body as any).metadata.resource_name);
      assert.ok(outs.resourceName.endsWith("/environment=env-8gv0v5/private-link-attachment=platt-plyvyl/private-link-attachment-connection=plattc-gz20xy"));
      // (the emulator keeps milliseconds; the recording has microseconds)
      assert.equal(Date.parse(outs.createdAt), Date.parse(body.metadata.created_at));
      assert.equal(h.count("PATCH", "item"), 0);

      const updated = recorded("read_updated_aws_plattc.json");
      h.control.rename(id, updated.spec.display_name);
      const read = await h.provider.read(id, Harness.state(outs));
      assert.equal(read.props?.displayName, "my_vpc_update");
      const diff = await h.provider.diff(id, Harness.state(read.props), inputs);
      assert.equal(diff.changes, true);
      assert.deepEqual(diff.replaces, []);
    });
  });

  for (const file of ["read_azure_plattc.json", "read_gcp_plattc.json", "create_azure_plattc.json", "read_provisioning_aws_plattc.json"]) {
    test(`${file}: read by id through the provider`, async () => {
      await withHarness({ quirks: true }, async (h) => {
        const body = recorded(file);
        h.control.seedConnection(body);
        const read = await h.provider.read(`${body.spec.environment.id}/${body.id}`, {});
        assert.equal(read.id, body.id);
        assert.equal(read.props?.phase, body.status.phase);
        assert.equal(read.props?.displayName, body.spec.display_name);
        assert.equal(read.props?.errorCode, undefined);
        assertNoEmptyStrings(read.props, "props");
      });
    });
  }
});
