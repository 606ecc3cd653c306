// The stack's `confluentcloud:*` settings as a Pulumi program sees them, for the lookups: the same keys the
// provider's `configure` receives, secret ones included (in plain text, as the language host hands them to the
// program; read with pulumi.runtime.getConfig, which warns about nothing and records nothing). Outside a program
// there is no stack config and this is undefined.
import * as pulumi from "@pulumi/pulumi";
import { STACK_CONFIG_KEYS, type ConfigSource } from "./credentials";

export function programStackConfig(): ConfigSource | undefined {
  const values: Record<string, unknown> = {};
  for (const key of STACK_CONFIG_KEYS) {
    const value = pulumi.runtime.getConfig(key);
    if (value !== undefined && value !== "") values[key] = value;
  }
  return Object.keys(values).length > 0 ? values : undefined;
}
