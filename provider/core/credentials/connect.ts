// The one way the provider and the lookups reach the API: credentials and endpoint resolved at call time (from the
// given config, else the environment), every request bounded by the operation's deadline. A kind's client
// (e.g. connection/client.ts) is made on the transport this returns.
import { resolveSettings, type ConfigSource } from "./credentials";
import type { Deadline } from "../deadline";
import { openTransport, type ClientOptions } from "../transport/client";
import type { Transport } from "../transport/request";

export function connect(config: ConfigSource | undefined, deadline: Deadline, options: Omit<ClientOptions, "settings" | "deadline"> = {}): Transport {
  return openTransport({ ...options, settings: resolveSettings(config, process.env), deadline });
}
