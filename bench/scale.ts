// Scale under a rate limit: N concurrent creates through ONE provider instance (as the engine drives them in
// one dynamic-provider process) against an emulator that allows `limitPerMinute` requests.
import { startEmulator } from "../emulator";
import { awsInputs, withProvider } from "./env";

export interface ScaleFigures {
  resources: number;
  limitPerMinute: number;
  failures: number;
  status429: number;
  requests: number;
  wallSeconds: number;
  /** requests sent / limit per second: the fastest any client could have gone. */
  boundSeconds: number;
  connectionsOnServer: number;
  duplicates: number;
}

export async function measureScale(resources: number, limitPerMinute: number, provisioningMs: number): Promise<ScaleFigures> {
  const emulator = await startEmulator({ rateLimit: { requests: limitPerMinute, windowMs: 60_000 }, timing: { provisioningMs } });
  try {
    const started = Date.now();
    const results = await withProvider(emulator, {}, (provider) =>
      Promise.allSettled(Array.from({ length: resources }, async (_, i) => provider.create(await awsInputs(provider, `scale-${i}`)))));
    const wallSeconds = (Date.now() - started) / 1000;
    const log = emulator.control.requests();
    const connections = emulator.control.connections();
    const endpoints = new Set(connections.map((c) => c.endpointId));
    return {
      resources,
      limitPerMinute,
      failures: results.filter((r) => r.status === "rejected").length,
      status429: log.filter((r) => r.status === 429).length,
      requests: log.length,
      wallSeconds: round(wallSeconds),
      boundSeconds: round(log.length / (limitPerMinute / 60)),
      connectionsOnServer: connections.length,
      duplicates: connections.length - endpoints.size,
    };
  } finally {
    await emulator.close();
  }
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
