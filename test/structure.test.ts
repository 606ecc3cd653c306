import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO_ROOT } from "../scripts/repo-root";
import { importCycles, layerViolations, longFunctions } from "../scripts/structure";

/** Source folders (with their subfolders) held to one-way imports and short functions. */
const CHECKED = ["emulator", "provider"];
const MAX_FUNCTION_LINES = 80;

for (const folder of CHECKED) {
  test(`${folder}/: no import cycle, type-only imports included`, () => {
    assert.deepEqual(importCycles(join(REPO_ROOT, folder)), []);
  });

  test(`${folder}/: no function longer than ${MAX_FUNCTION_LINES} lines`, () => {
    assert.deepEqual(longFunctions(join(REPO_ROOT, folder), MAX_FUNCTION_LINES), []);
  });
}

/**
 * provider/'s layers: core/ (transport, credentials, deadline, waits, gone, create, state, settings, progress) serves
 * every resource kind and imports none; a kind's folder imports core/ and itself (and the handle at the top), never
 * another kind. A create flows one way: kind → core. handle.ts and index.ts, at the top, may import any of them.
 */
// "": a kind's resource class hands handle.ts (the `__provider` every resource requires) to dynamic.Resource.
const PROVIDER_LAYERS = { core: ["core"], connection: ["core", "connection", ""], attachment: ["core", "attachment", ""] };

test("provider/: core/ imports no kind, and no kind imports another", () => {
  assert.deepEqual(layerViolations(join(REPO_ROOT, "provider"), PROVIDER_LAYERS), []);
});

test("layerViolations reports an import from a lower layer into a higher one, type-only included", (t) => {
  const dir = folderWith(t, {});
  for (const sub of ["core", "kind"]) mkdirSync(join(dir, sub));
  writeFileSync(join(dir, "core", "a.ts"), 'import type { K } from "../kind/k";\nexport type A = K;\n');
  writeFileSync(join(dir, "kind", "k.ts"), 'import type { B } from "../core/b";\nexport type K = B;\n');
  writeFileSync(join(dir, "core", "b.ts"), "export type B = number;\n");
  assert.deepEqual(layerViolations(dir, { core: ["core"], kind: ["core", "kind"] }), [{ file: "core/a.ts", imports: "kind/k.ts" }]);
});

/** A temporary folder holding `files`, removed when test `t` ends. */
function folderWith(t: TestContext, files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "structure-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

test("importCycles reports a cycle made of a type-only import and a re-export", (t) => {
  const dir = folderWith(t, {
    "a.ts": 'import type { B } from "./b";\nexport type A = { b?: B };\n',
    "b.ts": 'export type { A } from "./a";\nexport type B = number;\n',
    "c.ts": 'import { readFileSync } from "node:fs";\nimport type { A } from "./a";\nexport const c: A | typeof readFileSync = {};\n',
  });
  assert.deepEqual(importCycles(dir), [["a.ts", "b.ts"]]);
});

test("importCycles lists each cycle of a longer loop once", (t) => {
  const dir = folderWith(t, {
    "a.ts": 'import { b } from "./b";\nexport const a = () => b;\n',
    "b.ts": 'import { c } from "./c";\nexport const b = () => c;\n',
    "c.ts": 'import { a } from "./a";\nexport const c = () => a;\n',
  });
  assert.deepEqual(importCycles(dir), [["a.ts", "b.ts", "c.ts"]]);
});

test("longFunctions reports a 90-line function and a long arrow, by name, and passes a short one", (t) => {
  const filler = (n: number) => Array.from({ length: n }, (_, i) => `  const v${i} = ${i};`).join("\n");
  const dir = folderWith(t, {
    "long.ts": [
      "export function short(): number {", "  return 1;", "}",
      "export function long(): void {", filler(88), "}",
      "export class Box {", "  method = (): void => {", filler(85), "  };", "}",
    ].join("\n"),
  });
  assert.deepEqual(longFunctions(dir, MAX_FUNCTION_LINES), [
    { file: "long.ts", name: "long", line: 4, lines: 90 },
    { file: "long.ts", name: "Box.method", line: 95, lines: 87 },
  ]);
});
