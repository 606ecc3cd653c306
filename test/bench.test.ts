// The benchmark harness works (tiny sizes, no timing assertions: figures come from `npm run bench`).
import { test } from "node:test";
import assert from "node:assert/strict";
import { providerBytesInstalled } from "../bench/footprint";
import { ATTACHMENT, CONNECTION } from "../bench/kinds";
import { mean, measureKind, measurePolling, seededDraws } from "../bench/polling";
import { measureCli } from "../bench/preview";
import { chartSvg, markdown, type Results } from "../bench/report";
import { measureScale } from "../bench/scale";

for (const kind of [CONNECTION, ATTACHMENT]) {
  test(`polling, ${kind.name}: ours and the Terraform replay each measure one create per provisioning time`, async () => {
    const run = await measurePolling(kind, [1, 3], 30);
    assert.deepEqual(run.rows.map((r) => r.provisioningSeconds), [1, 3]);
    for (const row of run.rows) {
      assert.ok(row.ours.gets >= 1 && row.terraform.gets >= 1, JSON.stringify(row));
      assert.ok(row.ours.overshootSeconds >= 0 && row.terraform.overshootSeconds >= 0);
    }
    assert.equal(run.rows[0]!.terraform.gets, 1, "Terraform's first poll at 5 s already sees it serve");
    assert.equal(mean(run.rows, "ours").gets, (run.rows[0]!.ours.gets + run.rows[1]!.ours.gets) / 2);
  });
}

test("polling, attachment: fixed times and seeded draws measured together, the means taken over the draws", async () => {
  const figures = await measureKind(ATTACHMENT, { fixedSeconds: [1], draws: { count: 2, min: 1, max: 4, seed: 7 } }, 30);
  assert.deepEqual(figures.terraformWait, ATTACHMENT.terraformWait);
  assert.deepEqual(figures.fixed.map((r) => r.provisioningSeconds), [1]);
  assert.deepEqual(figures.mean.rows.map((r) => r.provisioningSeconds), seededDraws(2, 1, 4, 7));
  assert.equal(figures.mean.draws, 2);
  assert.deepEqual(figures.mean.ours, mean(figures.mean.rows, "ours"));
  assert.deepEqual(figures.mean.terraform, mean(figures.mean.rows, "terraform"));
  for (const row of [...figures.fixed, ...figures.mean.rows]) {
    assert.ok(row.ours.gets >= 1 && row.terraform.gets >= 1, JSON.stringify(row));
    assert.ok(row.ours.overshootSeconds >= 0 && row.terraform.overshootSeconds >= 0);
  }
});

test("seeded draws are reproducible and within bounds", () => {
  const a = seededDraws(20, 10, 600, 7);
  assert.deepEqual(a, seededDraws(20, 10, 600, 7));
  assert.ok(a.every((t) => t >= 10 && t <= 600));
  assert.notDeepEqual(a, seededDraws(20, 10, 600, 8));
});

test("scale: concurrent creates through one provider, counted on the emulator", async () => {
  const figures = await measureScale(6, 600, 100);
  assert.equal(figures.resources, 6);
  assert.equal(figures.failures, 0);
  assert.equal(figures.connectionsOnServer, 6);
  assert.equal(figures.duplicates, 0);
  assert.ok(figures.requests >= 12 && figures.boundSeconds > 0);
});

test("state footprint: the package installed from its tarball, each resource's __provider a require() of it, under 1 KB", async () => {
  const footprint = await providerBytesInstalled();
  assert.equal(footprint.resources, 3);
  assert.ok(footprint.requiresPackage);
  assert.ok(footprint.bytes > 0 && footprint.bytes <= 1024, `${footprint.bytes} bytes`);
});

test("the CLI benchmark: previews send no request, up makes every connection READY, refresh reads each once per pass", async () => {
  const figures = await measureCli(2, 1, () => {});
  assert.equal(figures.previewRequests, 0);
  assert.ok(figures.previewMs.connections > 0 && figures.previewMs.noop > 0 && figures.previewMs.noopShaped > 0 && figures.previewMs.ratio > 0);
  assert.ok(figures.upRequests >= 4, "a POST and at least one GET per connection");
  assert.equal(figures.refreshRequests, 4, "one GET per connection in refresh's preview, one in the refresh");
});

test("the report renders a table per kind and an SVG chart from results", () => {
  const row = { provisioningSeconds: 30, ours: { overshootSeconds: 1.5, gets: 11 }, terraform: { overshootSeconds: 35, gets: 2 } };
  const attachmentRow = { provisioningSeconds: 30, ours: { overshootSeconds: 2.5, gets: 12 }, terraform: { overshootSeconds: 34, gets: 2 } };
  const polling = (kind: typeof CONNECTION, r: typeof row) => ({ terraformWait: kind.terraformWait, fixed: [r], mean: { draws: 1, seed: 1, ours: r.ours, terraform: r.terraform, rows: [r] } });
  const results: Results = {
    generatedAt: "2026-01-01T00:00:00Z", machine: "test", polling: { connection: polling(CONNECTION, row), attachment: polling(ATTACHMENT, attachmentRow) }, pollingScale: 20,
    scale: { resources: 1, limitPerMinute: 600, failures: 0, status429: 0, wallSeconds: 1, boundSeconds: 1, requests: 10, duplicates: 0 },
    stateBytesPerResource: { installed: 283 }, cli: { resources: 1, runs: 1, previewMs: { connections: 1100, noop: 1000, noopShaped: 1050, ratio: 1.1, ratioShaped: 1.05 }, previewRequests: 0, upMs: 2000, refreshMs: 1000, upRequests: 3, refreshRequests: 1 },
  };
  const md = markdown(results);
  assert.match(md, /### Connections[^#]*\| 30 \| 1\.5 \| 11 \| 35\.0 \| 2 \|[^#]*mean overshoot \*\*1\.5 s\*\* \(ours\)/);
  assert.match(md, /### Attachments[^#]*\| 30 \| 2\.5 \| 12 \| 34\.0 \| 2 \|[^#]*mean overshoot \*\*2\.5 s\*\* \(ours\)/);
  assert.match(md, /until WAITING_FOR_CONNECTIONS or READY/);
  assert.match(md, /\*\*1\.10×\*\* the floor/);
  assert.match(md, /\*\*1\.05×\*\* that of do-nothing resources/);
  const svg = chartSvg(results);
  assert.match(svg, /^<svg /);
  assert.equal((svg.match(/<circle /g) ?? []).length, 2 + 2 + 2, "two points (fixed + drawn) per kind and the legend's two");
});
