// What an installed package loads, and when. A program that declares connections, and a dynamic-provider process
// that only previews (check and diff), load the resource class and the local checks, never the provider class
// or the HTTP stack (axios); the first create, read, update or delete loads them, and so do the public exports
// that need them (the provider class, the lookups).
import { test } from "node:test";
import assert from "node:assert/strict";
import { startEmulator } from "../../emulator";
import { installedProgram, runProgram } from "../support/installed";

interface Loaded {
  error?: string;
  steps: Array<{ step: string; loaded: string[] }>;
}

const PROGRAM = `
const loaded = () => Object.keys(require.cache)
  .map((p) => p.replace(/\\\\/g, "/"))
  .filter((p) => /node_modules\\/(axios|axios-retry)\\//.test(p) || /pulumi-confluent-plattc\\/dist\\/provider\\/(connection\\/provider|core\\/transport\\/client|connection\\/lookup)\\.js$/.test(p))
  .map((p) => p.includes("pulumi-confluent-plattc") ? p.split("/dist/provider/")[1] : p.split("node_modules/")[1].split("/")[0])
  .filter((v, i, all) => all.indexOf(v) === i).sort();
const steps = [];
const mark = (step) => steps.push({ step, loaded: loaded() });
(async () => {
  const pkg = require("pulumi-confluent-plattc");
  mark("import");
  const handle = require("pulumi-confluent-plattc/dist/provider/handle.js");
  await handle.configure({ config: { get: (key) => ({ "confluentcloud:endpoint": process.env.EMULATOR_URL, "confluentcloud:cloudApiKey": process.env.EMULATOR_KEY, "confluentcloud:cloudApiSecret": process.env.EMULATOR_SECRET })[key] } });
  const news = { environment: { id: "env-emu000" }, privateLinkAttachment: { id: "platt-emuaws" }, aws: { vpcEndpointId: "vpce-0123456789abcdef0" } };
  const checked = await handle.check({}, news);
  if (checked.failures.length > 0) throw new Error(JSON.stringify(checked.failures));
  await handle.diff("plattc-x", { ...news, phase: "READY" }, news);
  mark("preview");
  const found = await handle.read("env-emu000/plattc-missing", {});
  if (found.id !== undefined) throw new Error("read found a connection that does not exist");
  mark("read");
  if (typeof pkg.PrivateLinkAttachmentConnectionProvider !== "function") throw new Error("no provider class");
  mark("provider class");
  console.log(JSON.stringify({ steps }));
})().catch((e) => console.log(JSON.stringify({ error: String((e && e.stack) || e) })));
`;

test("installed: importing the package and previewing load no HTTP stack; the first API call and the provider class do", async (t) => {
  const emulator = await startEmulator();
  t.after(() => emulator.close());
  process.env.EMULATOR_URL = emulator.url;
  process.env.EMULATOR_KEY = emulator.credentials.apiKey;
  process.env.EMULATOR_SECRET = emulator.credentials.apiSecret;
  t.after(() => {
    delete process.env.EMULATOR_URL;
    delete process.env.EMULATOR_KEY;
    delete process.env.EMULATOR_SECRET;
  });
  const result = await runProgram<Loaded>(installedProgram(t), PROGRAM);
  assert.equal(result.error, undefined, result.error);
  const at = Object.fromEntries(result.steps.map((s) => [s.step, s.loaded]));
  assert.deepEqual(at.import, [], "a program that imports the package loads only the resource class");
  assert.deepEqual(at.preview, [], "check and diff load nothing more");
  for (const module of ["axios", "axios-retry", "connection/provider.js"]) assert.ok(at.read!.includes(module), `${module} is loaded by the first read: ${at.read!.join(",")}`);
  assert.ok(!at.read!.includes("connection/lookup.js"), "the provider does not load the lookups");
  assert.ok(at["provider class"]!.includes("connection/provider.js"));
  t.diagnostic(JSON.stringify(result.steps));
});
