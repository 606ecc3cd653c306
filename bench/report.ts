import type { CliFigures } from "./preview";
// bench/results.json → docs/benchmarks.md: tables, and an SVG chart of overshoot against provisioning time.
import type { KindName, TerraformWait } from "./kinds";
import type { KindPolling } from "./polling";

export interface Results {
  generatedAt: string;
  machine: string;
  polling: Record<KindName, KindPolling>;
  pollingScale: number;
  scale: { resources: number; limitPerMinute: number; failures: number; status429: number; wallSeconds: number; boundSeconds: number; requests: number; duplicates: number };
  stateBytesPerResource: { installed: number };
  cli: CliFigures;
}

const fmt = (n: number, digits = 1) => (Math.round(n * 10 ** digits) / 10 ** digits).toFixed(digits);
const KINDS: readonly KindName[] = ["connection", "attachment"];

/** The chart's series: ours and Terraform's, a filled marker for the connection and a hollow one for the attachment. */
const SERIES = KINDS.flatMap((kind) => (["terraform", "ours"] as const).map((side) => ({
  kind, side, filled: kind === "connection", color: side === "ours" ? "#1f77b4" : "#d62728", shape: side === "ours" ? "circle" : "square",
})));

function marker(shape: string, cx: number, cy: number, color: string, filled: boolean): string {
  const paint = filled ? `fill="${color}"` : `fill="none" stroke="${color}" stroke-width="1.5"`;
  return shape === "circle"
    ? `<circle cx="${fmt(cx)}" cy="${fmt(cy)}" r="4" ${paint}/>`
    : `<rect x="${fmt(cx - 4)}" y="${fmt(cy - 4)}" width="8" height="8" ${paint}/>`;
}

/** "5 s, then 60 s": a Terraform wait's first delay and interval. */
function schedule(wait: TerraformWait): string {
  return `${wait.delayMs / 1000} s, then ${wait.pollIntervalMs / 1000} s`;
}

export function chartSvg(results: Results): string {
  const rowsOf = (kind: KindName) => [...results.polling[kind].fixed, ...results.polling[kind].mean.rows];
  const all = KINDS.flatMap(rowsOf);
  const W = 720, H = 410, left = 60, right = 20, top = 84, bottom = 50;
  const maxT = Math.max(...all.map((r) => r.provisioningSeconds)) * 1.05;
  const maxY = Math.max(65, ...all.map((r) => Math.max(r.ours.overshootSeconds, r.terraform.overshootSeconds))) * 1.05;
  const x = (t: number) => left + (t / maxT) * (W - left - right);
  const y = (s: number) => H - bottom - (s / maxY) * (H - top - bottom);
  const dots = SERIES.map((s) => rowsOf(s.kind).map((r) => marker(s.shape, x(r.provisioningSeconds), y(r[s.side].overshootSeconds), s.color, s.filled)).join("")).join("");
  const xTicks = [0, 100, 200, 300, 400, 500, 600].filter((t) => t <= maxT).map((t) =>
    `<line x1="${fmt(x(t))}" y1="${H - bottom}" x2="${fmt(x(t))}" y2="${H - bottom + 5}" stroke="#333"/><text x="${fmt(x(t))}" y="${H - bottom + 18}" font-size="11" text-anchor="middle">${t}</text>`).join("");
  const yTicks = [0, 10, 20, 30, 40, 50, 60].filter((s) => s <= maxY).map((s) =>
    `<line x1="${left - 5}" y1="${fmt(y(s))}" x2="${W - right}" y2="${fmt(y(s))}" stroke="#ddd"/><text x="${left - 8}" y="${fmt(y(s) + 4)}" font-size="11" text-anchor="end">${s}</text>`).join("");
  const targetEnd = Math.min(maxT, maxY / 0.15);
  const target = `<polyline fill="none" stroke="#999" stroke-dasharray="4 3" points="${[0, 13.3, targetEnd].map((t) => `${fmt(x(t))},${fmt(y(Math.max(2, 0.15 * t)))}`).join(" ")}"/>`;
  // The legend above the plot: a column per kind, a row per side, the target below.
  const legendX = (kind: KindName) => left + 10 + 320 * KINDS.indexOf(kind), legendY = (row: number) => 40 + 14 * row;
  const legend = SERIES.map((s) => {
    const row = s.side === "ours" ? 0 : 1;
    const who = s.side === "ours" ? "this provider (adaptive polling)" : `Terraform (${schedule(results.polling[s.kind].terraformWait)})`;
    return `${marker(s.shape, legendX(s.kind) + 8, legendY(row) - 4, s.color, s.filled)}<text x="${legendX(s.kind) + 18}" y="${legendY(row)}" font-size="11">${who}, ${s.kind}</text>`;
  }).join("\n");
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif">
<rect width="100%" height="100%" fill="white"/>
<text x="${W / 2}" y="18" font-size="14" text-anchor="middle">Serving noticed late by (s) vs provisioning time (s), one create per point</text>
${yTicks}${xTicks}
<line x1="${left}" y1="${H - bottom}" x2="${W - right}" y2="${H - bottom}" stroke="#333"/>
<line x1="${left}" y1="${top}" x2="${left}" y2="${H - bottom}" stroke="#333"/>
${target}${dots}
<text x="${W / 2}" y="${H - 12}" font-size="12" text-anchor="middle">provisioning time (s)</text>
<text x="16" y="${H / 2}" font-size="12" text-anchor="middle" transform="rotate(-90 16 ${H / 2})">overshoot (s)</text>
${legend}
<line x1="${left + 10}" y1="${legendY(2) - 4}" x2="${left + 26}" y2="${legendY(2) - 4}" stroke="#999" stroke-dasharray="4 3"/><text x="${left + 28}" y="${legendY(2)}" font-size="11">target of ours, max(2 s, 0.15·T)</text>
</svg>
`;
}

/** What each kind's create waits for, in the words of the report. */
const SERVING: Record<KindName, string> = { connection: "READY", attachment: "WAITING_FOR_CONNECTIONS (or READY)" };

/** One kind's table of the fixed provisioning times and its sentence of means over the seeded draws. */
function pollingSection(kind: KindName, p: KindPolling): string {
  const rows = p.fixed.map((r) =>
    `| ${r.provisioningSeconds} | ${fmt(r.ours.overshootSeconds)} | ${r.ours.gets} | ${fmt(r.terraform.overshootSeconds)} | ${r.terraform.gets} | ≤ ${fmt(Math.max(2, 0.15 * r.provisioningSeconds))} s, ≤ ${fmt(r.provisioningSeconds / 10 + 10)} GETs |`).join("\n");
  const m = p.mean;
  const w = p.terraformWait;
  return `### ${kind === "connection" ? "Connections" : "Attachments"}

Each create waits until the ${kind} is ${SERVING[kind]}. Terraform's wait: first GET ${w.delayMs / 1000} s after the POST,
then one every ${w.pollIntervalMs / 1000} s, until ${w.target.join(" or ")}.

| provisioning (s) | ours: overshoot (s) | ours: GETs | Terraform: overshoot (s) | Terraform: GETs | target (ours) |
|---:|---:|---:|---:|---:|---|
${rows}

Over ${m.draws} seeded draws of T uniform in [10 s, 600 s] (seed ${m.seed}): mean overshoot **${fmt(m.ours.overshootSeconds)} s** (ours) vs
**${fmt(m.terraform.overshootSeconds)} s** (Terraform) — ratio ${fmt(m.ours.overshootSeconds / Math.max(m.terraform.overshootSeconds, 1e-9), 2)}; mean GETs ${fmt(m.ours.gets)} vs ${fmt(m.terraform.gets)}.
`;
}

export function markdown(results: Results): string {
  const r = results;
  return `# Benchmarks

Measured by \`npm run bench\` (code in \`bench/\`) on ${r.machine}, ${r.generatedAt}. Every figure comes from one run
against the bundled emulator; "Terraform" is a replay of the Terraform provider's create wait for the same kind
(\`bench/kinds.ts\`: its Delay, PollInterval and Target; the read its create makes once the wait is over is not counted)
against the same emulator in the same run. Raw figures: \`bench/results.json\`.

## READY detection

Overshoot = seconds between the emulator making the resource serve (a connection READY, an attachment
WAITING_FOR_CONNECTIONS) and \`create\` returning. Provisioning times run on a clock ${r.pollingScale}× faster than the wall
clock, shared by the emulator and the provider's waits (the polling policy itself is unchanged). Each kind is
measured on its own emulator, all its creates at once.

${KINDS.map((kind) => pollingSection(kind, r.polling[kind])).join("\n")}
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
