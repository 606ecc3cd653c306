// Preview of N new connections under the real engine: requests the API receives (check + diff only: none
// expected) and time per resource.
import { startEmulator } from "../emulator";
import { PrivateLinkAttachmentConnection } from "../provider";
import { createInlineStack } from "../scripts/pulumi-cli";

export interface PreviewFigures {
  resources: number;
  httpRequests: number;
  msPerResource: number;
}

export async function measurePreview(resources: number): Promise<PreviewFigures> {
  const emulator = await startEmulator();
  try {
    const inline = await createInlineStack({
      projectName: "plattc-bench-preview",
      stackName: "bench",
      program: async () => {
        for (let i = 0; i < resources; i++) {
          new PrivateLinkAttachmentConnection(`c${i}`, {
            displayName: `bench-${i}`,
            environment: { id: "env-emu000" },
            privateLinkAttachment: { id: "platt-emuaws" },
            aws: { vpcEndpointId: `vpce-${(0xbe00 + i).toString(16).padStart(17, "0")}` },
          });
        }
      },
      env: { CONFLUENT_CLOUD_ENDPOINT: emulator.url, CONFLUENT_CLOUD_API_KEY: emulator.credentials.apiKey, CONFLUENT_CLOUD_API_SECRET: emulator.credentials.apiSecret },
    });
    try {
      const started = Date.now();
      const preview = await inline.stack.preview();
      const ms = Date.now() - started;
      if (preview.changeSummary.create !== resources + 1) throw new Error(`preview planned ${JSON.stringify(preview.changeSummary)}`);
      return { resources, httpRequests: emulator.control.requests().length, msPerResource: Math.round((ms / resources) * 10) / 10 };
    } finally {
      inline.dispose();
    }
  } finally {
    await emulator.close();
  }
}
