// Drift detection as a scheduled job runs it: `pulumi refresh --preview-only --expect-no-changes` exits 0 when
// nothing drifted and non-zero when a connection was renamed, deleted, or turned DISCONNECTED or FAILED outside
// Pulumi, each with its reason on the resource's own row. Then what `pulumi up` does with each.
import { test } from "node:test";
import assert from "node:assert/strict";
import { vpce } from "../support/emulator";
import { EngineProject, posts } from "../support/engine";

const DRIFT_CHECK = ["refresh", "--preview-only", "--expect-no-changes", "--diff"];
/** As a CI job runs it: the test harness's PULUMI_SKIP_CONFIRMATIONS (an implicit --yes) would refuse --preview-only. */
const AS_A_JOB = { allowFailure: true, env: { PULUMI_SKIP_CONFIRMATIONS: "false" } };

/** The block of a preview's output that shows one resource: its row and the properties under it. */
function rowOf(output: string, name: string): string {
  const blocks = output.split(/\n(?=\s+[~+-]? ?pulumi-nodejs:dynamic\/)|\n(?=Resources:)/);
  return blocks.find((block) => block.includes(`PrivateLinkAttachmentConnection::${name}]`)) ?? "";
}

test("the drift check: exit 0 with no drift; non-zero for a rename, a delete, DISCONNECTED and FAILED, each on its row; up repairs what it can and fails clearly on DISCONNECTED", async () => {
  const endpoints = { renamed: vpce(), deleted: vpce(), disconnected: vpce(), failed: vpce(), untouched: vpce() };
  const connections = Object.fromEntries(Object.entries(endpoints).map(([name, vpcEndpointId]) => [name, { displayName: `drift-${name}`, vpcEndpointId }]));
  const p = await EngineProject.start("connections", { config: { connections: JSON.stringify(connections) } });
  try {
    await p.pulumi(["up", "--yes"]);
    const ids = Object.fromEntries((await p.state()).resources.map((r) => [r.urn.split("::").pop()!, String(r.id)]));

    const clean = await p.pulumi(DRIFT_CHECK, AS_A_JOB);
    assert.equal(clean.code, 0, `nothing drifted:\n${clean.stdout}\n${clean.stderr}`);

    p.emulator.control.rename(ids.renamed!, "renamed-in-the-console");
    p.emulator.control.deleteConnection(ids.deleted!);
    p.emulator.control.setPhase(ids.disconnected!, "DISCONNECTED");
    p.emulator.control.setPhase(ids.failed!, "FAILED");
    const before = p.emulator.control.requests().length;
    const drift = await p.pulumi(DRIFT_CHECK, AS_A_JOB);
    const output = `${drift.stdout}\n${drift.stderr}`;
    assert.notEqual(drift.code, 0, `drift must fail the check:\n${output}`);
    assert.ok(p.emulator.control.requests().slice(before).every((r) => r.method === "GET"), "the check only reads");
    assert.match(rowOf(output, "renamed"), /~ displayName\s*: "drift-renamed" => "renamed-in-the-console"/, output);
    assert.match(rowOf(output, "deleted"), /- pulumi-nodejs:dynamic\/confluentcloud:PrivateLinkAttachmentConnection: \(delete\)/, output);
    assert.match(rowOf(output, "disconnected"), /~ phase\s*: "READY" => "DISCONNECTED"[^]*|\+ errorCode\s*: "ENDPOINT_DELETED"/, output);
    assert.match(rowOf(output, "failed"), /~ phase\s*: "READY" => "FAILED"/, output);
    assert.equal(rowOf(output, "untouched"), "", "an untouched connection has no row");
    assert.match(output, new RegExp(`${ids.disconnected} is DISCONNECTED \\(ENDPOINT_DELETED: .*Pulumi cannot reconnect it`), output);
    assert.match(output, new RegExp(`${ids.failed} is FAILED .*the next \`pulumi up\` replaces it`), output);
    assert.equal(((await p.state()).resources).length, 5, "--preview-only writes nothing");

    // `up`: the rename is undone, the deleted one made again, the FAILED one replaced; the DISCONNECTED one fails the
    // update, saying what to do, and stays in the stack (--continue-on-error: the failure does not stop the others).
    const postsBefore = posts(p.emulator);
    await p.pulumi(["refresh", "--yes"]);
    const up = await p.pulumi(["up", "--yes", "--continue-on-error"], { allowFailure: true });
    const upOutput = `${up.stdout}\n${up.stderr}`;
    assert.notEqual(up.code, 0, `a DISCONNECTED connection is never a silent success:\n${upOutput}`);
    assert.match(upOutput, /Pulumi cannot reconnect it/, upOutput);
    assert.match(upOutput, /pulumi up --replace urn:pulumi:[^ ]+::disconnected/, upOutput);
    const server = new Map(p.emulator.control.connections().map((c) => [c.id, c]));
    assert.equal(server.get(ids.renamed!)?.displayName, "drift-renamed");
    assert.equal(server.get(ids.failed!), undefined, "the FAILED connection was deleted");
    assert.equal(posts(p.emulator) - postsBefore, 2, "one create for the deleted connection, one for the FAILED one");
    assert.equal(server.get(ids.disconnected!)?.phase, "DISCONNECTED", "left as it is");
    const byEndpoint = new Map(p.emulator.control.connections().map((c) => [c.endpointId, c]));
    for (const name of ["deleted", "failed", "renamed", "untouched"] as const) {
      assert.equal(byEndpoint.get(endpoints[name])?.phase, "READY", name);
    }

    const again = await p.pulumi(["up", "--yes"], { allowFailure: true });
    assert.notEqual(again.code, 0, "still DISCONNECTED: still an error");
    assert.match(`${again.stdout}\n${again.stderr}`, /Pulumi cannot reconnect it/);

    // The endpoint back (READY again): the next up records it, and the check is clean.
    p.emulator.control.setPhase(ids.disconnected!, null);
    await p.pulumi(["up", "--yes"]);
    const after = await p.pulumi(DRIFT_CHECK, AS_A_JOB);
    assert.equal(after.code, 0, `${after.stdout}\n${after.stderr}`);
  } finally {
    await p.dispose();
  }
});
