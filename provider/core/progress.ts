// Progress lines on the resource's own row, where native providers put theirs.
//
// The engine starts the dynamic-provider process with its address as the first argument, but the SDK does not
// connect pulumi.log to it there: lines would reach the CLI as stack-level "info: [runtime]" text, far from the
// resource. Connected, a line carries the resource's URN (handed to the provider as the `__urn` input, since the
// dynamic host does not pass it): an ephemeral line is the row's status while it waits, a lasting one is kept
// under the resource in the diagnostics.
import * as pulumi from "@pulumi/pulumi";

export type Level = "info" | "warn" | "debug";

/**
 * In the dynamic-provider process only, and once: give the SDK's settings the engine's address, from which it
 * makes its engine connection on first use. (runtime.resetOptions would do it too, but it also drops what the
 * process knows of the monitor, and the host's next serialization then waits forever.) Should the SDK keep its
 * settings elsewhere one day, nothing changes here and lines fall back to the plugin's output.
 */
function connectToEngine(): void {
  if (pulumi.runtime.getEngine() !== undefined) return;
  const [, script = "", address = ""] = process.argv;
  if (!/[\\/]cmd[\\/]dynamic-provider([\\/]index\.js)?$/.test(script) || !/^[\w.-]+:\d+$/.test(address)) return;
  const options = (globalThis as { globalStore?: { settings?: { options?: { engineAddr?: string } } } }).globalStore?.settings?.options;
  if (options && !options.engineAddr) options.engineAddr = address;
}

export function logToEngine(level: Level, line: string, urn: string | undefined, ephemeral = false): void {
  connectToEngine();
  // pulumi.log reads only `urn.promise()` of the resource it is given.
  const resource = urn === undefined ? undefined : ({ urn: { promise: () => Promise.resolve(urn) } } as unknown as pulumi.Resource);
  void pulumi.log[level](line, resource, undefined, ephemeral);
}
