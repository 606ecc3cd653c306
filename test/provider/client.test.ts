import { after, describe, mock, test } from "node:test";
import assert from "node:assert/strict";
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { inspect } from "node:util";
import type { Credentials } from "../../provider/core/credentials/credentials";
import { Deadline } from "../../provider/core/deadline";
import { ApiError } from "../../provider/core/transport/api-error";
import type { ClientOptions } from "../../provider/core/transport/client";
import { createClient, type ConfluentClient } from "../../provider/connection/client";
import { Throttle, throttleFor } from "../../provider/core/transport/throttle";
import { connectionFromWire } from "../../provider/connection/model";
import type { WireCreateRequest } from "../../provider/connection/wire";
import { aborted, settlesWithin } from "../support/clock";

/** The same deadline, ended early when `signal` aborts: a caller cancelling the operation. */
function cancellable(deadline: Deadline, signal: AbortSignal): Deadline {
  return Object.assign(Object.create(Deadline.prototype) as Deadline, deadline, { signal: AbortSignal.any([deadline.signal, signal]) });
}

// ---------------------------------------------------------------------------------------------------------
// A tiny scripted server on 127.0.0.1:0.

interface Seen {
  method: string;
  url: URL;
  headers: http.IncomingHttpHeaders;
  body?: string;
  at: number;
}

interface Exchange {
  req: IncomingMessage;
  res: ServerResponse;
  index: number;
  seen: Seen;
  /** Reads (and records) the request body. */
  body(): Promise<string>;
}

type Step = (x: Exchange) => void | Promise<void>;

interface FakeServer {
  url: string;
  seen: Seen[];
  close(): Promise<void>;
}

const servers: FakeServer[] = [];
after(async () => {
  await Promise.all(servers.map((server) => server.close()));
});

/** Serves `steps[i]` to the i-th request; the last step repeats. Or one function for all. */
async function serve(steps: Step[] | Step): Promise<FakeServer> {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    const index = seen.length;
    const record: Seen = { method: req.method ?? "", url: new URL(req.url ?? "/", "http://fake"), headers: req.headers, at: Date.now() };
    seen.push(record);
    let body: Promise<string> | undefined;
    const exchange: Exchange = {
      req,
      res,
      index,
      seen: record,
      body: () =>
        (body ??= new Promise<string>((resolve) => {
          const chunks: Buffer[] = [];
          req.on("data", (chunk: Buffer) => chunks.push(chunk));
          req.on("end", () => {
            record.body = Buffer.concat(chunks).toString("utf8");
            resolve(record.body);
          });
        })),
    };
    const step = typeof steps === "function" ? steps : steps[Math.min(index, steps.length - 1)]!;
    Promise.resolve(step(exchange)).catch((error: unknown) => {
      res.statusCode = 599;
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const fake: FakeServer = {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  servers.push(fake);
  return fake;
}

const REQUEST_ID = "4f1c2b7e-9a0d-4c1e-8f3a-2b6d5e7f8a9c";

function json(status: number, body: unknown, headers: Record<string, string> = {}): Step {
  return async (x) => {
    await x.body();
    x.res.writeHead(status, { "Content-Type": "application/json", "X-Request-Id": `${REQUEST_ID}-${x.index}`, ...headers });
    x.res.end(body === undefined ? "" : JSON.stringify(body));
  };
}

function apiError(status: number, detail: string, extra: Record<string, string> = {}, headers: Record<string, string> = {}): Step {
  return json(status, { errors: [{ id: "e1", status: String(status), code: `code_${status}`, title: `title ${status}`, detail, ...extra }] }, headers);
}

function raw(status: number, contentType: string | undefined, text: string, headers: Record<string, string> = {}): Step {
  return async (x) => {
    await x.body();
    x.res.writeHead(status, { ...(contentType ? { "Content-Type": contentType } : {}), "X-Request-Id": `${REQUEST_ID}-${x.index}`, ...headers });
    x.res.end(text);
  };
}

function tooMany(headers: Record<string, string>): Step {
  return async (x) => {
    await x.body();
    x.res.writeHead(429, { "X-Request-Id": `${REQUEST_ID}-${x.index}`, ...headers });
    x.res.end();
  };
}

const resetBeforeBody: Step = (x) => {
  x.req.socket.destroy();
};

const resetAfterBody: Step = async (x) => {
  await x.body();
  x.req.socket.destroy();
};

function slow(ms: number, then: Step): Step {
  return async (x) => {
    await new Promise((resolve) => setTimeout(resolve, ms));
    if (!x.res.destroyed && !x.req.socket.destroyed) await then(x);
  };
}

// ---------------------------------------------------------------------------------------------------------
// Fixtures

const CANARY: Credentials = { kind: "basic", apiKey: "CANARYKEY7f3a", apiSecret: "CANARY-SECRET-b9e2d1-do-not-leak" };
const CANARY_BASIC = Buffer.from(`${CANARY.apiKey}:${(CANARY as { apiSecret: string }).apiSecret}`).toString("base64");
const CANARY_TOKEN: Credentials = { kind: "bearer", token: "CANARY-TOKEN-c4d5e6-do-not-leak" };
const FORBIDDEN = ["CANARY-SECRET-b9e2d1-do-not-leak", CANARY_BASIC, "CANARY-TOKEN-c4d5e6-do-not-leak"];

const CONNECTION = {
  api_version: "networking/v1",
  id: "plattc-gz20xy",
  kind: "PrivateLinkAttachmentConnection",
  metadata: { self: "https://api.confluent.cloud/networking/v1/private-link-attachment-connections/plattc-gz20xy?environment=env-8gv0v5" },
  spec: {
    cloud: { kind: "networking.v1.AwsPrivateLinkAttachmentConnection", vpc_endpoint_id: "vpce-0ed4d51f5d6ef9b6d" },
    display_name: "my_vpc",
    environment: { id: "env-8gv0v5" },
    private_link_attachment: { id: "platt-plyvyl" },
  },
  status: { phase: "PROVISIONING", cloud: { kind: "networking.v1.AwsPrivateLinkAttachmentConnectionStatus", vpc_endpoint_id: "vpce-0ed4d51f5d6ef9b6d", vpc_endpoint_service_name: "" } },
};

const CREATE: WireCreateRequest = {
  spec: {
    display_name: "my_vpc",
    cloud: { kind: "AwsPrivateLinkAttachmentConnection", vpc_endpoint_id: "vpce-0ed4d51f5d6ef9b6d" },
    environment: { id: "env-8gv0v5" },
    private_link_attachment: { id: "platt-plyvyl" },
  },
};

interface Harness {
  client: ConfluentClient;
  logs: string[];
}

function clientFor(server: { url: string }, options: Partial<ClientOptions> = {}): Harness {
  const logs: string[] = [];
  const client = createClient({
    settings: { endpoint: server.url, credentials: CANARY, source: "test canary" },
    throttle: new Throttle(),
    random: () => 0,
    log: (line) => logs.push(line),
    ...options,
  });
  return { client, logs };
}

async function failure(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof ApiError, `expected ApiError, got ${inspect(error)}`);
    return error;
  }
  assert.fail("expected the call to fail");
}

function assertNoSecrets(...things: unknown[]): void {
  for (const thing of things) {
    const renderings = [
      typeof thing === "string" ? thing : JSON.stringify(thing),
      inspect(thing, { depth: Infinity, showHidden: true, getters: true }),
      thing instanceof Error ? String(thing.stack) : "",
      thing instanceof Error ? thing.message : "",
    ];
    for (const text of renderings) for (const secret of FORBIDDEN) assert.ok(!text.includes(secret), `leaked ${secret} in ${text}`);
  }
}

// ---------------------------------------------------------------------------------------------------------

describe("requests on the wire", () => {
  test("read: path, query, Basic auth, Accept, User-Agent; body returned as parsed JSON", async () => {
    const server = await serve([json(200, CONNECTION)]);
    const { client } = clientFor(server);
    const connection = await client.getConnection("plattc-gz20xy", "env-8gv0v5");
    assert.deepEqual(connection, connectionFromWire(CONNECTION));
    const [request] = server.seen;
    assert.equal(request!.method, "GET");
    assert.equal(request!.url.pathname, "/networking/v1/private-link-attachment-connections/plattc-gz20xy");
    assert.equal(request!.url.search, "?environment=env-8gv0v5");
    assert.equal(request!.headers.authorization, `Basic ${CANARY_BASIC}`);
    assert.equal(request!.headers.accept, "application/json");
    assert.match(String(request!.headers["user-agent"]), /pulumi-confluent-plattc/);
  });

  test("Bearer token auth and a custom User-Agent", async () => {
    const server = await serve([json(200, CONNECTION)]);
    const { client } = clientFor(server, { settings: { endpoint: server.url, credentials: CANARY_TOKEN }, userAgent: "ua-test/1" });
    await client.getConnection("plattc-gz20xy", "env-8gv0v5");
    assert.equal(server.seen[0]!.headers.authorization, "Bearer CANARY-TOKEN-c4d5e6-do-not-leak");
    assert.equal(server.seen[0]!.headers["user-agent"], "ua-test/1");
  });

  test("ids are path-encoded (no traversal)", async () => {
    const server = await serve([json(200, CONNECTION)]);
    const { client } = clientFor(server);
    await client.getConnection("../private-link-attachments/x?y", "env-1");
    assert.equal(server.seen[0]!.url.pathname, "/networking/v1/private-link-attachment-connections/..%2Fprivate-link-attachments%2Fx%3Fy");
  });

  test("an endpoint with a path prefix keeps it", async () => {
    const server = await serve([json(200, CONNECTION)]);
    const { client } = clientFor({ url: `${server.url}/prefix` });
    await client.getConnection("plattc-1", "env-1");
    assert.equal(server.seen[0]!.url.pathname, "/prefix/networking/v1/private-link-attachment-connections/plattc-1");
  });

  test("create: POST with the JSON body; 202 + Location accepted", async () => {
    const server = await serve([json(202, CONNECTION, { Location: "https://api.confluent.cloud/networking/v1/private-link-attachment-connections/plattc-gz20xy" })]);
    const { client } = clientFor(server);
    const result = await client.createConnection(CREATE);
    assert.equal(result.status, 202);
    assert.deepEqual(result.connection, connectionFromWire(CONNECTION));
    assert.equal(result.location, "https://api.confluent.cloud/networking/v1/private-link-attachment-connections/plattc-gz20xy");
    const [request] = server.seen;
    assert.equal(request!.method, "POST");
    assert.equal(request!.url.pathname, "/networking/v1/private-link-attachment-connections");
    assert.equal(request!.url.search, "");
    assert.match(String(request!.headers["content-type"]), /^application\/json/);
    assert.deepEqual(JSON.parse(request!.body ?? ""), CREATE);
  });

  test("create: 201 without Location is accepted too", async () => {
    const server = await serve([json(201, CONNECTION)]);
    const { client } = clientFor(server);
    const result = await client.createConnection(CREATE);
    assert.equal(result.status, 201);
    assert.equal(result.location, undefined);
    assert.ok(!("location" in result));
  });

  test("update: PATCH to the item without a query, env in the body", async () => {
    const server = await serve([json(200, { ...CONNECTION, spec: { ...CONNECTION.spec, display_name: "renamed" } })]);
    const { client } = clientFor(server);
    const patch = { spec: { display_name: "renamed", environment: { id: "env-8gv0v5" } } };
    const connection = await client.updateConnection("plattc-gz20xy", patch);
    assert.equal(connection.state.displayName, "renamed");
    const [request] = server.seen;
    assert.equal(request!.method, "PATCH");
    assert.equal(request!.url.pathname, "/networking/v1/private-link-attachment-connections/plattc-gz20xy");
    assert.equal(request!.url.search, "");
    assert.deepEqual(JSON.parse(request!.body ?? ""), patch);
  });

  test("delete: DELETE with ?environment=, 204 → void", async () => {
    const server = await serve([
      async (x) => {
        x.res.writeHead(204, { "X-Request-Id": "r" });
        x.res.end();
      },
    ]);
    const { client } = clientFor(server);
    assert.equal(await client.deleteConnection("plattc-gz20xy", "env-8gv0v5"), undefined);
    assert.equal(server.seen[0]!.method, "DELETE");
    assert.equal(server.seen[0]!.url.search, "?environment=env-8gv0v5");
  });

  test("missing ids are rejected before any request", async () => {
    const server = await serve([json(200, CONNECTION)]);
    const { client } = clientFor(server);
    await assert.rejects(client.getConnection("", "env-1"), TypeError);
    await assert.rejects(client.deleteConnection("plattc-1", " "), TypeError);
    await assert.rejects(client.listConnections({ environmentId: "env-1", pageSize: 101 }), RangeError);
    assert.equal(server.seen.length, 0);
  });
});

describe("listing and paging", () => {
  const item = (n: number): unknown => ({ ...CONNECTION, id: `plattc-${n}` });

  test("filters and page size on the query; follows metadata.next to the end", async () => {
    const server = await serve((x) => {
      const token = x.seen.url.searchParams.get("page_token");
      const pages: Record<string, { data: unknown[]; next?: string | null }> = {
        none: { data: [item(1), item(2)], next: "https://api.confluent.cloud/networking/v1/private-link-attachment-connections?environment=env-1&page_size=2&page_token=t%2B2%2F%3D" },
        "t+2/=": { data: [item(3), item(4)], next: "/networking/v1/private-link-attachment-connections?page_token=t3&environment=env-1" },
        t3: { data: [item(5)], next: null },
      };
      const page = pages[token ?? "none"];
      return json(200, { api_version: "networking/v1", kind: "PrivateLinkAttachmentConnectionList", metadata: { next: page?.next }, data: page?.data ?? [] })(x);
    });
    const { client } = clientFor(server);
    const items = (await client.listConnections({ environmentId: "env-1", privateLinkAttachmentId: "platt-1", pageSize: 2 })) as Array<{ id: string }>;
    assert.deepEqual(
      items.map((i) => i.id),
      ["plattc-1", "plattc-2", "plattc-3", "plattc-4", "plattc-5"],
    );
    assert.equal(server.seen.length, 3);
    for (const request of server.seen) {
      assert.equal(request.url.pathname, "/networking/v1/private-link-attachment-connections");
      assert.equal(request.url.searchParams.get("environment"), "env-1");
      assert.equal(request.url.searchParams.get("spec.private_link_attachment"), "platt-1", "original filters kept on every page");
      assert.equal(request.url.searchParams.get("page_size"), "2");
    }
    assert.equal(server.seen[0]!.url.searchParams.get("page_token"), null);
    assert.equal(server.seen[1]!.url.searchParams.get("page_token"), "t+2/=", "token taken opaquely, re-encoded");
    assert.equal(server.seen[2]!.url.searchParams.get("page_token"), "t3");
  });

  test("a next link naming another host only contributes its page_token (credentials stay on the endpoint)", async () => {
    const foreign = await serve([json(200, { data: [] })]);
    const server = await serve((x) =>
      json(200, x.index === 0 ? { data: [item(1)], metadata: { next: `${foreign.url}/evil?page_token=abc&environment=env-other` } } : { data: [item(2)], metadata: {} })(x),
    );
    const { client } = clientFor(server);
    const items = await client.listConnections({ environmentId: "env-1" });
    assert.equal(items.length, 2);
    assert.equal(foreign.seen.length, 0, "nothing sent to the host named in the link");
    assert.equal(server.seen[1]!.url.searchParams.get("environment"), "env-1");
    assert.equal(server.seen[1]!.url.searchParams.get("page_token"), "abc");
    assert.equal(server.seen[1]!.url.searchParams.get("page_size"), "100", "default page size is the maximum");
  });

  test('the end of the list: next absent, null or ""', async () => {
    for (const metadata of [undefined, {}, { next: null }, { next: "" }]) {
      const server = await serve([json(200, { data: [item(1)], ...(metadata ? { metadata } : {}) })]);
      const { client } = clientFor(server);
      assert.equal((await client.listConnections({ environmentId: "env-1" })).length, 1);
      assert.equal(server.seen.length, 1);
    }
  });

  test("a server repeating a page token is stopped with an error, not followed forever", async () => {
    const server = await serve((x) => json(200, { data: [item(x.index)], metadata: { next: `/x?page_token=${x.index === 0 ? "a" : x.index === 1 ? "b" : "a"}` } })(x));
    const { client } = clientFor(server);
    const error = await failure(client.listConnections({ environmentId: "env-1" }));
    assert.equal(error.code, "PAGING_LOOP");
    assert.equal(error.operation, "list");
    assert.match(error.message, /^list private link attachment connections \(env-1\): the server repeated page token a/);
    assert.equal(server.seen.length, 3);
  });

  test("a next link without page_token, or a list without data, is an error", async () => {
    const noToken = await serve([json(200, { data: [], metadata: { next: "https://api.confluent.cloud/networking/v1/private-link-attachment-connections?environment=env-1" } })]);
    assert.match((await failure(clientFor(noToken).client.listConnections({ environmentId: "env-1" }))).message, /next-page link has no page_token/);
    const noData = await serve([json(200, { items: [] })]);
    const error = await failure(clientFor(noData).client.listConnections({ environmentId: "env-1" }));
    assert.match(error.message, /no "data" array/);
    assert.equal(error.code, "INVALID_RESPONSE");
  });

  test("each page is retried on its own", async () => {
    const server = await serve([
      json(200, { data: [item(1)], metadata: { next: "/p?page_token=two" } }),
      raw(503, "text/plain", "busy"),
      json(200, { data: [item(2)] }),
    ]);
    const { client } = clientFor(server);
    assert.equal((await client.listConnections({ environmentId: "env-1" })).length, 2);
    assert.equal(server.seen.length, 3);
    assert.equal(server.seen[2]!.url.searchParams.get("page_token"), "two");
  });
});

describe("retry policy over real HTTP", () => {
  test("GET: 500, 502, 503, 504 and 429 are retried until success", async () => {
    const server = await serve([raw(500, undefined, ""), raw(502, "text/html", "<html>bad gateway</html>"), apiError(503, "down"), raw(504, undefined, ""), tooMany({}), json(200, CONNECTION)]);
    const { client, logs } = clientFor(server);
    assert.deepEqual(await client.getConnection("plattc-gz20xy", "env-8gv0v5"), connectionFromWire(CONNECTION));
    assert.equal(server.seen.length, 6);
    assert.equal(logs.length, 5);
    assert.match(logs[0]!, /^read private link attachment connection \(plattc-gz20xy in env-8gv0v5\): HTTP 500 Internal Server Error.*; retry 1\/8 in 0\.0s$/);
    assert.match(logs[2]!, /HTTP 503 Service Unavailable: down \(request id 4f1c2b7e-9a0d-4c1e-8f3a-2b6d5e7f8a9c-2\)/);
  });

  test("GET: 501 is not retried", async () => {
    const server = await serve([apiError(501, "not implemented"), json(200, CONNECTION)]);
    const error = await failure(clientFor(server).client.getConnection("plattc-1", "env-1"));
    assert.equal(error.status, 501);
    assert.equal(server.seen.length, 1);
  });

  test("GET: 4xx are not retried", async () => {
    for (const status of [400, 401, 403, 404, 409, 422]) {
      const server = await serve([apiError(status, `nope ${status}`), json(200, CONNECTION)]);
      const error = await failure(clientFor(server).client.getConnection("plattc-1", "env-1"));
      assert.equal(error.status, status);
      assert.equal(server.seen.length, 1, `status ${status}`);
    }
  });

  test("GET: connection reset before and after reading the request is retried", async () => {
    const server = await serve([resetBeforeBody, resetAfterBody, json(200, CONNECTION)]);
    const { client, logs } = clientFor(server);
    assert.deepEqual(await client.getConnection("plattc-1", "env-1"), connectionFromWire(CONNECTION));
    assert.equal(server.seen.length, 3);
    assert.match(logs[0]!, /connection failed \(ECONNRESET/);
  });

  test("GET: an attempt timeout is retried with a fresh timeout", async () => {
    const server = await serve([slow(400, json(200, CONNECTION)), json(200, CONNECTION)]);
    const { client, logs } = clientFor(server, { attemptTimeoutMs: 100 });
    assert.deepEqual(await client.getConnection("plattc-1", "env-1"), connectionFromWire(CONNECTION));
    assert.equal(server.seen.length, 2);
    assert.match(logs[0]!, /timed out \(ECONNABORTED/);
  });

  test("DELETE and PATCH are retried like GET", async () => {
    const del = await serve([resetAfterBody, apiError(503, "x"), async (x) => void x.res.writeHead(204).end()]);
    await clientFor(del).client.deleteConnection("plattc-1", "env-1");
    assert.equal(del.seen.length, 3);
    const patch = await serve([apiError(502, "x"), slow(300, json(200, CONNECTION)), json(200, CONNECTION)]);
    await clientFor(patch, { attemptTimeoutMs: 100 }).client.updateConnection("plattc-1", { spec: { environment: { id: "env-1" } } });
    assert.equal(patch.seen.length, 3);
    assert.deepEqual(JSON.parse(patch.seen[2]!.body ?? ""), { spec: { environment: { id: "env-1" } } }, "the retried body is intact");
  });

  test("POST: 429 is retried, with the same body", async () => {
    const server = await serve([tooMany({ "Retry-After": "0" }), json(202, CONNECTION)]);
    const { client } = clientFor(server);
    assert.equal((await client.createConnection(CREATE)).status, 202);
    assert.equal(server.seen.length, 2);
    assert.deepEqual(JSON.parse(server.seen[1]!.body ?? ""), CREATE);
  });

  for (const [name, step] of [
    ["reset after the body was read", resetAfterBody],
    ["reset before the body was read", resetBeforeBody],
    ["500", apiError(500, "oops")],
    ["502 HTML", raw(502, "text/html", "<html><body>Bad gateway</body></html>")],
    ["503", apiError(503, "later")],
    ["504", raw(504, undefined, "")],
  ] as Array<[string, Step]>) {
    test(`POST: ${name} is not retried and is reported as ambiguous`, async () => {
      const server = await serve([step, json(202, CONNECTION)]);
      const error = await failure(clientFor(server).client.createConnection(CREATE));
      assert.equal(server.seen.length, 1);
      assert.equal(error.ambiguous, true);
      assert.equal(error.operation, "create");
    });
  }

  test("POST: an attempt timeout is not retried and is ambiguous", async () => {
    const server = await serve([slow(500, json(202, CONNECTION)), json(202, CONNECTION)]);
    const error = await failure(clientFor(server, { attemptTimeoutMs: 100 }).client.createConnection(CREATE));
    assert.equal(server.seen.length, 1);
    assert.equal(error.ambiguous, true);
    assert.equal(error.code, "ECONNABORTED");
    assert.match(error.message, /timed out.*; the request may have been applied/);
  });

  test("POST: 4xx are not ambiguous; 409 carries Location and a full message", async () => {
    const server = await serve([
      apiError(
        409,
        "The connection for vpce-0ed4d51f5d6ef9b6d already exists in platt-plyvyl",
        {},
        { Location: "https://api.confluent.cloud/networking/v1/private-link-attachment-connections/plattc-existing", "X-Request-Id": "4f1c-req" },
      ),
    ]);
    const error = await failure(clientFor(server).client.createConnection(CREATE));
    assert.equal(
      error.message,
      "create private link attachment connection (vpce-0ed4d51f5d6ef9b6d in platt-plyvyl): HTTP 409 Conflict: The connection for vpce-0ed4d51f5d6ef9b6d already exists in platt-plyvyl (request id 4f1c-req)",
    );
    assert.equal(error.status, 409);
    assert.equal(error.code, "code_409");
    assert.equal(error.detail, "The connection for vpce-0ed4d51f5d6ef9b6d already exists in platt-plyvyl");
    assert.equal(error.requestId, "4f1c-req");
    assert.equal(error.location, "https://api.confluent.cloud/networking/v1/private-link-attachment-connections/plattc-existing");
    assert.equal(error.ambiguous, false);
    assert.equal(error.connectionId, undefined);
    assert.equal(error.name, "ApiError");
  });

  test("POST and GET: connection refused (nothing reached a server) is retried, up to maxRetries", async () => {
    const closed = await serve([json(200, {})]);
    await closed.close();
    for (const call of [(c: ConfluentClient) => c.createConnection(CREATE), (c: ConfluentClient) => c.getConnection("plattc-1", "env-1")]) {
      const { client, logs } = clientFor(closed, { maxRetries: 2 });
      const error = await failure(call(client));
      assert.equal(logs.length, 2, logs.join("\n"));
      assert.match(error.message, /could not connect \(ECONNREFUSED.*after 3 attempts/);
      assert.equal(error.code, "ECONNREFUSED");
      assert.equal(error.ambiguous, false);
    }
  });

  test("retries stop at maxRetries and the message says how many attempts were made", async () => {
    const server = await serve([apiError(503, "still down")]);
    const error = await failure(clientFor(server, { maxRetries: 3 }).client.getConnection("plattc-1", "env-1"));
    assert.equal(server.seen.length, 4);
    assert.match(error.message, /HTTP 503 Service Unavailable: still down \(request id .*-3\) after 4 attempts$/);
    assert.equal(error.ambiguous, false, "a GET is never ambiguous");
  });
});

describe("retry delays over real HTTP", () => {
  const gap = (server: FakeServer, i: number): number => server.seen[i]!.at - server.seen[i - 1]!.at;

  test("429 waits for Retry-After", async () => {
    const server = await serve([tooMany({ "Retry-After": "0.3" }), json(200, CONNECTION)]);
    await clientFor(server).client.getConnection("plattc-1", "env-1");
    assert.ok(gap(server, 1) >= 290, `gap ${gap(server, 1)}`);
  });

  test("429 waits for X-RateLimit-Reset (relative seconds)", async () => {
    const server = await serve([tooMany({ "X-RateLimit-Reset": "0.3" }), json(200, CONNECTION)]);
    await clientFor(server).client.getConnection("plattc-1", "env-1");
    assert.ok(gap(server, 1) >= 290, `gap ${gap(server, 1)}`);
  });

  test("429 with both waits for the larger", async () => {
    const server = await serve([tooMany({ "Retry-After": "0.05", "X-RateLimit-Reset": "0.4" }), json(200, CONNECTION)]);
    await clientFor(server).client.getConnection("plattc-1", "env-1");
    assert.ok(gap(server, 1) >= 390, `gap ${gap(server, 1)}`);
  });

  test("429 with neither uses jittered backoff (injected random)", async () => {
    const server = await serve([tooMany({}), tooMany({}), json(200, CONNECTION)]);
    const { client, logs } = clientFor(server, { random: () => 0.15 }); // 150 ms, then 300 ms
    await client.getConnection("plattc-1", "env-1");
    assert.ok(gap(server, 1) >= 140 && gap(server, 2) >= 290, `gaps ${gap(server, 1)} ${gap(server, 2)}`);
    assert.match(logs[0]!, /HTTP 429 Too Many Requests.*retry 1\/8 in 0\.1s/);
    assert.match(logs[1]!, /retry 2\/8 in 0\.3s/);
  });

  test("X-RateLimit-Reset on a 503 is the window, not a retry hint: it does not delay the retry", async () => {
    const server = await serve([apiError(503, "x", {}, { "X-RateLimit-Reset": "30", "X-RateLimit-Remaining": "500" }), json(200, CONNECTION)]);
    await clientFor(server).client.getConnection("plattc-1", "env-1");
    assert.ok(gap(server, 1) < 1000, `gap ${gap(server, 1)}`);
  });

  test("Retry-After on a 503 is honoured", async () => {
    const server = await serve([apiError(503, "x", {}, { "Retry-After": "0.25" }), json(200, CONNECTION)]);
    await clientFor(server).client.getConnection("plattc-1", "env-1");
    assert.ok(gap(server, 1) >= 240, `gap ${gap(server, 1)}`);
  });
});

describe("deadline", () => {
  test("a retry whose delay would pass the deadline fails at once with a clear error", async () => {
    const server = await serve([apiError(503, "maintenance", {}, { "Retry-After": "5" }), json(200, CONNECTION)]);
    const error = await failure(clientFor(server, { deadline: Deadline.after(1000) }).client.getConnection("plattc-1", "env-1"));
    assert.equal(server.seen.length, 1);
    assert.equal(error.code, "DEADLINE_EXCEEDED");
    assert.equal(error.status, 503);
    assert.match(error.message, /HTTP 503 Service Unavailable: maintenance .*not retried: the next attempt \(in 5\.0s\) would start after the deadline/);
  });

  test("the signal aborts a hanging request; a POST cut off in flight is ambiguous", async () => {
    const server = await serve([slow(5000, json(202, CONNECTION))]);
    // Not aborted, the request would succeed after 5 s: the error itself shows the abort.
    const error = await failure(clientFor(server, { deadline: Deadline.after(200) }).client.createConnection(CREATE));
    assert.equal(error.code, "DEADLINE_EXCEEDED");
    assert.equal(error.ambiguous, true);
    assert.match(error.message, /^create private link attachment connection \(vpce-0ed4d51f5d6ef9b6d in platt-plyvyl\): deadline exceeded/);
  });

  test("the signal cuts a retry delay short and the error names the last failure", async () => {
    const server = await serve([apiError(503, "busy", {}, { "Retry-After": "10" }), json(200, CONNECTION)]);
    // A controlled clock: the 10 s retry delay (axios-retry's setTimeout) runs out only if the test advances it, which
    // it does not. The deadline fires once the delay has begun; only cutting the delay short can end the call.
    const controller = new AbortController();
    const timedOut = new DOMException("The operation was aborted due to timeout", "TimeoutError");
    mock.timers.enable({ apis: ["setTimeout"] });
    try {
      const { client } = clientFor(server, {
        deadline: cancellable(Deadline.after(60_000), controller.signal),
        log: (line) => void (/retry 1\/8 in 10\.0s/.test(line) && setImmediate(() => controller.abort(timedOut))),
      });
      const call = client.getConnection("plattc-1", "env-1");
      await aborted(controller.signal);
      assert.ok(await settlesWithin(call), "the call ended without the clock moving: the abort cut the delay short");
      const error = await failure(call);
      assert.equal(server.seen.length, 1, "the retry (which would succeed) was never sent");
      assert.equal(error.code, "DEADLINE_EXCEEDED");
      assert.match(error.message, /deadline exceeded; last error: HTTP 503 Service Unavailable: busy/);
    } finally {
      mock.timers.reset();
    }
  });

  test("an already-aborted signal sends nothing; a non-timeout abort is reported as canceled", async () => {
    const server = await serve([json(200, CONNECTION)]);
    const controller = new AbortController();
    controller.abort(new Error("user pressed ctrl-c"));
    const error = await failure(clientFor(server, { deadline: cancellable(Deadline.after(60_000), controller.signal) }).client.getConnection("plattc-1", "env-1"));
    assert.equal(server.seen.length, 0);
    assert.equal(error.code, "CANCELED");
    assert.match(error.message, /canceled \(user pressed ctrl-c\)/);
  });

  test("the deadline also bounds a wait in the throttle", async () => {
    const server = await serve([json(200, CONNECTION)]);
    // The throttle's clock is the test's: its pause never ends, so only the deadline can end the wait.
    const pauses: number[] = [];
    const throttle = new Throttle({ schedule: (_wake, ms) => (pauses.push(ms), () => undefined) });
    throttle.observe({}, 429); // paused for 1 s by the fallback
    const deadline = Deadline.after(150);
    const call = clientFor(server, { throttle, deadline }).client.getConnection("plattc-1", "env-1");
    await aborted(deadline.signal);
    assert.ok(await settlesWithin(call), "the call ended at the deadline, without the pause ending");
    const error = await failure(call);
    assert.ok(pauses.length > 0 && pauses.every((ms) => ms > 0), `the call waited in the throttle (pauses ${pauses.join(", ")})`);
    assert.equal(error.code, "DEADLINE_EXCEEDED");
    assert.equal(server.seen.length, 0, "the request (which would succeed after the pause) was never sent");
  });
});

describe("responses that are not what they claim", () => {
  const cases: Array<[string, Step, RegExp]> = [
    ["invalid JSON", raw(200, "application/json", "{not json"), /HTTP 200 OK but the body is not valid JSON: \{not json/],
    ["HTML", raw(200, "text/html; charset=utf-8", "<html>login</html>"), /HTTP 200 OK but the body is text\/html; charset=utf-8, not JSON/],
    ["an empty body", raw(200, "application/json", ""), /body is empty where JSON was expected/],
    ["text/plain JSON", raw(200, "text/plain", "{}"), /not JSON/],
  ];
  for (const [name, step, pattern] of cases) {
    test(`a 2xx with ${name} is an ApiError, not a crash`, async () => {
      const server = await serve([step]);
      const error = await failure(clientFor(server).client.getConnection("plattc-1", "env-1"));
      assert.match(error.message, pattern);
      assert.equal(error.code, "INVALID_RESPONSE");
      assert.equal(error.status, 200);
      assert.equal(error.ambiguous, false);
    });
  }

  test("a JSON body without content-type is accepted; application/problem+json too", async () => {
    const server = await serve([raw(200, undefined, JSON.stringify(CONNECTION)), raw(200, "application/vnd.api+json", JSON.stringify(CONNECTION))]);
    const { client } = clientFor(server);
    assert.deepEqual(await client.getConnection("plattc-1", "env-1"), connectionFromWire(CONNECTION));
    assert.deepEqual(await client.getConnection("plattc-1", "env-1"), connectionFromWire(CONNECTION));
  });

  test("a 202 to a create with an unreadable body is ambiguous (the create was accepted)", async () => {
    const server = await serve([raw(202, "text/html", "<html/>", { Location: "/networking/v1/private-link-attachment-connections/plattc-9" })]);
    const error = await failure(clientFor(server).client.createConnection(CREATE));
    assert.equal(error.ambiguous, true);
    assert.equal(error.status, 202);
    assert.equal(error.location, "/networking/v1/private-link-attachment-connections/plattc-9");
  });

  test("an HTML 502 is described briefly, not dumped", async () => {
    const html = `<html><head><title>502</title></head><body>${"x".repeat(5000)}</body></html>`;
    const server = await serve([raw(502, "text/html", html, { "X-Request-Id": "edge-1" })]);
    const error = await failure(clientFor(server, { maxRetries: 0 }).client.getConnection("plattc-1", "env-1"));
    assert.equal(error.message, "read private link attachment connection (plattc-1 in env-1): HTTP 502 Bad Gateway: (text/html body) (request id edge-1)");
    assert.equal(error.detail, undefined);
  });

  test("error details fall back from detail to title to code; plain-text errors are quoted briefly", async () => {
    const server = await serve([
      json(404, { errors: [{ title: "Not Found", code: "not_found" }] }),
      json(404, { errors: [{ code: "not_found" }] }),
      raw(400, "text/plain", "bad\nrequest"),
      json(403, { message: "forbidden" }),
    ]);
    const { client } = clientFor(server);
    assert.match((await failure(client.getConnection("plattc-1", "env-1"))).message, /HTTP 404 Not Found: Not Found \(request id/);
    const second = await failure(client.getConnection("plattc-1", "env-1"));
    assert.match(second.message, /HTTP 404 Not Found: not_found/);
    assert.equal(second.code, "not_found");
    assert.match((await failure(client.getConnection("plattc-1", "env-1"))).message, /HTTP 400 Bad Request: \(text\/plain body: bad request\)/);
    assert.match((await failure(client.getConnection("plattc-1", "env-1"))).message, /HTTP 403 Forbidden: \(JSON body without an errors list\)/);
  });

  test("every error names operation, connection id, status, detail and request id", async () => {
    const server = await serve([apiError(404, "The private link attachment connection was not found.")]);
    const error = await failure(clientFor(server).client.getConnection("plattc-gz20xy", "env-8gv0v5"));
    assert.equal(
      error.message,
      `read private link attachment connection (plattc-gz20xy in env-8gv0v5): HTTP 404 Not Found: The private link attachment connection was not found. (request id ${REQUEST_ID}-0)`,
    );
    assert.equal(error.connectionId, "plattc-gz20xy");
    assert.equal(error.operation, "read");
    assert.equal(error.requestId, `${REQUEST_ID}-0`);
  });

  test("401 points at where the credentials came from", async () => {
    const server = await serve([apiError(401, "Unauthorized", {}, { "WWW-Authenticate": 'Basic realm="Confluent"' })]);
    const error = await failure(clientFor(server).client.deleteConnection("plattc-1", "env-1"));
    assert.match(error.message, /HTTP 401 Unauthorized: Unauthorized \(request id .*\); check the Confluent Cloud credentials \(from test canary\)$/);
  });
});

describe("credentials never leak", () => {
  const echoAuth: Step = async (x) => {
    await x.body();
    x.res.writeHead(400, { "Content-Type": "application/json", "X-Request-Id": "echo" });
    x.res.end(JSON.stringify({ errors: [{ detail: `bad header: ${x.req.headers.authorization}`, code: String(x.req.headers.authorization) }] }));
  };
  const scenarios: Array<[string, Step[], () => Partial<ClientOptions>]> = [
    ["401", [apiError(401, "Unauthorized", {}, { "WWW-Authenticate": "Basic" })], () => ({})],
    ["exhausted 500s", [apiError(500, "boom")], () => ({ maxRetries: 1 })],
    ["reset", [resetAfterBody], () => ({ maxRetries: 0 })],
    ["timeout", [slow(300, json(200, CONNECTION))], () => ({ attemptTimeoutMs: 50, maxRetries: 0 })],
    ["invalid JSON", [raw(200, "application/json", "{")], () => ({})],
    ["a server echoing the Authorization header", [echoAuth], () => ({})],
    ["deadline", [slow(2000, json(200, CONNECTION))], () => ({ deadline: Deadline.after(100) })],
  ];

  for (const credentials of [CANARY, CANARY_TOKEN]) {
    for (const [name, steps, options] of scenarios) {
      test(`${credentials.kind}: ${name}`, async () => {
        const server = await serve(steps);
        const { client, logs } = clientFor(server, { ...options(), settings: { endpoint: server.url, credentials } });
        const error = await failure(client.getConnection("plattc-1", "env-1"));
        assert.ok(server.seen.length >= 1);
        assert.ok(String(server.seen[0]!.headers.authorization).length > 10, "credentials were sent");
        for (const key of ["config", "request", "response", "cause", "headers", "settings"]) assert.ok(!(key in error), `no ${key} on ApiError`);
        assertNoSecrets(error, logs.join("\n"), { ...error });
        if (name.startsWith("a server echoing")) assert.match(error.message, /\[REDACTED\]/);
      });
    }
  }

  test("the client object itself does not expose credentials when inspected", async () => {
    const { client } = clientFor({ url: "http://127.0.0.1:9" });
    assertNoSecrets(client);
  });
});

/** A clock only the test moves: timers run when it says, in order. */
class VirtualTime {
  private ms = 0;
  private timers: { at: number; seq: number; fn: () => void }[] = [];
  private seq = 0;
  readonly now = (): number => this.ms;
  readonly schedule = (fn: () => void, delayMs: number): (() => void) => {
    const timer = { at: this.ms + Math.max(0, delayMs), seq: this.seq++, fn };
    this.timers.push(timer);
    return () => void (this.timers = this.timers.filter((t) => t !== timer));
  };

  /** Moves to the earliest timer and runs it; false when none is pending. */
  runNext(): boolean {
    const next = this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq).shift();
    if (!next) return false;
    this.ms = Math.max(this.ms, next.at);
    next.fn();
    return true;
  }
}

describe("throttle integration", () => {
  class CountingThrottle extends Throttle {
    acquired = 0;
    observed: number[] = [];
    released = 0;
    override async acquire(signal?: AbortSignal): Promise<void> {
      await super.acquire(signal);
      this.acquired++;
    }
    override observe(headers: Record<string, unknown> | undefined, status: number | undefined): void {
      this.observed.push(status ?? -1);
      super.observe(headers, status);
    }
    override release(): void {
      this.released++;
      super.release();
    }
  }

  test("every attempt, retries included, acquires once and is observed or released once", async () => {
    const server = await serve([tooMany({ "Retry-After": "0" }), resetAfterBody, apiError(503, "x"), json(200, CONNECTION)]);
    const throttle = new CountingThrottle({ fallbackPauseMs: 0 });
    await clientFor(server, { throttle }).client.getConnection("plattc-1", "env-1");
    assert.equal(throttle.acquired, 4);
    assert.deepEqual(throttle.observed, [429, 503, 200]);
    assert.equal(throttle.released, 1);
    assert.equal(throttle.snapshot().inFlight, 0);
  });

  test("clients for the same endpoint share the process-wide throttle", async () => {
    const server = await serve([json(200, CONNECTION)]);
    const throttle = throttleFor(server.url);
    const a = createClient({ settings: { endpoint: server.url, credentials: CANARY } });
    const b = createClient({ settings: { endpoint: `${server.url}/`, credentials: CANARY_TOKEN } });
    await Promise.all([a.getConnection("plattc-1", "env-1"), b.getConnection("plattc-2", "env-1")]);
    assert.equal(throttle.snapshot().inFlight, 0);
    assert.equal(server.seen.length, 2);
  });

  // A fixed window like Confluent's: `limit` requests per window, Reset = whole seconds rounded up.
  function rateLimited(limit: number, windowMs: number, counts: { ok: number; rejected: number; windows?: number }, clock: () => number = Date.now): Step {
    let windowStart = Number.NEGATIVE_INFINITY;
    let used = 0;
    return async (x) => {
      await x.body();
      const now = clock();
      if (now >= windowStart + windowMs) {
        windowStart = now;
        used = 0;
        counts.windows = (counts.windows ?? 0) + 1;
      }
      const reset = String(Math.max(1, Math.ceil((windowStart + windowMs - now) / 1000)));
      if (used >= limit) {
        counts.rejected++;
        x.res.writeHead(429, { "Retry-After": reset, "X-RateLimit-Limit": String(limit), "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": reset });
        x.res.end();
        return;
      }
      used++;
      counts.ok++;
      const headers = { "X-RateLimit-Limit": String(limit), "X-RateLimit-Remaining": String(limit - used), "X-RateLimit-Reset": reset };
      if (x.req.method === "POST") return json(202, CONNECTION, headers)(x);
      return json(200, CONNECTION, headers)(x);
    };
  }

  test("45 concurrent calls, one client each, against 15 requests/s: zero 429s, as fast as the limit allows (virtual time)", async () => {
    // The server's windows and the throttle run on one virtual clock that moves only while every caller waits on the
    // throttle (no request in flight): requests take no virtual time, so the virtual time the calls took is exactly
    // what the throttle made them wait, whatever the machine's speed.
    const time = new VirtualTime();
    const counts = { ok: 0, rejected: 0, windows: 0 };
    const server = await serve(rateLimited(15, 1000, counts, time.now));
    // One throttle for every client, as the process-wide one for this endpoint would be.
    const throttle = new Throttle({ now: time.now, schedule: time.schedule });
    let done = 0;
    const all = Promise.all(
      Array.from({ length: 45 }, (_, i) => {
        const client = createClient({ settings: { endpoint: server.url, credentials: CANARY }, throttle });
        return (i % 3 === 0 ? client.createConnection(CREATE) : client.getConnection(`plattc-${i}`, "env-1")).finally(() => done++);
      }),
    );
    while (done < 45) {
      await new Promise((resolve) => setImmediate(resolve));
      if (throttle.snapshot().inFlight === 0) time.runNext();
    }
    await all;
    assert.equal(counts.rejected, 0, "no 429");
    assert.equal(counts.ok, 45);
    assert.equal(counts.windows, 3, "45 requests at 15 per window fill three windows");
    // The last window opens at 2000 ms; 15 requests spread over it end before 3000 ms. A throttle that waited past a
    // window's reset, or paced slower than its budget, ends later.
    assert.ok(time.now() < 3000, `the calls took ${time.now()} ms of virtual time; 45 at 15 per second need under 3000 ms`);
  });

  test("without the shared throttle the same load would be rejected (the test can see 429s)", async () => {
    const counts = { ok: 0, rejected: 0 };
    const server = await serve(rateLimited(15, 1000, counts));
    await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        createClient({ settings: { endpoint: server.url, credentials: CANARY }, throttle: new Throttle(), maxRetries: 0 })
          .getConnection(`plattc-${i}`, "env-1")
          .catch(() => undefined),
      ),
    );
    assert.ok(counts.rejected > 0);
  });
});
