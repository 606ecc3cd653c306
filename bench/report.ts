import type { CliFigures } from "./preview";
// bench/results.json → docs/benchmarks.md: a table and an SVG chart of overshoot against provisioning time.
import type { PollingRow } from "./polling";

export interface Results {
  generatedAt: string;
  machine: string;
  polling: PollingRow[];
  pollingScale: number;
  pollingMean: { draws: number; seed: number; ours: { overshootSeconds: number; gets: number }; terraform: { overshootSeconds: number; gets: number }; rows: PollingRow[] };
  scale: { resources: number; limitPerMinute: number; failures: number; status429: number; wallSeconds: number; boundSeconds: number; requests: number; duplicates: number };
  stateBytesPerResource: { installed: number };
  cli: CliFigures;
}

const fmt = (n: number, digits = 1) => (Math.round(n * 10 ** digits) / 10 ** digits).toFixed(digits);

export function chartSvg(results: Results): string {
  const rows = [...results.polling, ...results.pollingMean.rows];
  const W = 720, H = 360, left = 60, right = 20, top = 30, bottom = 50;
  const maxT = Math.max(...rows.map((r) => r.provisioningSeconds)) * 1.05;
  const maxY = Math.max(65, ...rows.map((r) => Math.max(r.ours.overshootSeconds, r.terraform.overshootSeconds))) * 1.05;
  const x = (t: number) => left + (t / maxT) * (W - left - right);
  const y = (s: number) => H - bottom - (s / maxY) * (H - top - bottom);
  const dots = (side: "ours" | "terraform", color: string, shape: "circle" | "square") => rows.map((r) => {
    const cx = x(r.provisioningSeconds), cy = y(r[side].overshootSeconds);
    return shape === "circle"
      ? `<circle cx="${fmt(cx)}" cy="${fmt(cy)}" r="4" fill="${color}"/>`
      : `<rect x="${fmt(cx - 4)}" y="${fmt(cy - 4)}" width="8" height="8" fill="${color}"/>`;
  }).join("");
  const xTicks = [0, 100, 200, 300, 400, 500, 600].filter((t) => t <= maxT).map((t) =>
    `<line x1="${fmt(x(t))}" y1="${H - bottom}" x2="${fmt(x(t))}" y2="${H - bottom + 5}" stroke="#333"/><text x="${fmt(x(t))}" y="${H - bottom + 18}" font-size="11" text-anchor="middle">${t}</text>`).join("");
  const yTicks = [0, 10, 20, 30, 40, 50, 60].filter((s) => s <= maxY).map((s) =>
    `<line x1="${left - 5}" y1="${fmt(y(s))}" x2="${W - right}" y2="${fmt(y(s))}" stroke="#ddd"/><text x="${left - 8}" y="${fmt(y(s) + 4)}" font-size="11" text-anchor="end">${s}</text>`).join("");
  const targetEnd = Math.min(maxT, maxY / 0.15);
  const target = `<polyline fill="none" stroke="#999" stroke-dasharray="4 3" points="${[0, 13.3, targetEnd].map((t) => `${fmt(x(t))},${fmt(y(Math.max(2, 0.15 * t)))}`).join(" ")}"/>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif">
<rect width="100%" height="100%" fill="white"/>
<text x="${W / 2}" y="18" font-size="14" text-anchor="middle">READY noticed late by (s) vs provisioning time (s), one create per point</text>
${yTicks}${xTicks}
<line x1="${left}" y1="${H - bottom}" x2="${W - right}" y2="${H - bottom}" stroke="#333"/>
<line x1="${left}" y1="${top}" x2="${left}" y2="${H - bottom}" stroke="#333"/>
${target}${dots("terraform", "#d62728", "square")}${dots("ours", "#1f77b4", "circle")}
<text x="${W / 2}" y="${H - 12}" font-size="12" text-anchor="middle">provisioning time (s)</text>
<text x="16" y="${H / 2}" font-size="12" text-anchor="middle" transform="rotate(-90 16 ${H / 2})">overshoot (s)</text>
<rect x="${W - 250}" y="${top + 4}" width="230" height="58" fill="white" stroke="#ccc"/>
<circle cx="${W - 236}" cy="${top + 18}" r="4" fill="#1f77b4"/><text x="${W - 226}" y="${top + 22}" font-size="11">this provider (adaptive polling)</text>
<rect x="${W - 240}" y="${top + 30}" width="8" height="8" fill="#d62728"/><text x="${W - 226}" y="${top + 38}" font-size="11">Terraform schedule (5 s, then 60 s)</text>
<line x1="${W - 244}" y1="${top + 50}" x2="${W - 228}" y2="${top + 50}" stroke="#999" stroke-dasharray="4 3"/><text x="${W - 226}" y="${top + 54}" font-size="11">target max(2 s, 0.15·T)</text>
</svg>
`;
}

export function markdown(results: Results): string {
  const r = results;
  const pollingRows = r.polling.map((p) =>
    `| ${p.provisioningSeconds} | ${fmt(p.ours.overshootSeconds)} | ${p.ours.gets} | ${fmt(p.terraform.overshootSeconds)} | ${p.terraform.gets} | ≤ ${fmt(Math.max(2, 0.15 * p.provisioningSeconds))} s, ≤ ${fmt(p.provisioningSeconds / 10 + 10)} GETs |`).join("\n");
  const m = r.pollingMean;
  return `# Benchmarks

Measured by \`npm run bench\` (code in \`bench/\`) on ${r.machine}, ${r.generatedAt}. Every figure comes from one run
against the bundled emulator; "Terraform" is a replay of the Terraform provider's create wait (first poll 5 s
after the POST, then every 60 s) against the same emulator in the same run. Raw figures: \`bench/results.json\`.

## READY detection

Overshoot = seconds between the emulator turning the connection READY and \`create\` returning. Provisioning times
run on a clock ${r.pollingScale}× faster than the wall clock, shared by the emulator and the provider's waits (the
polling policy itself is unchanged).

| provisioning (s) | ours: overshoot (s) | ours: GETs | Terraform: overshoot (s) | Terraform: GETs | target (ours) |
|---:|---:|---:|---:|---:|---|
${pollingRows}

Over ${m.draws} seeded draws of T uniform in [10 s, 600 s] (seed ${m.seed}): mean overshoot **${fmt(m.ours.overshootSeconds)} s** (ours) vs
**${fmt(m.terraform.overshootSeconds)} s** (Terraform) — ratio ${fmt(m.ours.overshootSeconds / Math.max(m.terraform.overshootSeconds, 1e-9), 2)}; mean GETs ${fmt(m.ours.gets)} vs ${fmt(m.terraform.gets)}.

![overshoot against provisioning time](benchmarks.svg)

## Scale under a rate limit

${r.scale.resources} concurrent creates through one provider instance against an emulator allowing ${r.scale.limitPerMinute} requests per minute:
${r.scale.failures} failures, ${r.scale.status429} responses with status 429, ${r.scale.duplicates} duplicates, ${r.scale.requests} requests in
${fmt(r.scale.wallSeconds)} s against a bound of ${fmt(r.scale.boundSeconds)} s (requests ÷ limit per second) — ${fmt(r.scale.wallSeconds / r.scale.boundSeconds, 2)}× the bound.

## State footprint

Bytes of \`__provider\` per resource: **${r.stateBytesPerResource.installed}** with the package installed from \`npm pack\`
into a fresh project (read from the state the engine wrote after a \`pulumi up\` of three connections there: a
\`require()\` of the installed provider).

## The CLI, as users run it

The \`pulumi\` CLI in a project folder that installed the package from its \`npm pack\` tarball, TypeScript program,
${r.cli.resources} resources; medians of ${r.cli.runs} alternating runs.

| command | wall | API requests |
|---|---:|---:|
| \`pulumi preview\`, ${r.cli.resources} new connections | ${fmt(r.cli.previewMs.connections / 1000, 2)} s | ${r.cli.previewRequests} |
| \`pulumi preview\`, ${r.cli.resources} resources of a do-nothing dynamic provider, one input (the floor) | ${fmt(r.cli.previewMs.noop / 1000, 2)} s | |
| \`pulumi preview\`, ${r.cli.resources} do-nothing resources with a connection's inputs and output properties | ${fmt(r.cli.previewMs.noopShaped / 1000, 2)} s | |
| \`pulumi up --yes\`, ${r.cli.resources} connections to READY | ${fmt(r.cli.upMs / 1000, 2)} s | ${r.cli.upRequests} |
| \`pulumi refresh --yes\` of them (its preview reads each, then the refresh) | ${fmt(r.cli.refreshMs / 1000, 2)} s | ${r.cli.refreshRequests} |

A preview of the connections costs **${fmt(r.cli.previewMs.ratio, 2)}×** the floor's wall time, and
**${fmt(r.cli.previewMs.ratioShaped, 2)}×** that of do-nothing resources carrying the same properties. Most of what a
property costs a preview is the SDK's: it records a stack trace on each promise it makes for a property (for its
promise-leak report), and under ts-node each trace goes through source maps. The connection's resource class
records none for its property promises (provider/connection/resource.ts: the stack trace limit is 0 only while the SDK makes
them, never while code of the program such as a transformation runs), and neither a program that declares
connections nor a preview loads the provider class or its HTTP stack (test/provider/loading.test.ts).
`;
}
