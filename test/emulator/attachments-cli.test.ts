// The CLI flags of the attachment lifecycle, run as a real process on the Node running the tests.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import * as path from "node:path";

const CLI = path.resolve(__dirname, "../../emulator/cli.js");

test("--attachment-provisioning-ms, --attachment-deprovisioning-ms, --attachment-expiry-ms and --attachment-deletion take effect and show in the banner", async () => {
  const child = spawn(process.execPath, [
    CLI, "--port", "0", "--attachment-provisioning-ms", "250", "--attachment-deprovisioning-ms", "40", "--attachment-expiry-ms", "90000", "--attachment-deletion", "cascade",
  ], { stdio: ["ignore", "pipe", "pipe"] });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  try {
    let stdout = "";
    for await (const chunk of child.stdout) {
      stdout += String(chunk);
      if (stdout.includes("Press Ctrl+C to stop.")) break;
    }
    assert.match(stdout, /^new attachments: PROVISIONING 250 ms, DEPROVISIONING 40 ms, EXPIRED after 90000 ms without a connection; DELETE with connections: cascade$/m);
    const url = /listening on (http:\/\/\S+)/.exec(stdout)![1]!;
    const info = (await (await fetch(`${url}/_emulator/info`)).json()) as { attachmentTiming: unknown; attachmentDeletion: string };
    assert.deepEqual(info.attachmentTiming, { provisioningMs: 250, deprovisioningMs: 40, expiryMs: 90_000 });
    assert.equal(info.attachmentDeletion, "cascade");
  } finally {
    child.kill("SIGTERM");
  }
  assert.equal(await exited, 0);
});

test("bad attachment flag values exit 2 with a message; --help lists the flags", () => {
  for (const [args, message] of [[["--attachment-deletion", "force"], /--attachment-deletion/], [["--attachment-expiry-ms", "soon"], /--attachment-expiry-ms/]] as const) {
    const r = spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8" });
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, message);
    assert.equal(r.stdout, "");
  }
  const help = spawnSync(process.execPath, [CLI, "--help"], { encoding: "utf8" });
  for (const flag of ["--attachment-provisioning-ms", "--attachment-deprovisioning-ms", "--attachment-expiry-ms", "--attachment-deletion"]) assert.ok(help.stdout.includes(flag), flag);
});
