// The one way the provider and the lookups get a client: credentials and endpoint resolved at call time (from the
// given config, else the environment), every request bounded by the operation's deadline.
import { resolveSettings, type ConfigSource } from "./credentials";
import type { Deadline } from "../deadline";
import { createClient, type ClientOptions, type ConfluentClient } from "../transport/client";

export function connect(config: ConfigSource | undefined, deadline: Deadline, options: Omit<ClientOptions, "settings" | "deadline"> = {}): ConfluentClient {
  return createClient({ ...options, settings: resolveSettings(config, process.env), deadline });
}
