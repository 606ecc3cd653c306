import { test } from "node:test";
import assert from "node:assert/strict";
import { AWS_ATTACHMENT, awsBody, azureBody, CONNECTIONS, ENV, gcpBody, withEmulator } from "../support/emulator";
import type { Caller } from "../support/http";

async function pageThrough(api: Caller, firstQuery: string): Promise<{ ids: string[]; pages: any[] }> {
  const ids: string[] = [];
  const pages: any[] = [];
  let next: string | undefined = `${CONNECTIONS}?${firstQuery}`;
  while (next) {
    const reply = await api.call(next);
    assert.equal(reply.status, 200, reply.text);
    pages.push(reply.body);
    ids.push(...reply.body.data.map((c: { id: string }) => c.id));
    const link: string | undefined = reply.body.metadata.next;
    next = link ? link.slice(api.baseUrl.length) : undefined;
    assert.ok(pages.length < 100, "paging terminates");
  }
  return { ids, pages };
}

test("paging through many connections returns each exactly once, total_size on every page, next only when there is more", async () => {
  await withEmulator({ rateLimit: { requests: 10_000, windowMs: 60_000 } }, async ({ api }) => {
    const created: string[] = [];
    for (let i = 0; i < 57; i++) {
      const body = i % 3 === 0 ? awsBody() : i % 3 === 1 ? azureBody() : gcpBody();
      created.push((await api.call(CONNECTIONS, { method: "POST", body })).body.id);
    }
    const { ids, pages } = await pageThrough(api, `environment=${ENV}&page_size=10`);
    assert.equal(ids.length, 57);
    assert.deepEqual(new Set(ids), new Set(created));
    assert.equal(new Set(ids).size, 57, "no duplicates");
    assert.equal(pages.length, 6);
    for (const [i, page] of pages.entries()) {
      assert.equal(page.metadata.total_size, 57);
      assert.equal("next" in page.metadata, i < pages.length - 1, `page ${i} next`);
    }
    // default page size is 10, and one stable order across pages and across calls
    const again = await pageThrough(api, `environment=${ENV}`);
    assert.deepEqual(again.ids, ids);
    assert.equal(again.pages.length, 6);
    const big = await pageThrough(api, `environment=${ENV}&page_size=100`);
    assert.deepEqual(big.ids, ids);
    assert.equal(big.pages.length, 1);
  });
});

test("the spec.private_link_attachment filter, and connections added or removed while paging", async () => {
  await withEmulator({}, async ({ api }) => {
    const aws: string[] = [];
    for (let i = 0; i < 7; i++) aws.push((await api.call(CONNECTIONS, { method: "POST", body: awsBody() })).body.id);
    for (let i = 0; i < 4; i++) await api.call(CONNECTIONS, { method: "POST", body: gcpBody() });
    const filtered = await pageThrough(api, `environment=${ENV}&spec.private_link_attachment=${AWS_ATTACHMENT}&page_size=3`);
    assert.deepEqual(filtered.ids, aws);
    for (const page of filtered.pages) assert.equal(page.metadata.total_size, 7);
    for (const link of filtered.pages.map((p) => p.metadata.next).filter(Boolean)) {
      assert.match(link, /spec\.private_link_attachment=platt-emuaws/, "next keeps the filters");
    }
    const none = await api.call(`${CONNECTIONS}?environment=${ENV}&spec.private_link_attachment=platt-none`);
    assert.equal(none.status, 200);
    assert.deepEqual(none.body.data, []);
    assert.equal(none.body.metadata.total_size, 0);

    // Cursor tokens: an insertion or a deletion between pages neither repeats nor skips the others.
    const first = await api.call(`${CONNECTIONS}?environment=${ENV}&spec.private_link_attachment=${AWS_ATTACHMENT}&page_size=3`);
    await api.call(`${CONNECTIONS}/${aws[0]}?environment=${ENV}`, { method: "DELETE" });
    const added = (await api.call(CONNECTIONS, { method: "POST", body: awsBody() })).body.id;
    let next: string | undefined = first.body.metadata.next.slice(api.baseUrl.length);
    const rest: string[] = [];
    while (next) {
      const page = await api.call(next);
      rest.push(...page.body.data.map((c: { id: string }) => c.id));
      next = page.body.metadata.next?.slice(api.baseUrl.length);
    }
    assert.deepEqual(rest, [...aws.slice(3), added]);
  });
});

test("page_size outside 1..100 and bad or mismatched page tokens are 400 naming the parameter", async () => {
  await withEmulator({}, async ({ api }) => {
    for (let i = 0; i < 3; i++) await api.call(CONNECTIONS, { method: "POST", body: awsBody() });
    for (const size of ["101", "0", "-1", "ten", "1.5", ""]) {
      const reply = await api.call(`${CONNECTIONS}?environment=${ENV}&page_size=${size}`);
      assert.equal(reply.status, 400, `page_size=${size}`);
      assert.equal(reply.body.errors[0].source.parameter, "page_size");
    }
    assert.equal((await api.call(`${CONNECTIONS}?environment=${ENV}&page_size=100`)).status, 200);
    const first = await api.call(`${CONNECTIONS}?environment=${ENV}&page_size=1`);
    const token = new URL(first.body.metadata.next).searchParams.get("page_token")!;
    for (const bad of ["garbage", "x".repeat(300), Buffer.from("{\"a\":\"x\"}").toString("base64url")]) {
      const reply = await api.call(`${CONNECTIONS}?environment=${ENV}&page_token=${bad}`);
      assert.equal(reply.status, 400);
      assert.equal(reply.body.errors[0].source.parameter, "page_token");
    }
    const otherFilter = await api.call(`${CONNECTIONS}?environment=${ENV}&spec.private_link_attachment=${AWS_ATTACHMENT}&page_token=${token}`);
    assert.equal(otherFilter.status, 400, "a token is bound to the filters it was issued for");
    assert.equal((await api.call(`${CONNECTIONS}?environment=${ENV}&page_size=1&page_token=${token}`)).status, 200);
  });
});

test("the attachment endpoints list and read the seeded attachments", async () => {
  await withEmulator({}, async ({ api }) => {
    const list = await api.call(`/networking/v1/private-link-attachments?environment=${ENV}`);
    assert.equal(list.status, 200);
    assert.deepEqual(list.body.data.map((a: { id: string }) => a.id).sort(), ["platt-emuaws", "platt-emuazure", "platt-emugcp"]);
    const one = await api.call(`/networking/v1/private-link-attachments/platt-emugcp?environment=${ENV}`);
    assert.equal(one.body.spec.cloud, "GCP");
    assert.match(one.body.status.cloud.service_attachment.private_service_connect_service_attachment, /serviceAttachments/);
    assert.equal((await api.call(`/networking/v1/private-link-attachments/platt-none?environment=${ENV}`)).status, 404);
  });
});
