// The attachment's provider against the emulator over loopback HTTP: create and its wait, the typed cloud status
// per cloud, a rename in place, what replaces, refresh, and a delete that waits until the attachment is gone.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { diffAttachment } from "../../provider/attachment/diff";
import { checkAttachmentInputs } from "../../provider/attachment/inputs";
import { AttachmentHarness, attachmentArgs, withAttachments } from "../support/attachment";
import { ENV } from "../support/emulator";

describe("attachment create", () => {
  test("POSTs once and waits until WAITING_FOR_CONNECTIONS; the outputs carry the DNS domain and the AWS endpoint service", async () => {
    await withAttachments({}, async (h) => {
      const { id, outs } = await h.create(attachmentArgs({ displayName: "orders-pla" }));
      assert.match(id, /^platt-/);
      assert.equal(h.count("POST", "collection"), 1);
      assert.equal(outs.phase, "WAITING_FOR_CONNECTIONS");
      const view = h.control.attachment(id)!;
      assert.equal(view.phase, "WAITING_FOR_CONNECTIONS");
      const status = (view.body.status as Record<string, any>);
      assert.equal(outs.dnsDomain, status.dns_domain);
      assert.deepEqual(outs.aws, { vpcEndpointServiceName: status.cloud.vpc_endpoint_service.vpc_endpoint_service_name });
      assert.equal(outs.azure, undefined);
      assert.equal(outs.displayName, "orders-pla");
      assert.deepEqual(outs.environment, { id: ENV });
      assert.equal(outs.cloud, "AWS");
      assert.equal(outs.region, "us-west-2");
      assert.match(outs.resourceName, new RegExp(`private-link-attachment=${id}$`));
      assert.ok(h.lines.some((l) => l.line.includes(`${id}: PROVISIONING after`)), "a progress line while it provisions");
    });
  });

  test("Azure and GCP attachments expose their private link service and service attachment", async () => {
    await withAttachments({}, async (h) => {
      const azure = await h.create(attachmentArgs({ cloud: "AZURE", region: "eastus" }));
      const azureStatus = (h.control.attachment(azure.id)!.body.status as Record<string, any>).cloud.private_link_service;
      assert.deepEqual(azure.outs.azure, {
        privateLinkServiceAlias: azureStatus.private_link_service_alias,
        privateLinkServiceResourceId: azureStatus.private_link_service_resource_id,
      });
      const gcp = await h.create(attachmentArgs({ cloud: "GCP", region: "us-central1" }));
      const gcpStatus = (h.control.attachment(gcp.id)!.body.status as Record<string, any>).cloud.service_attachment;
      assert.deepEqual(gcp.outs.gcp, { privateServiceConnectServiceAttachment: gcpStatus.private_service_connect_service_attachment });
      assert.equal(gcp.outs.aws, undefined);
    });
  });
});

describe("attachment update, diff and check", () => {
  test("a new displayName is one PATCH, in place", async () => {
    await withAttachments({}, async (h) => {
      const { id, outs, inputs } = await h.create(attachmentArgs());
      const news = { ...inputs, displayName: "renamed" };
      const diff = await h.provider.diff(id, AttachmentHarness.state(outs), news);
      assert.equal(diff.changes, true);
      assert.deepEqual(diff.replaces, []);
      const { outs: after } = await h.provider.update(id, AttachmentHarness.state(outs), news);
      assert.equal(after?.displayName, "renamed");
      assert.equal(h.control.attachment(id)!.displayName, "renamed");
      assert.equal(h.count("PATCH", "item"), 1);
    });
  });

  test("cloud, region and environment replace; timeouts and adoptExisting change only state; EXPIRED and FAILED replace", () => {
    const olds = { cloud: "AWS", region: "us-west-2", displayName: "a", environment: { id: "env-1" }, phase: "WAITING_FOR_CONNECTIONS" };
    const same = { cloud: "AWS", region: "us-west-2", displayName: "a", environment: { id: "env-1" } };
    assert.equal(diffAttachment(olds, same).changes, false);
    assert.deepEqual(diffAttachment(olds, { ...same, cloud: "GCP" }).replaces, ["cloud"]);
    assert.deepEqual(diffAttachment(olds, { ...same, region: "us-east-1" }).replaces, ["region"]);
    assert.deepEqual(diffAttachment(olds, { ...same, environment: { id: "env-2" } }).replaces, ["environment"]);
    const steering = diffAttachment(olds, { ...same, timeouts: { create: "5m" }, adoptExisting: true });
    assert.deepEqual([steering.changes, steering.replaces], [true, []]);
    for (const phase of ["EXPIRED", "FAILED"]) assert.deepEqual(diffAttachment({ ...olds, phase }, same).replaces, ["phase"], phase);
    assert.deepEqual(diffAttachment({ ...olds, phase: "DEPROVISIONING" }, same), { changes: true, replaces: [], deleteBeforeReplace: false, stables: ["displayName", "cloud", "region", "environment", "resourceName", "createdAt", "dnsDomain", "aws", "azure", "gcp"], diffs: ["phase"] });
    assert.equal(diffAttachment({ ...olds, phase: "READY" }, same).changes, false);
  });

  test("check names each bad property", () => {
    const { failures } = checkAttachmentInputs({ cloud: "aws", region: "US East", environment: { id: "nope" }, displayName: " ", extra: 1 });
    const byProperty = Object.fromEntries(failures.map((f) => [f.property, f.reason]));
    assert.match(byProperty.cloud!, /one of AWS, AZURE, GCP.*write "AWS"/);
    assert.match(byProperty.region!, /lowercase/);
    assert.match(byProperty.environment!, /env-/);
    assert.match(byProperty.displayName!, /attachment unnamed/);
    assert.match(byProperty.extra!, /not a known argument/);
    assert.deepEqual(checkAttachmentInputs({ cloud: "GCP", region: "us-central1", environment: { id: "env-1" } }).failures, []);
  });
});

describe("attachment read and delete", () => {
  test("refresh reads it as the API has it: a rename outside Pulumi comes back as inputs, so the next diff shows it", async () => {
    await withAttachments({}, async (h) => {
      const { id, outs, inputs } = await h.create(attachmentArgs({ displayName: "before" }));
      h.control.renameAttachment(id, "outside");
      const read = await h.provider.read(id, AttachmentHarness.state(outs));
      assert.equal(read.id, id);
      assert.equal(read.props?.displayName, "outside");
      assert.equal(read.inputs?.displayName, "outside");
      const diff = await h.provider.diff(id, { ...read.props, __provider: "x" }, inputs);
      assert.deepEqual([diff.changes, diff.replaces], [true, []]);
    });
  });

  test("read by an id that carries the environment (env-…/platt-…), as PrivateLinkAttachment.get sends it", async () => {
    await withAttachments({}, async (h) => {
      const { id } = await h.create(attachmentArgs());
      const read = await h.provider.read(`${ENV}/${id}`, {});
      assert.equal(read.id, id);
      assert.equal(read.props?.cloud, "AWS");
    });
  });

  test("delete waits until the attachment is gone", async () => {
    await withAttachments({}, async (h) => {
      const { id, outs } = await h.create(attachmentArgs());
      await h.provider.delete(id, AttachmentHarness.state(outs));
      assert.equal(h.control.attachment(id), undefined);
      const gets = h.requests({ method: "GET", route: "item" }).filter((r) => r.path.endsWith(id));
      assert.equal(gets.at(-1)!.status, 404, "returned only after a 404");
      assert.equal(h.count("DELETE", "item"), 1);
    });
  });

  test("a delete of an attachment that is gone already succeeds without waiting; refresh then drops it", async () => {
    await withAttachments({ goneAs403: true }, async (h) => {
      const { id, outs } = await h.create(attachmentArgs());
      h.control.deleteAttachment(id);
      assert.deepEqual(await h.provider.read(id, AttachmentHarness.state(outs)), {}, "403 and not listed: gone");
      await h.provider.delete(id, AttachmentHarness.state(outs));
    });
  });
});
