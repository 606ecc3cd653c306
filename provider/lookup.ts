// Reading connections without managing them: by id, every connection of an environment, or by display name.
import { createClient } from "./http/client";
import { resolveSettings, type ConfigSource } from "./credentials";
import type { ApiError } from "./http/api-error";
import { isGone, restated } from "./gone";
import { connectionFromWire, type ConnectionState } from "./model";

export interface LookupOptions {
  /**
   * Same keys as the stack config (`confluentcloud:cloudApiKey`, …, `confluentcloud:oauth` as an object or its JSON
   * text); default: the environment variables (CONFLUENT_CLOUD_API_KEY, …, CONFLUENT_CLOUD_OAUTH_*).
   */
  config?: ConfigSource;
  /** Overall time limit (default 5 minutes). */
  timeoutMs?: number;
}

export type ConnectionInfo = ConnectionState & { id: string };

function clientFor(opts: LookupOptions = {}) {
  const timeoutMs = opts.timeoutMs ?? 5 * 60_000;
  return createClient({
    settings: resolveSettings(opts.config, process.env),
    signal: AbortSignal.timeout(timeoutMs),
    deadline: Date.now() + timeoutMs,
    validateConnection: (body) => void connectionFromWire(body),
  });
}

function info(body: unknown): ConnectionInfo {
  const { id, state } = connectionFromWire(body);
  return { id, ...state };
}

/** The connection by id; an error when it does not exist (a 404, or a 403 for an id its environment does not list). */
export async function getPrivateLinkAttachmentConnection(args: { id: string; environmentId: string }, opts?: LookupOptions): Promise<ConnectionInfo> {
  const api = clientFor(opts);
  try {
    return info(await api.getConnection(args.id, args.environmentId));
  } catch (e) {
    // A 403 that is not "gone" throws from isGone with what it found out; a confirmed one says so.
    if ((e as { status?: unknown })?.status === 403 && (await isGone(api, e, { connectionId: args.id, environmentId: args.environmentId }))) {
      throw restated(e as ApiError, `${(e as Error).message}. ${args.id} is not among the connections of ${args.environmentId}: it does not exist`);
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
