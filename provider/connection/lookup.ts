// Reading connections without managing them: by id, every connection of an environment, or by display name.
import { connectionClient, type ConfluentClient } from "./client";
import { connectionGone } from "./gone";
import { connect } from "../core/credentials/connect";
import type { ConfigSource } from "../core/credentials/credentials";
import { Deadline } from "../core/deadline";
import { restated, type ApiError } from "../core/transport/api-error";
import { describeValue } from "../core/checks";
import type { Connection, ConnectionState } from "./model";
import { programStackConfig } from "../core/credentials/stack-config";

export interface LookupOptions {
  /**
   * Same keys as the stack config (`confluentcloud:cloudApiKey`, …, `confluentcloud:oauth` as an object or its JSON
   * text), used instead of the stack config. Default: in a Pulumi program the stack's `confluentcloud:*` config
   * (secrets included), then the environment variables (CONFLUENT_CLOUD_API_KEY, …, CONFLUENT_CLOUD_OAUTH_*), the
   * resource's order; outside a program the environment variables.
   */
  config?: ConfigSource;
  /** Overall time limit (default 5 minutes). */
  timeoutMs?: number;
}

export type ConnectionInfo = ConnectionState & { id: string };

const DEFAULT_TIMEOUT_MS = 5 * 60_000;

function clientFor(opts: LookupOptions = {}): ConfluentClient {
  return connectionClient(connect(opts.config ?? programStackConfig(), Deadline.after(opts.timeoutMs ?? DEFAULT_TIMEOUT_MS)));
}

function info({ id, state }: Connection): ConnectionInfo {
  return { id, ...state };
}

/** A connection by id, in this package's form (`environmentId`) or pulumi-confluentcloud's (`environment: { id }`). */
export type GetConnectionArgs = { id: string; environmentId: string } | { id: string; environment: { id: string } };

function environmentOf(args: GetConnectionArgs): string {
  const byName = (args as { environmentId?: unknown }).environmentId;
  const byRef = (args as { environment?: { id?: unknown } }).environment?.id;
  const id = byName ?? byRef;
  const problem = id === undefined ? "no environment was given"
    : typeof id !== "string" || id === "" ? `the environment id is ${describeValue(id)}`
    : byName !== undefined && byRef !== undefined && byName !== byRef ? `environmentId ${describeValue(byName)} and environment.id ${describeValue(byRef)} differ`
    : undefined;
  if (problem !== undefined) {
    throw new Error(`get private link attachment connection ${describeValue(args?.id)}: ${problem}; pass environment: { id: "env-…" } (or environmentId: "env-…")`);
  }
  return id as string;
}

/** The connection by id; an error when it does not exist (a 404, or a 403 for an id its environment does not list). */
export async function getPrivateLinkAttachmentConnection(args: GetConnectionArgs, opts?: LookupOptions): Promise<ConnectionInfo> {
  const environmentId = environmentOf(args);
  const api = clientFor(opts);
  try {
    return info(await api.getConnection(args.id, environmentId));
  } catch (e) {
    // A 403 that is not "gone" throws from isGone with what it found out; a confirmed one says so.
    if ((e as { status?: unknown })?.status === 403 && (await connectionGone(api, { connectionId: args.id, environmentId })(e))) {
      throw restated(e as ApiError, `${args.id} is not among the connections of ${environmentId}: it does not exist`);
    }
    throw e;
  }
}

/** Every connection of the environment (optionally of one attachment), following every page. */
export async function listPrivateLinkAttachmentConnections(
  args: { environmentId: string; privateLinkAttachmentId?: string },
  opts?: LookupOptions,
): Promise<ConnectionInfo[]> {
  const items = await clientFor(opts).listConnections({ environmentId: args.environmentId, privateLinkAttachmentId: args.privateLinkAttachmentId });
  return items.map(info);
}

/** The connection with this display name; an error when none or several match. */
export async function findPrivateLinkAttachmentConnectionByDisplayName(
  args: { environmentId: string; displayName: string; privateLinkAttachmentId?: string },
  opts?: LookupOptions,
): Promise<ConnectionInfo> {
  const all = await listPrivateLinkAttachmentConnections(args, opts);
  const matches = all.filter((c) => c.displayName === args.displayName);
  if (matches.length === 1) return matches[0]!;
  const scope = `environment ${args.environmentId}${args.privateLinkAttachmentId ? `, attachment ${args.privateLinkAttachmentId}` : ""}`;
  if (matches.length === 0) throw new Error(`no private link attachment connection named "${args.displayName}" in ${scope}`);
  throw new Error(`${matches.length} private link attachment connections are named "${args.displayName}" in ${scope}: ${matches.map((m) => m.id).join(", ")}`);
}
