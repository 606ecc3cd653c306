// State footprint: bytes of `__provider` (the serialized provider handle every resource carries in state) —
// installed from `npm pack` into a fresh project as users get it, read from the state the engine wrote; and used
// from source, as dynamic.Resource serializes it.
import { execFile, execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import serializableProvider = require("../provider/handle");
import { promisify } from "node:util";
import { startEmulator } from "../emulator";
import { pulumiBinDir, REPO_ROOT } from "../scripts/pulumi-cli";

const run = promisify(execFile);

/**
 * Run inside the fresh project, with ITS @pulumi/pulumi (the installed package must register with the runtime
 * the program runs under): `pulumi up` of three connections on the emulator, then the `__provider` of each
 * resource as `pulumi stack export` records it.
 */
const MEASURE_INSTALLED = `
const path = require("path");
const { LocalWorkspace, PulumiCommand } = require("@pulumi/pulumi/automation");
const { PrivateLinkAttachmentConnection } = require("pulumi-confluent-plattc");
(async () => {
  const dir = process.env.FOOTPRINT_DIR;
  const pulumiCommand = await PulumiCommand.get({ root: path.dirname(process.env.FOOTPRINT_PULUMI_BIN), skipVersionCheck: true });
  const program = async () => {
    for (let i = 0; i < 3; i++) {
      new PrivateLinkAttachmentConnection("c" + i, {
        environment: { id: "env-emu000" }, privateLinkAttachment: { id: "platt-emuaws" },
        aws: { vpcEndpointId: "vpce-" + (0xf00 + i).toString(16).padStart(17, "0") },
      });
    }
  };
  const stack = await LocalWorkspace.createOrSelectStack({ stackName: "footprint", projectName: "footprint", program }, {
    // The engine starts plugins in the work dir: the project, whose node_modules holds the installed package.
    pulumiCommand, pulumiHome: path.join(dir, "home"), workDir: process.cwd(),
    envVars: { PULUMI_CONFIG_PASSPHRASE: "footprint", PULUMI_SKIP_UPDATE_CHECK: "true", PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true" },
    projectSettings: { name: "footprint", runtime: "nodejs", backend: { url: "file://" + path.join(dir, "state") } },
  });
  await stack.up();
  const resources = (await stack.exportStack()).deployment.resources.filter((r) => r.type.endsWith(":PrivateLinkAttachmentConnection"));
  await stack.destroy();
  const texts = resources.map((r) => r.outputs.__provider);
  process.stdout.write(JSON.stringify({
    bytes: Math.max(...texts.map((t) => Buffer.byteLength(t))),
    resources: texts.length,
    requiresPackage: texts.every((t) => t.includes('require("pulumi-confluent-plattc/dist/provider/handle.js")')),
  }));
})().catch((e) => { console.error(e); process.exit(1); });
`;

export async function providerBytesFromSource(): Promise<number> {
  const sf = await pulumi.runtime.serializeFunction(() => serializableProvider, { allowSecrets: true });
  return Buffer.byteLength(sf.text);
}

export interface InstalledFootprint {
  bytes: number;
  resources: number;
  requiresPackage: boolean;
}

/** `npm pack`, install into a fresh project, deploy three connections there on the emulator, read the state. */
export async function providerBytesInstalled(log: (line: string) => void): Promise<InstalledFootprint> {
  const work = mkdtempSync(path.join(os.tmpdir(), "plattc-footprint-"));
  const emulator = await startEmulator({ timing: { provisioningMs: 200, deprovisioningMs: 200 } });
  try {
    const tarball = execFileSync("npm", ["pack", "--silent", "--pack-destination", work], { cwd: REPO_ROOT, encoding: "utf8" }).trim().split("\n").pop()!;
    log(`packed ${tarball}`);
    const project = path.join(work, "project");
    mkdirSync(path.join(work, "pulumi", "state"), { recursive: true });
    mkdirSync(project);
    writeFileSync(path.join(project, "package.json"), JSON.stringify({ name: "footprint", private: true }));
    execFileSync("npm", ["install", "--no-audit", "--no-fund", "--silent", path.join(work, tarball)], { cwd: project, stdio: ["ignore", "ignore", "inherit"] });
    writeFileSync(path.join(project, "measure.js"), MEASURE_INSTALLED);
    const bin = pulumiBinDir();
    const { stdout } = await run(process.execPath, ["measure.js"], {
      cwd: project,
      env: {
        ...process.env,
        PATH: [bin, path.dirname(process.execPath), process.env.PATH].join(path.delimiter),
        FOOTPRINT_DIR: path.join(work, "pulumi"),
        FOOTPRINT_PULUMI_BIN: bin,
        // The dynamic-provider plugin must run the project's SDK, which resolves the installed package.
        PULUMI_NODEJS_SDK_DIR: path.join(project, "node_modules/@pulumi/pulumi"),
        CONFLUENT_CLOUD_ENDPOINT: emulator.url,
        CONFLUENT_CLOUD_API_KEY: emulator.credentials.apiKey,
        CONFLUENT_CLOUD_API_SECRET: emulator.credentials.apiSecret,
      },
      maxBuffer: 64 << 20,
    });
    return JSON.parse(stdout) as InstalledFootprint;
  } finally {
    await emulator.close();
    rmSync(work, { recursive: true, force: true });
  }
}
