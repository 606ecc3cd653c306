// Programs written for pulumi-confluentcloud (`@pulumi/confluentcloud`) compile against this package with only the
// import of the connection changed: `tsc --strict` in a project that installed the packed package beside
// @pulumi/confluentcloud's own npm package (types only; it installs no plugin). Each program is compiled twice, with
// the module `@pulumi/confluentcloud` (it is a valid program of it) and with `pulumi-confluent-plattc`. The
// differences README.md keeps are a program of their own, which must fail on exactly its marked lines.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { installedModules, REPO_ROOT } from "../../scripts/pulumi-cli";

const PCC = "@pulumi/confluentcloud";
const OURS = "pulumi-confluent-plattc";

/** Program texts; MODULE is where the connection comes from. */
const PROGRAMS: Record<string, string> = {
  // The resource's documented example (privateLinkAttachmentConnection.d.ts), as it is.
  resource: `
import * as pulumi from "@pulumi/pulumi";
import * as confluentcloud from "MODULE";

const aws = new confluentcloud.PrivateLinkAttachmentConnection("aws", {
    displayName: "my_endpoint",
    environment: {
        id: "env-8gv0v5",
    },
    aws: {
        vpcEndpointId: "vpce-0ed4d51f5d6ef9b6d",
    },
    privateLinkAttachment: {
        id: "platt-plyvyl",
    },
});
const azure = new confluentcloud.PrivateLinkAttachmentConnection("azure", {
    displayName: "prod-azure-central-us-az1-connection",
    environment: {
        id: "env-12345",
    },
    azure: {
        privateEndpointResourceId: "/subscriptions/123aaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa/resourceGroups/testvpc/providers/Microsoft.Network/privateEndpoints/pe-platt-abcdef-az1",
    },
    privateLinkAttachment: {
        id: "platt-abcdef",
    },
});
const gcp = new confluentcloud.PrivateLinkAttachmentConnection("gcp", {
    displayName: "prod-gcp-uscentral1-connection",
    environment: {
        id: "env-12345",
    },
    gcp: {
        privateServiceConnectConnectionId: "48796d35-191c-4de1-83e6-3824517eaa1d",
    },
    privateLinkAttachment: {
        id: "platt-abcdef",
    },
});
export const privateLinkAttachmentConnection = aws;
export const others = [azure.id, gcp.id];
export const environment: pulumi.Output<string> = aws.environment.id;
`,
  // The data source's documented example, and its Output form with Inputs.
  dataSource: `
import * as pulumi from "@pulumi/pulumi";
import * as confluentcloud from "MODULE";

const main = confluentcloud.getPrivateLinkAttachmentConnection({
    id: "plattc-p5j3ov",
    environment: {
        id: "env-8gv0v5",
    },
});
export const plattc = main;
export const plattcId: Promise<string> = main.then((c) => c.id);

const config = new pulumi.Config();
const environmentId = pulumi.output(config.require("environmentId"));
const found = confluentcloud.getPrivateLinkAttachmentConnectionOutput({ id: config.require("connectionId"), environment: { id: environmentId } });
const foundToo = confluentcloud.getPrivateLinkAttachmentConnectionOutput({ id: found.id, environment: found.environment });
export const foundId: pulumi.Output<string> = foundToo.id;
export const foundEnvironment: pulumi.Output<string> = found.environment.id;
export const foundName = found.displayName;
export const foundCrn = found.resourceName;
`,
  // A program keeping pulumi-confluentcloud for everything but the connection: its attachment wired into the
  // connection, a helper typed with its args, the endpoint chosen at run time, get, isInstance, its state type.
  mixed: `
import * as pulumi from "@pulumi/pulumi";
import * as confluentcloud from "@pulumi/confluentcloud";
import { PrivateLinkAttachmentConnection, type PrivateLinkAttachmentConnectionState } from "MODULE";

const config = new pulumi.Config();
const useAws = pulumi.output(config.requireBoolean("useAws"));
const vpcEndpointId = config.require("vpcEndpointId");
const privateEndpointResourceId = config.require("privateEndpointResourceId");

const attachment = new confluentcloud.PrivateLinkAttachment("attachment", {
    cloud: "AWS",
    region: "us-west-2",
    displayName: "attachment",
    environment: { id: "env-abc123" },
});

function connection(name: string, args: confluentcloud.PrivateLinkAttachmentConnectionArgs, opts?: pulumi.CustomResourceOptions): PrivateLinkAttachmentConnection {
    return new PrivateLinkAttachmentConnection(name, args, opts);
}

const chosen = connection("chosen", {
    displayName: "chosen",
    environment: attachment.environment,
    privateLinkAttachment: { id: attachment.id },
    aws: useAws.apply((yes) => (yes ? { vpcEndpointId } : undefined)),
    azure: useAws.apply((yes) => (yes ? undefined : { privateEndpointResourceId })),
}, { dependsOn: [attachment] });

const theirState: confluentcloud.PrivateLinkAttachmentConnectionState = { environment: { id: "env-abc123" } };
const state: PrivateLinkAttachmentConnectionState = theirState;
const existing = PrivateLinkAttachmentConnection.get("existing", "env-abc123/plattc-abc123");
const existingToo = PrivateLinkAttachmentConnection.get("existing-too", pulumi.output("plattc-abc124"), state, { protect: true });
const unknownThing: unknown = existing;
export const crn = PrivateLinkAttachmentConnection.isInstance(unknownThing) ? unknownThing.resourceName : undefined;
export const ids: pulumi.Output<string>[] = [chosen.id, existing.id, existingToo.id];
export const environment: pulumi.Output<confluentcloud.types.output.PrivateLinkAttachmentConnectionEnvironment> = chosen.environment;
export const attached: pulumi.Output<confluentcloud.types.output.PrivateLinkAttachmentConnectionPrivateLinkAttachment> = chosen.privateLinkAttachment;
export const aws: pulumi.Output<confluentcloud.types.output.PrivateLinkAttachmentConnectionAws | undefined> = chosen.aws;
export const azure: pulumi.Output<confluentcloud.types.output.PrivateLinkAttachmentConnectionAzure | undefined> = chosen.azure;
export const gcp: pulumi.Output<confluentcloud.types.output.PrivateLinkAttachmentConnectionGcp | undefined> = chosen.gcp;
`,
};

/**
 * The differences README.md lists ("Coming from pulumi-confluentcloud"): each marked line compiles against
 * pulumi-confluentcloud and not against this package.
 */
const DIFFERENCES = `
import * as pulumi from "@pulumi/pulumi";
import * as confluentcloud from "MODULE";

const c = new confluentcloud.PrivateLinkAttachmentConnection("c", {
    displayName: "c",
    environment: { id: "env-abc123" },
    aws: { vpcEndpointId: "vpce-0ed4d51f5d6ef9b6d" },
    privateLinkAttachment: { id: "platt-abc123" },
});
export const name: pulumi.Output<string> = c.displayName; // differs: displayName
export const crn: pulumi.Output<string> = c.resourceName; // differs: resourceName
const found = confluentcloud.getPrivateLinkAttachmentConnectionOutput({ id: "plattc-abc123", environment: { id: "env-abc123" } });
export const vpce = found.aws.apply((aws) => aws[0]?.vpcEndpointId); // differs: one-element lists
export const azures = found.azures; // differs: one-element lists
export const gcps = found.gcps; // differs: one-element lists
export const attachments = found.privateLinkAttachments; // differs: one-element lists
export const foundName: pulumi.Output<string> = found.displayName; // differs: displayName
export const foundCrn: pulumi.Output<string> = found.resourceName; // differs: resourceName
export const viaProvider = confluentcloud.getPrivateLinkAttachmentConnection({ id: "plattc-abc123", environment: { id: "env-abc123" } }, { parent: c }); // differs: invoke options
`;

/** The lines marked `// differs:` (1-based). */
function markedLines(source: string): number[] {
  return source.split("\n").flatMap((line, i) => (line.includes("// differs:") ? [i + 1] : []));
}

interface Compiled {
  /** Error lines by file name. */
  errors: Map<string, number[]>;
  output: string;
}

/** `tsc --strict` over the files in a project that installed this package and @pulumi/confluentcloud. */
function compile(files: Record<string, string>): Compiled {
  const dir = mkdtempSync(path.join(os.tmpdir(), "plattc-pcc-compile-"));
  try {
    execFileSync("cp", ["-al", `${installedModules()}/.`, path.join(dir, "node_modules")]);
    cpSync(path.join(REPO_ROOT, "node_modules", PCC), path.join(dir, "node_modules", PCC), { recursive: true });
    for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
    // What `pulumi new typescript` writes, without emitting.
    const compilerOptions = { strict: true, noEmit: true, target: "es2020", module: "commonjs", moduleResolution: "node", experimentalDecorators: true, noFallthroughCasesInSwitch: true, noImplicitReturns: true, forceConsistentCasingInFileNames: true };
    writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions, files: Object.keys(files) }));
    let output = "";
    try {
      execFileSync(process.execPath, [path.join(dir, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.json", "--pretty", "false"], { cwd: dir, encoding: "utf8", stdio: "pipe" });
    } catch (e) {
      output = String((e as { stdout?: string }).stdout ?? e);
    }
    const errors = new Map<string, number[]>();
    for (const [, file, line] of output.matchAll(/^([^\s(]+)\((\d+),\d+\): error/gm)) errors.set(file!, [...(errors.get(file!) ?? []), Number(line)]);
    return { errors, output };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const withModule = (source: string, module: string): string => source.replace('"MODULE"', JSON.stringify(module));

test("pulumi-confluentcloud programs compile (tsc --strict) against the packed package with only the import changed; the kept differences are exactly the ones listed", () => {
  const files: Record<string, string> = { "differences-pcc.ts": withModule(DIFFERENCES, PCC), "differences-ours.ts": withModule(DIFFERENCES, OURS) };
  for (const [name, source] of Object.entries(PROGRAMS)) {
    files[`${name}-pcc.ts`] = withModule(source, PCC);
    files[`${name}-ours.ts`] = withModule(source, OURS);
  }
  const { errors, output } = compile(files);
  for (const name of Object.keys(PROGRAMS)) {
    assert.equal(errors.get(`${name}-pcc.ts`), undefined, `the ${name} program is a valid pulumi-confluentcloud program:\n${output}`);
    assert.equal(errors.get(`${name}-ours.ts`), undefined, `the ${name} program compiles against this package:\n${output}`);
  }
  assert.equal(errors.get("differences-pcc.ts"), undefined, `the differences compile against pulumi-confluentcloud:\n${output}`);
  assert.deepEqual([...new Set(errors.get("differences-ours.ts"))], markedLines(DIFFERENCES), `the differences fail on their marked lines only:\n${output}`);
  assert.deepEqual([...errors.keys()].sort(), ["differences-ours.ts"], output);
});
