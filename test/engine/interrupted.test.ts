// `pulumi up` interrupted while a create waits for READY.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import { readdirSync, readlinkSync } from "node:fs";
import { vpce } from "../support/emulator";
import { EngineProject, posts } from "../support/engine";
import type { Emulator } from "../../emulator";

/** Resolves once the emulator holds a connection (kept in PROVISIONING, so the create is waiting). */
async function createdAndHeld(emulator: Emulator): Promise<string> {
  for (;;) {
    const [c] = emulator.control.connections();
    if (c) {
      if (!c.held) emulator.control.hold(c.id);
      return c.id;
    }
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Kills every process whose working directory is inside `root` (Linux /proc). */
function killProcessesIn(root: string): void {
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      if (readlinkSync(`/proc/${pid}/cwd`).startsWith(root)) process.kill(Number(pid), "SIGKILL");
    } catch {
      // gone already, or not ours to read
    }
  }
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }> {
  let output = "";
  child.stdout!.setEncoding("utf8").on("data", (d: string) => { output += d; });
  child.stderr!.setEncoding("utf8").on("data", (d: string) => { output += d; });
  return new Promise((resolve) => child.on("close", (code, signal) => resolve({ code, signal, output })));
}

/** `pulumi up` started, once its create has been applied (held in PROVISIONING) and the provider polls it. */
async function upWaitingForReady(p: EngineProject) {
  const up = p.project.spawn(["up", "--yes"]);
  const done = exited(up);
  const id = await createdAndHeld(p.emulator);
  while (!p.emulator.control.requests().some((r) => r.method === "GET" && r.path.endsWith(id))) await new Promise((r) => setTimeout(r, 5));
  return { up, done, id };
}

test("SIGKILL during the wait → refresh --clear-pending-creates → up names the existing connection → adoptExisting adopts it", async () => {
  const endpoint = vpce();
  const p = await EngineProject.start("one-connection", { config: { vpcEndpointId: endpoint } });
  try {
    const { up, done, id } = await upWaitingForReady(p);
    process.kill(-up.pid!, "SIGKILL");
    const killed = await done;
    assert.equal(killed.signal, "SIGKILL");
    // The CLI starts its language host and plugins in process groups of their own: killing the CLI's group
    // leaves them running (a CI runner that kills the job's whole tree takes them too). This test does that.
    killProcessesIn(p.project.root);

    const { pending } = await p.state();
    assert.equal(pending.length, 1, "the interrupted create is pending in state");
    p.emulator.control.hold(id, false);
    // The killed CLI left its lock on the stack; `pulumi cancel` removes it, as the lock error says.
    await p.pulumi(["cancel", "--yes"]);
    await p.pulumi(["refresh", "--yes", "--clear-pending-creates"]);
    assert.deepEqual((await p.state()).pending, []);

    const again = await p.pulumi(["up", "--yes"], { allowFailure: true });
    assert.notEqual(again.code, 0);
    const text = again.stdout + again.stderr;
    assert.match(text, new RegExp(id), "the error names the existing connection");
    assert.match(text, /adoptExisting/, "and how to adopt it");
    assert.equal(p.emulator.control.connections().length, 1, "no duplicate on the server");

    await p.config("adoptExisting", "true");
    await p.pulumi(["up", "--yes"]);
    assert.deepEqual(await p.outputs(), { id, phase: "READY", displayName: "engine-aws" });
    assert.equal((await p.state()).resources[0]?.id, id);
    assert.equal(p.emulator.control.connections().length, 1);
    assert.equal(posts(p.emulator), 2, "the interrupted create and the refused one; adoptExisting adopts the listed connection without a POST");
  } finally {
    await p.dispose();
  }
});

test("SIGINT once during the wait (Ctrl-C in a terminal): the engine lets the in-flight create finish and records it", async () => {
  const p = await EngineProject.start("one-connection", { config: { vpcEndpointId: vpce() } });
  try {
    const { up, done, id } = await upWaitingForReady(p);
    // A terminal sends Ctrl-C to the whole foreground process group: the CLI, the language host, the plugins.
    process.kill(-up.pid!, "SIGINT");
    const gets = () => p.emulator.control.requests().filter((r) => r.method === "GET" && r.path.endsWith(id)).length;
    const seen = gets();
    while (gets() === seen) await new Promise((r) => setTimeout(r, 5));
    p.emulator.control.hold(id, false);
    const result = await done;
    assert.match(result.output, /\^C received; cancelling/);
    assert.match(result.output, /update canceled/);
    assert.equal(result.code, 1, "the update reports itself canceled");
    const { resources, pending } = await p.state();
    assert.deepEqual(pending, [], "nothing left pending");
    assert.equal(resources[0]?.id, id, "the create finished and is recorded");
    assert.equal(resources[0]?.outputs?.phase, "READY");
    await p.pulumi(["up", "--yes"]);
    assert.equal((await p.outputs()).id, id);
    assert.equal(posts(p.emulator), 1, "the next up has nothing left to create");
  } finally {
    await p.dispose();
  }
});
