// Preview of N new connections under the real engine: requests the API receives (check + diff only: none
// expected) and time per resource.
import * as path from "node:path";
import { startEmulator } from "../emulator";
import { createWorkspace, REPO_ROOT } from "../scripts/pulumi-cli";

export interface PreviewFigures {
  resources: number;
  httpRequests: number;
  msPerResource: number;
}

export async function measurePreview(resources: number): Promise<PreviewFigures> {
  const emulator = await startEmulator();
  const ws = createWorkspace({
    CONFLUENT_CLOUD_ENDPOINT: emulator.url,
    CONFLUENT_CLOUD_API_KEY: emulator.credentials.apiKey,
    CONFLUENT_CLOUD_API_SECRET: emulator.credentials.apiSecret,
  });
  const cwd = path.join(REPO_ROOT, "bench/preview-program");
  try {
    await ws.run(["stack", "init", "bench", "--no-select"], { cwd });
    await ws.run(["config", "set", "count", String(resources), "--stack", "bench", "--config-file", path.join(ws.dir, "Pulumi.bench.yaml")], { cwd });
    const started = Date.now();
    await ws.run(["preview", "--stack", "bench", "--config-file", path.join(ws.dir, "Pulumi.bench.yaml")], { cwd });
    const ms = Date.now() - started;
    return { resources, httpRequests: emulator.control.requests().length, msPerResource: Math.round((ms / resources) * 10) / 10 };
  } finally {
    ws.dispose();
    await emulator.close();
  }
}
