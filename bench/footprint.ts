// State footprint: bytes of `__provider` (the serialized provider handle every resource carries in state), with the
// package installed from `npm pack` into a project as users get it, read from the state `pulumi up` wrote.
import * as path from "node:path";
import { startEmulator } from "../emulator";
import { PulumiProject, REPO_ROOT } from "../scripts/pulumi-cli";

export interface InstalledFootprint {
  bytes: number;
  resources: number;
  requiresPackage: boolean;
}

/** `pulumi up` of three connections on the emulator in a project that installed the package, then its state. */
export async function providerBytesInstalled(): Promise<InstalledFootprint> {
  const emulator = await startEmulator({ timing: { provisioningMs: 200, deprovisioningMs: 200 } });
  const project = PulumiProject.create("footprint", {
    from: path.join(REPO_ROOT, "bench/fixtures/connections"),
    env: { CONFLUENT_CLOUD_ENDPOINT: emulator.url, CONFLUENT_CLOUD_API_KEY: emulator.credentials.apiKey, CONFLUENT_CLOUD_API_SECRET: emulator.credentials.apiSecret },
  });
  try {
    await project.initStack("footprint");
    await project.setConfig("count", "3");
    await project.run(["up", "--yes"]);
    const { deployment } = await project.exportState();
    const texts = (deployment.resources ?? []).filter((r) => r.type.endsWith(":PrivateLinkAttachmentConnection")).map((r) => String(r.outputs?.__provider));
    await project.run(["destroy", "--yes"]);
    return {
      bytes: Math.max(...texts.map((t) => Buffer.byteLength(t))),
      resources: texts.length,
      requiresPackage: texts.every((t) => t.includes('require("pulumi-confluent-plattc/dist/provider/handle.js")')),
    };
  } finally {
    project.dispose();
    await emulator.close();
  }
}
