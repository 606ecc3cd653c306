// State footprint: bytes of `__provider` (the serialized provider handle every resource carries in state),
// measured the way dynamic.Resource produces it — with the package used from source, and installed from `npm pack`
// into a fresh project as users get it.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import serializableProvider = require("../provider/handle");
import { REPO_ROOT } from "../scripts/pulumi-cli";

/** The script run inside the fresh project: serialize the installed provider, revive it, print the size. */
const MEASURE_INSTALLED = `
const pulumi = require("@pulumi/pulumi");
const requireFromString = require("require-from-string");
const serializableProvider = require("pulumi-confluent-plattc/dist/provider/handle.js");
pulumi.runtime.serializeFunction(() => serializableProvider, { allowSecrets: true }).then(async (sf) => {
  const revived = requireFromString(sf.text).handler();
  const check = await revived.check({}, { environment: { id: "env-a" }, privateLinkAttachment: { id: "platt-a" }, aws: { vpcEndpointId: "vpce-0a" } });
  if (check.failures.length) throw new Error("revived provider failed check");
  process.stdout.write(JSON.stringify({ bytes: Buffer.byteLength(sf.text), requiresPackage: sf.text.includes('require("pulumi-confluent-plattc') }));
}).catch((e) => { console.error(e); process.exit(1); });
`;

export async function providerBytesFromSource(): Promise<number> {
  const sf = await pulumi.runtime.serializeFunction(() => serializableProvider, { allowSecrets: true });
  return Buffer.byteLength(sf.text);
}

export interface InstalledFootprint {
  bytes: number;
  requiresPackage: boolean;
}

export function providerBytesInstalled(log: (line: string) => void): InstalledFootprint {
  const work = mkdtempSync(path.join(os.tmpdir(), "plattc-footprint-"));
  try {
    const tarball = execFileSync("npm", ["pack", "--silent", "--pack-destination", work], { cwd: REPO_ROOT, encoding: "utf8" }).trim().split("\n").pop()!;
    log(`packed ${tarball}`);
    const project = path.join(work, "project");
    execFileSync("mkdir", ["-p", project]);
    writeFileSync(path.join(project, "package.json"), JSON.stringify({ name: "footprint", private: true }));
    execFileSync("npm", ["install", "--no-audit", "--no-fund", "--silent", path.join(work, tarball), "require-from-string@^2"], { cwd: project, stdio: ["ignore", "ignore", "inherit"] });
    writeFileSync(path.join(project, "measure.js"), MEASURE_INSTALLED);
    const out = execFileSync(process.execPath, ["measure.js"], { cwd: project, encoding: "utf8" });
    return JSON.parse(out) as InstalledFootprint;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
