// The structure rules as tests: dependency-cruiser's import rules (.dependency-cruiser.cjs) over the folders
// `npm run lint:imports` names, ESLint's function-length rule (eslint.config.mjs) over provider/ and emulator/, and
// each set of rules shown to catch what it is there for.
import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { ESLint, type Linter } from "eslint";
import tseslint from "typescript-eslint";
import { REPO_ROOT } from "../scripts/repo-root";

const DEPCRUISE = join(REPO_ROOT, "node_modules/dependency-cruiser/bin/dependency-cruise.mjs");
const DEPCRUISE_CONFIG = join(REPO_ROOT, ".dependency-cruiser.cjs");
const MAX_FUNCTION_LINES = 80;

interface Violation {
  from: string;
  to: string;
  rule: { name: string; severity: string };
}

/** The folders `npm run lint:imports` gives depcruise. */
function lintedFolders(): string[] {
  const scripts = (JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
  const words = scripts["lint:imports"]!.split(/\s+/);
  return words.filter((word, i) => i > 0 && !word.startsWith("-") && !words[i - 1]!.startsWith("--"));
}

/** depcruise with the repository's rules over `folders` of `cwd`: its violations as `rule: from → to`, how many are errors. */
function depcruise(cwd: string, folders: string[]): { errors: number; violations: string[] } {
  const run = spawnSync(process.execPath, [DEPCRUISE, "--config", DEPCRUISE_CONFIG, "--output-type", "json", ...folders], { cwd, encoding: "utf8" });
  assert.equal(run.status, 0, `depcruise failed: ${run.stderr}`);
  const { summary } = JSON.parse(run.stdout) as { summary: { error: number; violations: Violation[] } };
  return { errors: summary.error, violations: summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`).sort() };
}

/** A temporary folder holding `files` (paths may name subfolders), removed when test `t` ends. */
function folderWith(t: TestContext, files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "structure-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

test("lint:imports: dependency-cruiser finds no violation (cycles, layers, provider/emulator apart, orphans, dev dependencies)", () => {
  const folders = lintedFolders();
  assert.ok(folders.includes("provider") && folders.includes("emulator"), `lint:imports names ${folders.join(" ")}`);
  assert.deepEqual(depcruise(REPO_ROOT, folders), { errors: 0, violations: [] });
});

test("dependency-cruiser's rules catch a type-only cycle, the core importing a kind, a kind importing another, a module in no layer, the emulator on the provider, control on the API, an orphan, a devDependency", (t) => {
  const dir = folderWith(t, {
    "package.json": JSON.stringify({ name: "fixture", version: "0.0.0", devDependencies: { "dev-only": "1.0.0" } }),
    "node_modules/dev-only/package.json": JSON.stringify({ name: "dev-only", version: "1.0.0", main: "index.js" }),
    "node_modules/dev-only/index.js": "exports.x = 1;\n",
    // a cycle made of a type-only import and a re-export
    "provider/connection/model.ts": 'import type { W } from "./wire";\nexport type M = { w?: W };\n',
    "provider/connection/wire.ts": 'export type { M } from "./model";\nexport type W = number;\n',
    // the core reaching up to a kind, and a devDependency in the package's code
    "provider/core/client.ts": 'import type { M } from "../connection/model";\nimport { run } from "../connection/provider";\nimport { x } from "dev-only";\nexport const c = (m: M) => run(m) + x;\n',
    "provider/connection/provider.ts": 'import type { M } from "./model";\nimport type { A } from "../attachment/model";\nexport const run = (m: M, a?: A) => (m && !a ? 1 : 0);\n',
    "provider/attachment/model.ts": "export type A = number;\n",
    // a module in no layer
    "provider/extra.ts": 'import type { M } from "./connection/model";\nexport const e: M = {};\n',
    // the emulator importing the provider
    "emulator/server.ts": 'import type { M } from "../provider/connection/model";\nexport const s: M = {};\n',
    // the test control importing the API
    "emulator/control.ts": 'import { s } from "./server";\nexport const c = s;\n',
    // imports nothing, imported by nothing
    "emulator/unused.ts": "export const u = 1;\n",
  });
  const { errors, violations } = depcruise(dir, ["provider", "emulator"]);
  assert.equal(errors, violations.length, "every violation is an error");
  assert.deepEqual(violations, [
    "emulator-not-to-repo: emulator/server.ts → provider/connection/model.ts",
    "emulator-server-control-apart: emulator/control.ts → emulator/server.ts",
    "no-circular: provider/connection/model.ts → provider/connection/wire.ts",
    "no-orphans: emulator/unused.ts → emulator/unused.ts",
    "not-to-dev-dep: provider/core/client.ts → node_modules/dev-only/index.js",
    "provider-layer-unknown: provider/extra.ts → provider/connection/model.ts",
    "provider-core-not-to-kinds: provider/core/client.ts → provider/connection/model.ts",
    "provider-core-not-to-kinds: provider/core/client.ts → provider/connection/provider.ts",
    "provider-connection-not-to-other-kinds: provider/connection/provider.ts → provider/attachment/model.ts",
  ].sort());
});

/** The options eslint.config.mjs gives max-lines-per-function for `file`. */
async function functionLengthRule(file: string): Promise<Linter.RuleEntry | undefined> {
  const config = await new ESLint({ cwd: REPO_ROOT }).calculateConfigForFile(join(REPO_ROOT, file));
  return config?.rules?.["max-lines-per-function"];
}

test(`provider/ and emulator/: no function longer than ${MAX_FUNCTION_LINES} lines (ESLint's max-lines-per-function)`, async () => {
  for (const file of ["provider/core/transport/request.ts", "provider/index.ts", "emulator/server.ts"]) {
    assert.deepEqual(await functionLengthRule(file), [2, { max: MAX_FUNCTION_LINES, skipBlankLines: false, skipComments: false, IIFEs: true }], file);
  }
  const eslint = new ESLint({ cwd: REPO_ROOT, ruleFilter: ({ ruleId }) => ruleId === "max-lines-per-function" });
  const results = await eslint.lintFiles(["provider", "emulator"]);
  assert.ok(results.length > 40, `${results.length} files linted`);
  const found = results.flatMap((r) => r.messages.map((m) => `${relative(REPO_ROOT, r.filePath)}:${m.line} ${m.message}`));
  assert.deepEqual(found, []);
});

test("max-lines-per-function as configured reports a 90-line function and a long method by name, and passes a short one", async () => {
  const rule = await functionLengthRule("provider/core/transport/request.ts");
  assert.ok(rule);
  const eslint = new ESLint({
    cwd: REPO_ROOT,
    overrideConfigFile: true,
    overrideConfig: [{ files: ["**/*.ts"], languageOptions: { parser: tseslint.parser }, rules: { "max-lines-per-function": rule } }],
  });
  const filler = (n: number) => Array.from({ length: n }, (_, i) => `  const v${i} = ${i};`).join("\n");
  const text = [
    "export function short(): number {", "  return 1;", "}",
    "export function long(): void {", filler(88), "}",
    "export class Box {", "  method(): void {", filler(79), "  }", "}",
  ].join("\n");
  const [result] = await eslint.lintText(text, { filePath: join(REPO_ROOT, "provider/long.ts") });
  assert.deepEqual(result!.messages.map((m) => [m.line, m.message]), [
    [4, "Function 'long' has too many lines (90). Maximum allowed is 80."],
    [95, "Method 'method' has too many lines (81). Maximum allowed is 80."],
  ]);
});
