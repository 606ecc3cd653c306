// Listing private link attachments: pages in creation order with cursor tokens bound to their filters, and the
// filters the spec declares (spec.display_name, spec.cloud, spec.region, status.phase; each repeatable).
import { test } from "node:test";
import assert from "node:assert/strict";
import type { Caller } from "../support/http";
import { ENV, ManualClock, withEmulator } from "../support/emulator";
import { ATTACHMENTS, attachmentBody, attachmentUrl, createAttachment, type Cloud } from "./attachments-support";

const SEEDED = ["platt-emuaws", "platt-emuazure", "platt-emugcp"];

async function pageThrough(api: Caller, firstQuery: string): Promise<{ ids: string[]; pages: any[] }> {
  const ids: string[] = [];
  const pages: any[] = [];
  let next: string | undefined = `${ATTACHMENTS}?${firstQuery}`;
  while (next) {
    const reply = await api.call(next);
    assert.equal(reply.status, 200, reply.text);
    pages.push(reply.body);
    ids.push(...reply.body.data.map((a: { id: string }) => a.id));
    const link: string | undefined = reply.body.metadata.next;
    next = link ? link.slice(api.baseUrl.length) : undefined;
    assert.ok(pages.length < 100, "paging terminates");
  }
  return { ids, pages };
}

test("paging returns each attachment exactly once in creation order (seeded first), total_size on every page, next only when there is more", async () => {
  await withEmulator({ rateLimit: { requests: 10_000, windowMs: 60_000 } }, async ({ api }) => {
    const created: string[] = [];
    const clouds: Cloud[] = ["AWS", "AZURE", "GCP"];
    for (let i = 0; i < 27; i++) created.push((await createAttachment(api, attachmentBody(clouds[i % 3]))).id);
    const { ids, pages } = await pageThrough(api, `environment=${ENV}&page_size=7`);
    assert.deepEqual(ids, [...SEEDED, ...created]);
    assert.equal(pages.length, 5);
    for (const [i, page] of pages.entries()) {
      assert.equal(page.kind, "PrivateLinkAttachmentList");
      assert.equal(page.metadata.total_size, 30);
      assert.equal("next" in page.metadata, i < pages.length - 1, `page ${i} next`);
      assert.match(page.metadata.first, /page_size=7/);
    }
    const byDefault = await pageThrough(api, `environment=${ENV}`);
    assert.deepEqual(byDefault.ids, ids);
    assert.equal(byDefault.pages.length, 3, "10 a page by default");
    const big = await pageThrough(api, `environment=${ENV}&page_size=100`);
    assert.deepEqual([big.ids, big.pages.length], [ids, 1]);
  });
});

test("filters: exact match, repeatable (any of the values), combined (all of them), kept in next links; a value nothing has matches nothing", async () => {
  await withEmulator({ attachmentTiming: { provisioningMs: 60_000 } }, async ({ api }) => {
    const a1 = (await createAttachment(api, attachmentBody("AWS", { displayName: "prod-a", region: "us-east-1" }))).id;
    const a2 = (await createAttachment(api, attachmentBody("AWS", { displayName: "prod-b", region: "eu-west-1" }))).id;
    const g1 = (await createAttachment(api, attachmentBody("GCP", { displayName: "prod-a", region: "us-central1" }))).id;
    const list = async (query: string) => (await pageThrough(api, `environment=${ENV}&${query}`)).ids;
    assert.deepEqual(await list("spec.cloud=AWS"), ["platt-emuaws", a1, a2]);
    assert.deepEqual(await list("spec.cloud=AWS&spec.cloud=GCP"), ["platt-emuaws", "platt-emugcp", a1, a2, g1]);
    assert.deepEqual(await list("spec.display_name=prod-a"), [a1, g1]);
    assert.deepEqual(await list("spec.display_name=prod-a&spec.cloud=GCP"), [g1]);
    assert.deepEqual(await list("spec.region=us-east-1"), ["platt-emuaws", a1]);
    assert.deepEqual(await list("spec.region=us-east-1&spec.region=us-central1"), ["platt-emuaws", "platt-emugcp", a1, g1]);
    assert.deepEqual(await list("status.phase=PROVISIONING"), [a1, a2, g1]);
    assert.deepEqual(await list("status.phase=WAITING_FOR_CONNECTIONS"), SEEDED);
    assert.deepEqual(await list("status.phase=PROVISIONING&status.phase=WAITING_FOR_CONNECTIONS"), [...SEEDED, a1, a2, g1]);
    assert.deepEqual(await list("spec.cloud=aws"), [], "exact match");
    assert.deepEqual(await list("spec.display_name=prod-a,prod-b"), [], "a comma is part of the value: repeat the parameter instead");

    const paged = await pageThrough(api, `environment=${ENV}&spec.cloud=AWS&spec.cloud=GCP&page_size=2`);
    assert.deepEqual(paged.ids, ["platt-emuaws", "platt-emugcp", a1, a2, g1]);
    for (const page of paged.pages) assert.equal(page.metadata.total_size, 5);
    for (const link of paged.pages.map((p) => p.metadata.next).filter(Boolean)) {
      assert.deepEqual(new URL(link).searchParams.getAll("spec.cloud"), ["AWS", "GCP"], "next keeps the filters");
    }
    const none = await api.call(`${ATTACHMENTS}?environment=${ENV}&spec.region=mars-north-1`);
    assert.deepEqual([none.status, none.body.data, none.body.metadata.total_size], [200, [], 0]);
  });
});

test("cursor tokens: an attachment added or deleted between pages neither repeats nor skips the others; tokens are bound to their filters", async () => {
  const clock = new ManualClock();
  await withEmulator({ clock, attachmentTiming: { deprovisioningMs: 0 } }, async ({ api }) => {
    const made: string[] = [];
    for (let i = 0; i < 5; i++) made.push((await createAttachment(api, attachmentBody("AZURE", { region: "eastus" }))).id);
    const first = await api.call(`${ATTACHMENTS}?environment=${ENV}&spec.cloud=AZURE&page_size=3`);
    assert.deepEqual(first.body.data.map((a: { id: string }) => a.id), ["platt-emuazure", made[0], made[1]]);
    assert.equal((await api.call(attachmentUrl(made[0]!), { method: "DELETE" })).status, 204);
    assert.equal((await api.call(attachmentUrl(made[2]!), { method: "DELETE" })).status, 204);
    const added = (await createAttachment(api, attachmentBody("AZURE", { region: "eastus" }))).id;
    const rest = await pageThrough(api, new URL(first.body.metadata.next).search.slice(1));
    assert.deepEqual(rest.ids, [made[3], made[4], added]);

    const token = new URL(first.body.metadata.next).searchParams.get("page_token")!;
    assert.ok(token.length <= 255);
    for (const query of [`spec.cloud=GCP&page_token=${token}`, `page_token=${token}`, "page_token=garbage", `page_token=${"x".repeat(300)}`]) {
      const reply = await api.call(`${ATTACHMENTS}?environment=${ENV}&${query}`);
      assert.equal(reply.status, 400, query.slice(0, 40));
      assert.equal(reply.body.errors[0].source.parameter, "page_token");
    }
    for (const size of ["0", "101", "ten", ""]) {
      const reply = await api.call(`${ATTACHMENTS}?environment=${ENV}&page_size=${size}`);
      assert.deepEqual([reply.status, reply.body.errors[0].source.parameter], [400, "page_size"], `page_size=${size}`);
    }
    const missing = await api.call(ATTACHMENTS);
    assert.deepEqual([missing.status, missing.body.errors[0].source.parameter], [400, "environment"]);
    assert.equal((await api.call(`${ATTACHMENTS}?environment=env-nowhere`)).status, 403);
  });
});

test("quirks mode: links name api.confluent.cloud and the last page has next = \"\"", async () => {
  await withEmulator({ quirks: true }, async ({ api }) => {
    const first = await api.call(`${ATTACHMENTS}?environment=${ENV}&page_size=2`);
    assert.ok(first.body.metadata.next.startsWith(`https://api.confluent.cloud${ATTACHMENTS}?`));
    const last = await api.call(`${ATTACHMENTS}${new URL(first.body.metadata.next).search}`);
    assert.deepEqual([last.body.data.length, last.body.metadata.next], [1, ""]);
  });
});
