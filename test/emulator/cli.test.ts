// The confluent-emulator CLI, run as a real process on the Node running the tests.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import * as net from "node:net";
import * as path from "node:path";
import { basic } from "../support/http";

// Next to this compiled test's tree, so it works in any outDir (the repo's dist/ or a private one).
const CLI = path.resolve(__dirname, "../../emulator/cli.js");
const CONNECTIONS = "/networking/v1/private-link-attachment-connections";
const ATTACHMENTS = "/networking/v1/private-link-attachments";

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

interface Running {
  child: ChildProcess;
  stdout: string;
  stderr: () => string;
  exited: Promise<Exit>;
}

function exitOf(child: ChildProcess): Promise<Exit> {
  return new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
}

/** Starts the CLI and waits for its banner (everything up to "Press Ctrl+C to stop."). */
async function start(args: string[]): Promise<Running> {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  const exited = exitOf(child);
  let stdout = "";
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no banner after 15 s; stdout: ${stdout}\nstderr: ${stderr}`)), 15_000);
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString("utf8");
      if (stdout.includes("Press Ctrl+C to stop.")) {
        clearTimeout(timer);
        resolve();
      }
    });
    void exited.then((e) => {
      clearTimeout(timer);
      reject(new Error(`the CLI exited (${e.code ?? e.signal}) before its banner; stdout: ${stdout}\nstderr: ${stderr}`));
    });
  });
  return { child, stdout, stderr: () => stderr, exited };
}

async function stop(running: Running, signal: NodeJS.Signals): Promise<Exit> {
  running.child.kill(signal);
  const timeout = new Promise<Exit>((_, reject) => setTimeout(() => reject(new Error(`no exit 10 s after ${signal}`)), 10_000));
  return Promise.race([running.exited, timeout]);
}

function runToExit(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8", timeout: 15_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The `export CONFLUENT_CLOUD_*=` assignments of the banner, commented ones included, as a shell would read them. */
function exportsOf(stdout: string): Record<string, string> {
  const lines = stdout.split("\n").map((l) => l.replace(/^# or a bearer token: /, "")).filter((l) => /^export CONFLUENT_CLOUD_[A-Z_]+=/.test(l));
  const names = lines.map((l) => /^export (CONFLUENT_CLOUD_[A-Z_]+)=/.exec(l)![1]!);
  const script = `${lines.join("\n")}\nprintf '%s\\n' ${names.map((n) => `"$${n}"`).join(" ")}`;
  const r = spawnSync("/bin/sh", ["-c", script], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  const values = r.stdout.split("\n").slice(0, -1);
  return Object.fromEntries(names.map((n, i) => [n, values[i]!]));
}

const json = (r: Response): Promise<any> => r.json();

function assertNoStackTrace(stderr: string): void {
  assert.doesNotMatch(stderr, /^\s+at /m, `a stack trace instead of a message:\n${stderr}`);
}

test("the CLI starts with flags, prints what to paste, serves the API with them, and exits 0 on SIGTERM", async () => {
  const running = await start(["--port", "0", "--provisioning-ms", "100", "--rate-limit", "5", "--rate-window-ms", "60000", "--quirks"]);
  try {
    const { stdout } = running;
    const banner = /^Confluent Cloud emulator listening on (http:\/\/127\.0\.0\.1:([0-9]+))( \(quirks mode\))?$/m.exec(stdout);
    assert.ok(banner, stdout);
    const url = banner[1]!;
    assert.ok(Number(banner[2]) > 0, "--port 0 picks a free port");
    assert.equal(banner[3], " (quirks mode)");

    // the lines are plain `export NAME=value` (nothing needing quotes in the defaults)
    const plain = Object.fromEntries([...stdout.matchAll(/^(?:# or a bearer token: )?export (CONFLUENT_CLOUD_[A-Z_]+)=(\S+)$/gm)].map((m) => [m[1]!, m[2]!]));
    assert.deepEqual(Object.keys(plain).sort(), ["CONFLUENT_CLOUD_ACCESS_TOKEN", "CONFLUENT_CLOUD_API_KEY", "CONFLUENT_CLOUD_API_SECRET", "CONFLUENT_CLOUD_ENDPOINT"]);
    assert.deepEqual(exportsOf(stdout), plain, "what a shell reads is what is printed");
    assert.equal(plain.CONFLUENT_CLOUD_ENDPOINT, url);

    const environments = /^environments: (.+)$/m.exec(stdout)![1]!.split(", ");
    const attachments = [...stdout.matchAll(/^private link attachment: (\S+)\s+(AWS|AZURE|GCP) (\S+)\s+\(environment (\S+)\)$/gm)].map((m) => ({
      id: m[1]!, cloud: m[2]!, region: m[3]!, environment: m[4]!,
    }));
    assert.deepEqual(environments, ["env-emu000"]);
    assert.deepEqual(attachments.map((a) => a.cloud).sort(), ["AWS", "AZURE", "GCP"]);
    assert.ok(attachments.every((a) => a.environment === environments[0]));
    assert.match(stdout, /PROVISIONING 100 ms/);
    assert.match(stdout, /rate limit 5 requests \/ 60000 ms/);

    const env = environments[0]!;
    const aws = attachments.find((a) => a.cloud === "AWS")!;
    const auth = basic(plain.CONFLUENT_CLOUD_API_KEY!, plain.CONFLUENT_CLOUD_API_SECRET!);
    const bearer = `Bearer ${plain.CONFLUENT_CLOUD_ACCESS_TOKEN}`;
    const call = (p: string, init: RequestInit = {}, authorization = auth) =>
      fetch(url + p, { ...init, headers: { Authorization: authorization, "Content-Type": "application/json" } });

    const list = await call(`${CONNECTIONS}?environment=${env}`); // 1
    assert.equal(list.status, 200);
    assert.equal(list.headers.get("x-ratelimit-limit"), "5");
    assert.equal(list.headers.get("x-ratelimit-remaining"), "4");
    assert.equal((await json(list)).metadata.next, "", "quirks: the last page has next = \"\"");

    const created = await call(CONNECTIONS, { // 2
      method: "POST",
      body: JSON.stringify({
        spec: {
          display_name: "from-the-cli-test",
          cloud: { kind: "AwsPrivateLinkAttachmentConnection", vpc_endpoint_id: "vpce-0123456789abcdef0" },
          environment: { id: env },
          private_link_attachment: { id: aws.id },
        },
      }),
    });
    assert.equal(created.status, 201, "quirks: create answers 201");
    const connection = await json(created);
    assert.equal(connection.spec.cloud.kind, "networking.v1.AwsPrivateLinkAttachmentConnection");
    assert.equal(connection.status.phase, "PROVISIONING");

    const byToken = await call(`${CONNECTIONS}/${connection.id}?environment=${env}`, {}, bearer); // 3
    assert.equal(byToken.status, 200);
    assert.equal(typeof (await json(byToken)).metadata.deleted_at, "string");

    await new Promise((r) => setTimeout(r, 250));
    const ready = await call(`${CONNECTIONS}/${connection.id}?environment=${env}`); // 4
    assert.equal((await json(ready)).status.phase, "READY", "--provisioning-ms 100");
    assert.equal((await call(`${ATTACHMENTS}/${aws.id}?environment=${env}`)).status, 200); // 5

    const throttled = await call(`${CONNECTIONS}?environment=${env}`); // 6
    assert.equal(throttled.status, 429, "--rate-limit 5");
    assert.equal(await throttled.text(), "");
    const retryAfter = Number(throttled.headers.get("retry-after"));
    assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60, `Retry-After ${retryAfter} within --rate-window-ms 60000`);

    const info = await json(await fetch(`${url}/_emulator/info`));
    assert.deepEqual([info.timing.provisioningMs, info.rateLimit, info.quirks], [100, { requests: 5, windowMs: 60_000 }, true]);

    assert.deepEqual(await stop(running, "SIGTERM"), { code: 0, signal: null });
    assert.equal(running.stderr(), "");
  } finally {
    running.child.kill("SIGKILL");
  }
});

test("credentials with shell-special characters are printed so that pasting them works; SIGINT exits 0", async () => {
  const secret = "s3cret with space & $HOME 'quoted'";
  const running = await start(["--api-key", "MYKEY0001", "--api-secret", secret, "--access-token", "tok-one", "--access-token", "tok-two"]);
  try {
    const env = exportsOf(running.stdout);
    assert.equal(env.CONFLUENT_CLOUD_API_KEY, "MYKEY0001");
    assert.equal(env.CONFLUENT_CLOUD_API_SECRET, secret);
    const url = env.CONFLUENT_CLOUD_ENDPOINT!;
    const list = `${url}${CONNECTIONS}?environment=env-emu000`;
    assert.equal((await fetch(list, { headers: { Authorization: basic(env.CONFLUENT_CLOUD_API_KEY, env.CONFLUENT_CLOUD_API_SECRET) } })).status, 200);
    assert.equal((await fetch(list, { headers: { Authorization: "Bearer tok-two" } })).status, 200);
    assert.equal((await fetch(list, { headers: { Authorization: "Bearer emulator-access-token" } })).status, 401);
    assert.match(running.stdout, /tok-one/);
    assert.deepEqual(await stop(running, "SIGINT"), { code: 0, signal: null });
  } finally {
    running.child.kill("SIGKILL");
  }
});

test("--gone-as-403 and --no-gone-as-403 choose what a gone connection answers; the banner says which", async () => {
  for (const [args, status] of [[["--gone-as-403"], 403], [["--quirks"], 403], [["--quirks", "--no-gone-as-403"], 404], [[], 404]] as [string[], number][]) {
    const running = await start(["--port", "0", ...args]);
    try {
      const url = /^Confluent Cloud emulator listening on (\S+)/m.exec(running.stdout)![1]!;
      assert.match(running.stdout, status === 403 ? /^a connection that is gone answers 403 Forbidden Access/m : /^a connection that is gone answers 404$/m);
      const key = /^export CONFLUENT_CLOUD_API_KEY=(\S+)$/m.exec(running.stdout)![1]!;
      const secret = /^export CONFLUENT_CLOUD_API_SECRET=(\S+)$/m.exec(running.stdout)![1]!;
      const env = /^environments: (\S+)/m.exec(running.stdout)![1]!;
      const res = await fetch(`${url}${CONNECTIONS}/plattc-nosuch?environment=${env}`, { headers: { Authorization: basic(key, secret) } });
      assert.equal(res.status, status, args.join(" "));
    } finally {
      await stop(running, "SIGTERM");
    }
  }
  const both = runToExit(["--gone-as-403", "--no-gone-as-403"]);
  assert.equal(both.code, 2);
  assert.match(both.stderr, /exclude each other/);
});

test("--help prints the usage and exits 0", () => {
  const r = runToExit(["--help"]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^Usage: confluent-emulator/);
  for (const flag of ["--port", "--host", "--quirks", "--provisioning-ms", "--deprovisioning-ms", "--rate-limit", "--rate-window-ms", "--api-key", "--api-secret", "--access-token"]) {
    assert.ok(r.stdout.includes(flag), `usage lacks ${flag}`);
  }
});

test("bad flags and values exit 2 with a message (no stack trace)", () => {
  const cases: [string[], RegExp][] = [
    [["--bogus"], /bogus/],
    [["--port", "abc"], /--port/],
    [["--port", "1.5"], /--port/],
    [["--port", ""], /--port/],
    [["--rate-limit", "-3"], /--rate-limit/],
    [["--provisioning-ms", "1e3"], /--provisioning-ms/],
    [["--api-key", "ONLYKEY"], /--api-secret/],
    [["stray-positional"], /stray-positional|positional/i],
    [["--rate-limit", "0"], /rate/i],
    [["--port", "70000"], /port/i],
  ];
  for (const [args, message] of cases) {
    const r = runToExit(args);
    assert.equal(r.code, 2, `${args.join(" ")}: exit ${r.code}\n${r.stdout}\n${r.stderr}`);
    assert.match(r.stderr, message, args.join(" "));
    assert.match(r.stderr, /confluent-emulator/);
    assertNoStackTrace(r.stderr);
    assert.equal(r.stdout, "", `${args.join(" ")} printed to stdout`);
  }
  assert.match(runToExit(["--bogus"]).stderr, /Usage: confluent-emulator/);
});

test("a port already in use exits 1 with a message (no stack trace)", async () => {
  const blocker = net.createServer();
  await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
  try {
    const port = (blocker.address() as net.AddressInfo).port;
    const child = spawn(process.execPath, [CLI, "--port", String(port)], { stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString("utf8")));
    const exit = await Promise.race([
      exitOf(child),
      new Promise<Exit>((resolve) => setTimeout(() => { child.kill("SIGKILL"); resolve({ code: null, signal: "SIGKILL" }); }, 10_000)),
    ]);
    assert.equal(exit.code, 1, `exit ${JSON.stringify(exit)}; stderr: ${stderr}`);
    assert.match(stderr, new RegExp(`${port}`));
    assert.match(stderr, /in use|EADDRINUSE/i);
    assertNoStackTrace(stderr);
  } finally {
    await new Promise<void>((resolve) => blocker.close(() => resolve()));
  }
});

test("OAuth flags: identity pools, clients and token lifetimes; the banner prints the OAuth variables to paste", async () => {
  const running = await start(["--identity-pool", "pool-cli", "--identity-pool", "pool-two", "--oauth-client", "cli-client:cli secret:with colon",
    "--external-token-lifetime-s", "120", "--sts-token-lifetime-s", "60"]);
  try {
    const lines = running.stdout.split("\n").filter((l) => /^#\s+export CONFLUENT_CLOUD_OAUTH_/.test(l)).map((l) => l.replace(/^#\s+/, ""));
    const oauth = exportsOf(lines.join("\n"));
    assert.deepEqual(Object.keys(oauth).sort(), [
      "CONFLUENT_CLOUD_OAUTH_EXTERNAL_CLIENT_ID", "CONFLUENT_CLOUD_OAUTH_EXTERNAL_CLIENT_SECRET", "CONFLUENT_CLOUD_OAUTH_EXTERNAL_TOKEN_URL", "CONFLUENT_CLOUD_OAUTH_IDENTITY_POOL_ID",
    ]);
    assert.equal(oauth.CONFLUENT_CLOUD_OAUTH_EXTERNAL_CLIENT_SECRET, "cli secret:with colon");
    assert.equal(oauth.CONFLUENT_CLOUD_OAUTH_IDENTITY_POOL_ID, "pool-cli");
    assert.match(running.stdout, /^identity pools: pool-cli, pool-two; token lifetimes: identity provider 120 s, STS up to 60 s$/m);
    const form = (values: Record<string, string>) => ({ method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(values).toString() });
    const idp = await json(await fetch(oauth.CONFLUENT_CLOUD_OAUTH_EXTERNAL_TOKEN_URL!, form({
      grant_type: "client_credentials", client_id: oauth.CONFLUENT_CLOUD_OAUTH_EXTERNAL_CLIENT_ID!, client_secret: oauth.CONFLUENT_CLOUD_OAUTH_EXTERNAL_CLIENT_SECRET,
    })));
    assert.equal(idp.expires_in, 120);
    const url = /^Confluent Cloud emulator listening on (\S+)/m.exec(running.stdout)![1]!;
    const sts = await json(await fetch(`${url}/sts/v1/oauth2/token`, form({
      grant_type: "urn:ietf:params:oauth:grant-type:token-exchange", subject_token: idp.access_token, identity_pool_id: "pool-two",
      subject_token_type: "urn:ietf:params:oauth:token-type:jwt", requested_token_type: "urn:ietf:params:oauth:token-type:access_token",
    })));
    assert.equal(sts.expires_in, 60);
    const list = await fetch(`${url}${CONNECTIONS}?environment=env-emu000`, { headers: { Authorization: `Bearer ${sts.access_token}` } });
    assert.equal(list.status, 200);
  } finally {
    await stop(running, "SIGTERM");
  }
  for (const [args, message] of [
    [["--oauth-client", "no-colon-here"], /--oauth-client needs ID:SECRET/],
    [["--sts-token-lifetime-s", "901"], /stsTokenLifetimeSeconds must be a whole number of seconds in 1\.\.900/],
    [["--external-token-lifetime-s", "x"], /--external-token-lifetime-s needs a whole number/],
  ] as [string[], RegExp][]) {
    const r = runToExit(args);
    assert.equal(r.code, 2, args.join(" "));
    assert.match(r.stderr, message);
    assert.doesNotMatch(r.stderr, /no-colon-here/, "a malformed client is not echoed (it may be a secret)");
    assertNoStackTrace(r.stderr);
  }
});
