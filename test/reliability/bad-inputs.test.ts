// Reliability: a corpus of malformed resource arguments for `check`, and a set of valid ones.
//
// test/provider/inputs.test.ts covers each rule with a few hand-picked values; this file is the bulk corpus:
// every id field × every kind of junk (wrong prefixes, wrong types, blanks, 10 k / 1 M character strings, Unicode
// look-alikes and invisible characters), the one-of rule, nested nulls, bad timeouts, non-boolean adoptExisting
// and unknown keys. For every case it asserts the EXACT set of failing properties, that nothing throws, and that
// the same answer comes from each layer the engine can reach:
//   - checkInputs (the pure function),
//   - provider.check on a PrivateLinkAttachmentConnectionProvider instance (what the class exposes),
//   - provider/handle's check (the object the dynamic-provider plugin actually calls, via a require() of it).
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import type { CheckFailure } from "../../provider/core/checks";
import { checkInputs } from "../../provider/connection/inputs";
import { PrivateLinkAttachmentConnectionProvider } from "../../provider/connection/provider";
import handle = require("../../provider/handle");

type Props = Record<string, any>;

const U = pulumi.runtime.unknownValue;
const MARKER = "exports.handler = __f0; /* serialized provider (test marker) */";
const ENV_ID = "env-abc123";
const PLATT = "platt-abc123";
const VPCE = "vpce-0ed4d51f5d6ef9b6d";
const AZURE_ID = "/subscriptions/123aaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa/resourceGroups/testvpc/providers/Microsoft.Network/privateEndpoints/pe-platt-abcdef-az1";
const GCP_ID = "12345678912345";
const TEN_K = "x".repeat(10_000);
const ONE_M = "x".repeat(1_000_000);

const awsBase = (): Props => ({ displayName: "conn", environment: { id: ENV_ID }, privateLinkAttachment: { id: PLATT }, aws: { vpcEndpointId: VPCE } });
const azureBase = (): Props => ({ displayName: "conn", environment: { id: ENV_ID }, privateLinkAttachment: { id: PLATT }, azure: { privateEndpointResourceId: AZURE_ID } });
const gcpBase = (): Props => ({ displayName: "conn", environment: { id: ENV_ID }, privateLinkAttachment: { id: PLATT }, gcp: { privateServiceConnectConnectionId: GCP_ID } });

/** A copy of base with `value` at `path` (the value itself is not cloned: 1 M strings and odd objects stay as they are). */
function at(base: () => Props, path: string[], value: unknown): Props {
  const args = base();
  let target: Props = args;
  for (const key of path.slice(0, -1)) {
    if (typeof target[key] !== "object" || target[key] === null) target[key] = {};
    target = target[key];
  }
  target[path[path.length - 1]!] = value;
  return args;
}

function show(value: unknown): string {
  if (typeof value === "string") {
    const escaped = JSON.stringify(value.length > 160 ? `${value.slice(0, 160)}…(${value.length} chars)` : value);
    return escaped.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.codePointAt(0)!.toString(16).padStart(4, "0")}`);
  }
  if (typeof value === "number" || typeof value === "boolean" || value === null || value === undefined) return String(value);
  try {
    const text = JSON.stringify(value);
    return text.length > 60 ? `${text.slice(0, 60)}…` : text;
  } catch {
    return Object.prototype.toString.call(value);
  }
}

interface BadCase {
  name: string;
  args: unknown;
  /** The exact failing properties (order-insensitive, duplicates count). */
  properties: string[];
}

const invalid: BadCase[] = [];
function bad(name: string, args: unknown, ...properties: string[]): void {
  invalid.push({ name, args, properties });
}

// ---- 1. every id field × every kind of junk (generated) ------------------------------------------------------

interface IdField {
  path: string[];
  base: () => Props;
  valid: string;
  /** Field-specific bad strings: wrong prefixes, look-alikes, shapes. */
  specific: string[];
}

const ID_FIELDS: IdField[] = [
  {
    path: ["environment", "id"], base: awsBase, valid: ENV_ID,
    specific: [
      "platt-abc123", "plattc-abc123", "vpce-0ed4d51f5d6ef9b6d", "env", "env-", "ENV-abc123", "Env-abc123", "environment-abc123", "env_abc123", "env:abc123",
      "env-abc/123", "env-abc?x=1", "env-abc#x", "env-abc%20", "env-abc 123",
      "\u0435nv-abc123", // Cyrillic е
      "en\u0475-abc123", // Cyrillic izhitsa look-alike of v
      "\uff45\uff4e\uff56-abc123", // fullwidth ｅｎｖ
      "env-\uff41\uff42\uff43", // fullwidth ａｂｃ
      "env\u2010abc123", // Unicode hyphen
      "env\u2013abc123", // en dash
    ],
  },
  {
    path: ["privateLinkAttachment", "id"], base: awsBase, valid: PLATT,
    specific: [
      "env-abc123", "plattc-abc123", "vpce-0ed4d51f5d6ef9b6d", "platt", "platt-", "PLATT-abc123", "plat-abc123", "platt_abc123", "platt-abc/../x",
      "pl\u0430tt-abc123", // Cyrillic а
      "\u0440latt-abc123", // Cyrillic р
      "\uff50\uff4c\uff41\uff54\uff54-abc123", // fullwidth ｐｌａｔｔ
    ],
  },
  {
    path: ["aws", "vpcEndpointId"], base: awsBase, valid: VPCE,
    specific: [
      "env-abc123", "platt-abc123", "vpc-0ed4d51f5d6ef9b6d", "vpce-", "vpce", "VPCE-0ed4d51f5d6ef9b6d", "vpce-0ED4D51F5D6EF9B6D", "vpce-xyz", "vpce_0ed4",
      "vpce-0ed4 d51f", "eni-0ed4d51f5d6ef9b6d", "arn:aws:ec2:us-east-1:123456789012:vpc-endpoint/vpce-0ed4d51f5d6ef9b6d",
      "vpc\u0435-0ed4d51f5d6ef9b6d", // Cyrillic е
      "vpce-0\u0435d4", // Cyrillic е inside the hex
      "\uff56\uff50\uff43\uff45-0ed4", // fullwidth ｖｐｃｅ
      "vpce-\uff10\uff45\uff44\uff14", // fullwidth hex digits
    ],
  },
  {
    path: ["azure", "privateEndpointResourceId"], base: azureBase, valid: AZURE_ID,
    specific: [
      "env-abc123", "vpce-0ed4d51f5d6ef9b6d", "pe-platt-abcdef-az1",
      "subscriptions/s/resourceGroups/g/providers/Microsoft.Network/privateEndpoints/pe",
      "/subscriptions//resourceGroups/g/providers/Microsoft.Network/privateEndpoints/pe",
      "/subscriptions/s/resourceGroups//providers/Microsoft.Network/privateEndpoints/pe",
      "/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/privateEndpoints/",
      "/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/privateEndpoints/pe/",
      "/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/privateEndpoints/pe/subresource/x",
      "/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/privateLinkServices/pls",
      "/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/networkInterfaces/nic",
      "/subscriptions/s/resourceGroups/g/providers/Microsoft.Compute/privateEndpoints/pe",
      "/subscriptions/s/resourceGroups/g/privateEndpoints/pe",
      "/subscriptions/s p/resourceGroups/g/providers/Microsoft.Network/privateEndpoints/pe",
      "https://management.azure.com/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/privateEndpoints/pe",
      "//subscriptions/s/resourceGroups/g/providers/Microsoft.Network/privateEndpoints/pe",
      "/subscriptions/s/resourceGroups/g/providers/Microsoft\u2024Network/privateEndpoints/pe", // one-dot leader for "."
      "/subscriptions/s/resourceGroups/g/providers/Micr\u043esoft.Network/privateEndpoints/pe", // Cyrillic о
      "/\u0455ubscriptions/s/resourceGroups/g/providers/Microsoft.Network/privateEndpoints/pe", // Cyrillic ѕ
      "/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/priv\u0430teEndpoints/pe", // Cyrillic а
      "/\u017fubscriptions/s/resourceGroups/g/providers/Microsoft.Network/privateEndpoints/pe", // long s, case-folds to "s" under /iu
      "/subscriptions/s/resourceGroups/g/providers/Microsoft.Networ\u212a/privateEndpoints/pe", // Kelvin sign, case-folds to "k" under /iu
      "\uff0fsubscriptions/s/resourceGroups/g/providers/Microsoft.Network/privateEndpoints/pe", // fullwidth solidus
      "/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/privateEndpoints/pe\u200d1", // zero-width joiner inside the name
      "/subscriptions/s/resourceGroups/g\u200b/providers/Microsoft.Network/privateEndpoints/pe", // zero-width space in the group
      "/subscriptions/s\u200f/resourceGroups/g/providers/Microsoft.Network/privateEndpoints/pe", // RTL mark in the subscription
      "/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/privateEndpoints/\u202ep1", // RTL override
      "/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/privateEndpoints/pe\u0000", // NUL
      "/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/privateEndpoints/pe\u0007", // BEL
    ],
  },
  {
    path: ["gcp", "privateServiceConnectConnectionId"], base: gcpBase, valid: GCP_ID,
    specific: [
      "env-abc123", "vpce-0ed4", "12a", "0x1F", "1e5", "-1", "+1", "1.0", "1,000", "1_000", "abc", "projects/p/regions/r/forwardingRules/f",
      "\uff11\uff12\uff13", // fullwidth digits
      "\u0661\u0662\u0663", // Arabic-Indic digits
      "\u09e7\u09e8", // Bengali digits
      "1\u200d2", "\u00bd",
    ],
  },
];

/** Junk every id field must refuse: blanks, wrong types, huge strings, invisible characters around a valid id. */
function commonJunk(valid: string): unknown[] {
  return [
    "", " ", "\t", "\n", "\u00a0", "\u3000", `${valid} `, ` ${valid}`, `${valid}\n`, `\t${valid}`,
    `${valid}\u200d`, `\u200d${valid}`, `${valid.slice(0, 5)}\u200b${valid.slice(5)}`, `\u200f${valid}`, `${valid}\u200e`, `\u202e${valid}`, `\ufeff${valid}`, `${valid}\u00a0`,
    0, 1, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, true, false,
    [], [valid], {}, { id: valid }, { value: valid }, new Date(0),
    TEN_K, ONE_M, valid + TEN_K.replace(/x/g, "a"), valid + ONE_M.replace(/x/g, "1"),
  ];
}

for (const field of ID_FIELDS) {
  const property = field.path.join(".");
  for (const value of [...field.specific, ...commonJunk(field.valid)]) {
    bad(`${property} = ${show(value)}`, at(field.base, field.path, value), property);
  }
}

// ---- 2. the one-of rule: two clouds, three, none -----------------------------------------------------------

const AWS = { vpcEndpointId: VPCE };
const AZURE = { privateEndpointResourceId: AZURE_ID };
const GCP = { privateServiceConnectConnectionId: GCP_ID };
const noCloud = (): Props => ({ displayName: "conn", environment: { id: ENV_ID }, privateLinkAttachment: { id: PLATT } });

bad("aws + azure", { ...noCloud(), aws: AWS, azure: AZURE }, "aws", "azure");
bad("aws + gcp", { ...noCloud(), aws: AWS, gcp: GCP }, "aws", "gcp");
bad("azure + gcp", { ...noCloud(), azure: AZURE, gcp: GCP }, "azure", "gcp");
bad("aws + azure + gcp", { ...noCloud(), aws: AWS, azure: AZURE, gcp: GCP }, "aws", "azure", "gcp");
bad("aws + azure, gcp null", { ...noCloud(), aws: AWS, azure: AZURE, gcp: null }, "aws", "azure");
// An endpoint whose id is unknown is still an endpoint the program set: with a second one, a conflict.
bad("aws with an unknown id + azure", { ...noCloud(), aws: { vpcEndpointId: U }, azure: AZURE }, "aws", "azure");
bad("aws + a bad gcp: conflict and the bad id", { ...noCloud(), aws: AWS, gcp: { privateServiceConnectConnectionId: "x" } }, "aws", "gcp", "gcp.privateServiceConnectConnectionId");
bad("aws + an empty gcp object", { ...noCloud(), aws: AWS, gcp: {} }, "aws", "gcp", "gcp");
bad("no cloud at all", noCloud(), "aws");
bad("every cloud null", { ...noCloud(), aws: null, azure: null, gcp: null }, "aws");
bad("every cloud undefined", { ...noCloud(), aws: undefined, azure: undefined, gcp: undefined }, "aws");
bad("cloud given as a top-level string", { ...noCloud(), cloud: "AWS", vpcEndpointId: VPCE }, "aws", "cloud", "vpcEndpointId");

// ---- 3. nested nulls and empty objects ------------------------------------------------------------------------

bad("aws: {vpcEndpointId: null} (the endpoint object is empty)", at(awsBase, ["aws", "vpcEndpointId"], null), "aws");
bad("aws: {vpcEndpointId: undefined}", at(awsBase, ["aws", "vpcEndpointId"], undefined), "aws");
bad("aws: {}", at(awsBase, ["aws"], {}), "aws");
bad("azure: {privateEndpointResourceId: null}", at(azureBase, ["azure", "privateEndpointResourceId"], null), "azure");
bad("gcp: {privateServiceConnectConnectionId: null}", at(gcpBase, ["gcp", "privateServiceConnectConnectionId"], null), "gcp");
bad("environment: null", at(awsBase, ["environment"], null), "environment");
bad("environment: undefined", at(awsBase, ["environment"], undefined), "environment");
bad("environment: {id: null}", at(awsBase, ["environment", "id"], null), "environment.id");
bad("environment: {id: undefined}", at(awsBase, ["environment", "id"], undefined), "environment.id");
bad("environment: {}", at(awsBase, ["environment"], {}), "environment.id");
bad("privateLinkAttachment: null", at(awsBase, ["privateLinkAttachment"], null), "privateLinkAttachment");
bad("privateLinkAttachment: {id: null}", at(awsBase, ["privateLinkAttachment", "id"], null), "privateLinkAttachment.id");
bad("environment and attachment both null", { ...awsBase(), environment: null, privateLinkAttachment: null }, "environment", "privateLinkAttachment");

// ---- 4. object-valued properties given as something else --------------------------------------------------------

for (const [key, base] of [["environment", awsBase], ["privateLinkAttachment", awsBase], ["aws", awsBase], ["azure", noCloud], ["gcp", noCloud]] as const) {
  for (const value of ["env-abc123", "", 5, true, [], [{ id: ENV_ID }], TEN_K]) bad(`${key} = ${show(value)}`, at(base, [key], value), key);
}

// ---- 5. unknown keys, top level and nested -------------------------------------------------------------------

for (const key of ["displayname", "display_name", "DisplayName", "environmentId", "env", "private_link_attachment", "privateLinkAttachmentId", "vpcEndpointId",
  "AWS", "Aws", "timeout", "customTimeouts", "adopt_existing", "adopt", "import", "id", "name", "", " ", "constructor", "toString"]) {
  bad(`unknown top-level key ${show(key)}`, { ...awsBase(), [key]: "x" }, key);
}
bad("__proto__ as an own key (JSON.parse)", JSON.parse(`{"__proto__": {"polluted": true}, "environment": {"id": "${ENV_ID}"}, "privateLinkAttachment": {"id": "${PLATT}"}, "aws": {"vpcEndpointId": "${VPCE}"}}`), "__proto__");
bad("an unknown key with an unknown value", { ...awsBase(), extra: U }, "extra");
bad("environment.name", { ...awsBase(), environment: { id: ENV_ID, name: "prod" } }, "environment.name");
bad("environment.ID (case)", { ...awsBase(), environment: { ID: ENV_ID } }, "environment.ID", "environment.id");
bad("privateLinkAttachment.environment", { ...awsBase(), privateLinkAttachment: { id: PLATT, environment: ENV_ID } }, "privateLinkAttachment.environment");
bad("aws.vpcEndpointID (case)", { ...noCloud(), aws: { vpcEndpointID: VPCE } }, "aws.vpcEndpointID", "aws.vpcEndpointId");
bad("aws.vpc_endpoint_id (wire spelling)", { ...noCloud(), aws: { vpc_endpoint_id: VPCE } }, "aws.vpc_endpoint_id", "aws.vpcEndpointId");
bad("aws with an extra key", { ...noCloud(), aws: { vpcEndpointId: VPCE, region: "us-east-1" } }, "aws.region");
bad("azure with the AWS field", { ...noCloud(), azure: { vpcEndpointId: VPCE } }, "azure.vpcEndpointId", "azure.privateEndpointResourceId");
bad("gcp with kind", { ...noCloud(), gcp: { ...GCP, kind: "GcpPrivateLinkAttachmentConnection" } }, "gcp.kind");

// ---- 6. displayName ---------------------------------------------------------------------------------------

for (const value of ["", " ", "\t\n", "\u00a0", "\u3000 ", " ".repeat(1_000_000), 0, 5, true, false, [], ["conn"], {}, { en: "conn" }, [ONE_M], Number.NaN]) {
  bad(`displayName = ${show(value)}`, at(awsBase, ["displayName"], value), "displayName");
}

// ---- 7. timeouts -----------------------------------------------------------------------------------------

const BAD_DURATIONS: unknown[] = [
  "5", "90", "1.5", "-1m", "-5s", "1y", "5d", "1w", "", " ", "5 m", " 5m", "5m ", "5M", "1H", "PT5M", "5min", "5mins", "1e3s", "0s", "0ms", "0.1ms",
  "597h", "Infinityh", "NaNs", "m", "ms", "1h-30m", "1..5h", "1.h", "\uff15m", "5\u200bm", "5m\u200d", `${"9".repeat(400)}h`, TEN_K, ONE_M, "1".repeat(1_000_000),
  5, 0, -1, 1.5, true, false, [], ["5m"], {}, { minutes: 5 }, Number.NaN,
];
for (const which of ["create", "update", "delete"]) {
  for (const value of BAD_DURATIONS) bad(`timeouts.${which} = ${show(value)}`, { ...awsBase(), timeouts: { [which]: value } }, `timeouts.${which}`);
}
for (const value of ["30m", "", 5, true, [], [{ create: "5m" }], TEN_K]) bad(`timeouts = ${show(value)}`, { ...awsBase(), timeouts: value }, "timeouts");
bad("timeouts {create: 5} (a number, not a duration)", { ...awsBase(), timeouts: { create: 5 } }, "timeouts.create");
bad("timeouts.read (unknown key)", { ...awsBase(), timeouts: { read: "5m" } }, "timeouts.read");
bad("timeouts.Create (case)", { ...awsBase(), timeouts: { Create: "5m" } }, "timeouts.Create");
bad("timeouts: every key bad", { ...awsBase(), timeouts: { create: "1y", update: "-1m", delete: "" } }, "timeouts.create", "timeouts.update", "timeouts.delete");

// ---- 8. adoptExisting ------------------------------------------------------------------------------------

for (const value of ["true", "false", "yes", "", "1", 1, 0, -1, Number.NaN, [], [true], {}, { value: true }, TEN_K, ONE_M]) {
  bad(`adoptExisting = ${show(value)}`, { ...awsBase(), adoptExisting: value }, "adoptExisting");
}

// ---- 9. everything wrong at once, and arguments that are not an object ------------------------------------

bad(
  "everything wrong at once",
  { displayName: "", environment: { id: "platt-1" }, privateLinkAttachment: { id: "env-1" }, aws: { vpcEndpointId: "vpc-1" }, gcp: { privateServiceConnectConnectionId: "x" }, timeouts: { create: "1y" }, adoptExisting: "yes", extra: 1 },
  "displayName", "environment.id", "privateLinkAttachment.id", "aws", "aws.vpcEndpointId", "gcp", "gcp.privateServiceConnectConnectionId", "timeouts.create", "adoptExisting", "extra",
);
for (const args of [null, undefined, [], [awsBase()], "args", 5, true]) bad(`arguments = ${show(args)}`, args, "args");

// ---- valid arguments ---------------------------------------------------------------------------------------

interface GoodCase {
  name: string;
  args: Props;
  /** The normalised inputs check must return (without __provider); defaults to args. */
  expected?: Props;
}

const valid: GoodCase[] = [];
function good(name: string, args: Props, expected?: Props): void {
  valid.push({ name, args, expected });
}

const minimal = (cloud: Props): Props => ({ environment: { id: ENV_ID }, privateLinkAttachment: { id: PLATT }, ...cloud });
good("AWS, optional fields omitted", minimal({ aws: AWS }));
good("Azure, optional fields omitted", minimal({ azure: AZURE }));
good("GCP, optional fields omitted", minimal({ gcp: GCP }));
good("AWS, everything set", { ...awsBase(), timeouts: { create: "45m", update: "90s", delete: "1h30m" }, adoptExisting: true });
good("Azure, everything set", { ...azureBase(), timeouts: { create: "2h" }, adoptExisting: false });
good("GCP, everything set", { ...gcpBase(), timeouts: { delete: "500ms" }, adoptExisting: true });
good("Azure with lower-case namespaces and a Unicode resource group", minimal({ azure: { privateEndpointResourceId: "/subscriptions/s/resourcegroups/rg-\u00e9t\u00e9/providers/microsoft.network/privateendpoints/pe" } }));
good("GCP with a 20-digit id", minimal({ gcp: { privateServiceConnectConnectionId: "12345678901234567890" } }));
good("ids of exactly 255 characters", { environment: { id: `env-${"a".repeat(251)}` }, privateLinkAttachment: { id: `platt-${"b".repeat(249)}` }, aws: { vpcEndpointId: `vpce-${"0".repeat(250)}` } });
good("optional keys null or undefined are dropped", { ...minimal({ aws: AWS }), displayName: null, timeouts: undefined, adoptExisting: null, azure: null, gcp: undefined }, minimal({ aws: AWS }));
good("timeouts {} is dropped", { ...minimal({ aws: AWS }), timeouts: {} }, minimal({ aws: AWS }));
good("null keys inside timeouts are dropped", { ...minimal({ aws: AWS }), timeouts: { create: "5m", delete: null } }, { ...minimal({ aws: AWS }), timeouts: { create: "5m" } });
good("durations at the edges", { ...minimal({ aws: AWS }), timeouts: { create: "1ms", update: "596h", delete: "1h30m15s250ms" } });
good("a displayName in any script, with emoji and bidi text", { ...minimal({ aws: AWS }), displayName: "\u0437\u0430\u043a\u0430\u0437\u044b \u2013 \u05e2\u05d1\u05e8\u05d9\u05ea \ud83d\ude80" });
good("a displayName with surrounding spaces is kept verbatim", { ...minimal({ aws: AWS }), displayName: "  padded  " });
good("output-only keys are dropped silently", { ...minimal({ aws: AWS }), phase: "READY", resourceName: "crn://x", cloudStatus: { a: "b" }, errorCode: "", createdAt: "x" }, minimal({ aws: AWS }));
good("an object without a prototype", Object.assign(Object.create(null) as Props, minimal({ gcp: GCP })), minimal({ gcp: GCP }));
// Unknown values (preview): in every field, whole or nested.
good("displayName unknown", { ...minimal({ aws: AWS }), displayName: U });
good("environment unknown", { ...minimal({ aws: AWS }), environment: U });
good("environment.id unknown", { ...minimal({ aws: AWS }), environment: { id: U } });
good("privateLinkAttachment unknown", { ...minimal({ aws: AWS }), privateLinkAttachment: U });
good("privateLinkAttachment.id unknown", { ...minimal({ aws: AWS }), privateLinkAttachment: { id: U } });
good("aws unknown", minimal({ aws: U }));
good("aws.vpcEndpointId unknown", minimal({ aws: { vpcEndpointId: U } }));
good("azure unknown", minimal({ azure: U }));
good("azure.privateEndpointResourceId unknown", minimal({ azure: { privateEndpointResourceId: U } }));
good("gcp unknown", minimal({ gcp: U }));
good("gcp.privateServiceConnectConnectionId unknown", minimal({ gcp: { privateServiceConnectConnectionId: U } }));
good("aws, azure and gcp all unknown (any may resolve to undefined)", minimal({ aws: U, azure: U, gcp: U }));
good("a known aws beside an unknown gcp", minimal({ aws: AWS, gcp: U }));
good("timeouts unknown", { ...minimal({ aws: AWS }), timeouts: U });
good("each timeout unknown", { ...minimal({ aws: AWS }), timeouts: { create: U, update: U, delete: U } });
good("adoptExisting unknown", { ...minimal({ aws: AWS }), adoptExisting: U });
good("every top-level field unknown", { displayName: U, environment: U, privateLinkAttachment: U, aws: U, timeouts: U, adoptExisting: U });
good("every leaf unknown", {
  displayName: U, environment: { id: U }, privateLinkAttachment: { id: U }, gcp: { privateServiceConnectConnectionId: U },
  timeouts: { create: U, update: U, delete: U }, adoptExisting: U,
});

// ---- running the corpus ------------------------------------------------------------------------------------

const instance = new PrivateLinkAttachmentConnectionProvider();

interface Answer {
  inputs: Props;
  failures: CheckFailure[];
}

type Layer = [string, (news: unknown) => Promise<Answer>];
const LAYERS: Layer[] = [
  ["checkInputs", async (news) => checkInputs(news as Props)],
  ["provider.check", async (news) => (await instance.check({}, news as Props)) as Answer],
  ["handle.check (what the plugin calls)", async (news) => (await handle.check!({}, news)) as Answer],
];

/** As the engine sends them: with __provider (when the arguments are an object at all). */
function withProvider(args: unknown): unknown {
  if (typeof args !== "object" || args === null || Array.isArray(args)) return args;
  // defineProperty, not assignment: an own "__proto__" key (from JSON) must stay an own key.
  const copy = Object.create(Object.getPrototypeOf(args) as object | null) as Props;
  for (const [key, value] of [...Object.entries(args), ["__provider", MARKER]]) {
    Object.defineProperty(copy, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return copy;
}

async function answer(layer: Layer, name: string, args: unknown): Promise<Answer> {
  let result: Answer;
  try {
    result = await layer[1](withProvider(args));
  } catch (e) {
    assert.fail(`${layer[0]} threw on ${name}: ${(e as Error)?.stack ?? String(e)}`);
  }
  assert.ok(result && Array.isArray(result.failures), `${layer[0]} on ${name}: no failures array`);
  return result;
}

/** The path a failure is about: its reason starts with it; `property` is the top-level input it belongs to. */
function pathOf(f: CheckFailure): string {
  if (f.property === "args" || f.reason.startsWith(`${f.property} `)) return f.property;
  return f.reason.slice(0, f.reason.indexOf(" "));
}

function sorted(list: string[]): string[] {
  return [...list].sort();
}

describe("malformed arguments: each rejected with the exact property, never an exception", () => {
  test(`the corpus is large enough (${invalid.length} invalid, ${valid.length} valid)`, (t) => {
    assert.ok(invalid.length >= 100, `${invalid.length} invalid cases`);
    assert.ok(valid.length >= 20, `${valid.length} valid cases`);
    const names = new Set(invalid.map((c) => c.name));
    t.diagnostic(`invalid: ${invalid.length} (${names.size} distinct names), valid: ${valid.length}`);
  });

  for (const layer of LAYERS) {
    test(`${layer[0]}: every invalid case`, async () => {
      const problems: string[] = [];
      for (const c of invalid) {
        const { failures, inputs } = await answer(layer, c.name, c.args);
        const got = sorted(failures.map(pathOf));
        if (JSON.stringify(got) !== JSON.stringify(sorted(c.properties))) {
          problems.push(`${c.name}: expected failures on [${sorted(c.properties).join(", ")}], got [${got.join(", ")}] ${JSON.stringify(failures).slice(0, 300)}`);
          continue;
        }
        for (const f of failures) {
          // "args" (not an object at all) is the one failure whose reason says "resource arguments …".
          const subject = f.property === "args" ? "resource arguments" : pathOf(f);
          if (typeof f.reason !== "string" || !f.reason.startsWith(subject)) problems.push(`${c.name}: reason does not start with its property: ${f.reason}`);
          else if (f.property !== "args" && f.property !== subject.split(/[.[]/, 1)[0]) problems.push(`${c.name}: property ${f.property} is not the top-level input of ${subject}`);
          // Short even for 1 M-character values: reasons are shown by the CLI and must not dump the value.
          else if (f.reason.length > 500) problems.push(`${c.name}: reason of ${f.reason.length} characters`);
        }
        // An offending value is never handed on as if it were valid.
        for (const property of c.properties) {
          const [head, leaf] = property.split(".");
          if (head === "args" || head === undefined) continue;
          const kept = inputs && Object.prototype.hasOwnProperty.call(inputs, head) ? inputs[head] : undefined;
          if (leaf === undefined && kept !== undefined && kept !== U && property !== "aws" && property !== "azure" && property !== "gcp") {
            problems.push(`${c.name}: ${property} kept in inputs as ${show(kept)}`);
          }
        }
      }
      assert.deepEqual(problems, [], `${problems.length} of ${invalid.length} cases wrong:\n${problems.join("\n")}`);
    });
  }

  test("the three layers answer identically", async () => {
    for (const c of invalid) {
      const [a, b, h] = await Promise.all(LAYERS.map((layer) => answer(layer, c.name, c.args)));
      assert.deepEqual(b!.failures, a!.failures, c.name);
      assert.deepEqual(h!.failures, a!.failures, c.name);
    }
  });

  test("look-alikes and invisible characters are pointed out in the reason", async () => {
    const cases: Array<[Props, string, RegExp]> = [
      [at(awsBase, ["environment", "id"], "\u0435nv-abc123"), "environment.id", /character 1 is U\+0435/],
      [at(awsBase, ["privateLinkAttachment", "id"], "pl\u0430tt-abc123"), "privateLinkAttachment.id", /character 3 is U\+0430/],
      [at(awsBase, ["aws", "vpcEndpointId"], "vpc\u0435-0ed4"), "aws.vpcEndpointId", /character 4 is U\+0435/],
      [at(awsBase, ["environment", "id"], "env-abc\u200d"), "environment.id", /U\+200D/],
      [at(awsBase, ["environment", "id"], "\u200fenv-abc"), "environment.id", /character 1 is U\+200F/],
      [at(azureBase, ["azure", "privateEndpointResourceId"], `${AZURE_ID}\u200d`), "azure.privateEndpointResourceId", /U\+200D/],
      [at(gcpBase, ["gcp", "privateServiceConnectConnectionId"], "\uff11\uff12"), "gcp.privateServiceConnectConnectionId", /character 1 is U\+FF11/],
    ];
    for (const [args, property, pattern] of cases) {
      const { failures } = await instance.check({}, { ...args, __provider: MARKER });
      assert.equal(failures?.length, 1, JSON.stringify(failures));
      assert.equal(pathOf(failures[0]!), property);
      assert.equal(failures[0]!.property, property.split(".")[0]);
      assert.match(failures[0]!.reason, pattern);
    }
  });

  test("1 M-character values are rejected with short reasons (the value is never echoed)", async () => {
    const { failures } = await instance.check({}, {
      __provider: MARKER, displayName: [ONE_M], environment: { id: ONE_M }, privateLinkAttachment: { id: ONE_M }, aws: { vpcEndpointId: ONE_M },
      timeouts: { create: ONE_M, update: "1".repeat(1_000_000), delete: `${"1m".repeat(500_000)}x` }, adoptExisting: ONE_M,
    });
    assert.deepEqual(sorted(failures!.map(pathOf)), sorted([
      "displayName", "environment.id", "privateLinkAttachment.id", "aws.vpcEndpointId", "timeouts.create", "timeouts.update", "timeouts.delete", "adoptExisting",
    ]));
    for (const f of failures!) assert.ok(f.reason.length < 400, `${f.property}: ${f.reason.length} characters`);
    // Each huge string is refused on its length, before any pattern runs on it: the cost is a comparison, whatever the
    // patterns (a pattern that backtracks badly on such input can never be reached by it).
    const reasonOf = (path: string) => failures!.find((f) => pathOf(f) === path)!.reason;
    for (const path of ["environment.id", "privateLinkAttachment.id", "aws.vpcEndpointId"]) assert.match(reasonOf(path), /is too long \(1000000 characters, at most \d+\)/, path);
    for (const [path, length] of [["timeouts.create", 1_000_000], ["timeouts.update", 1_000_000], ["timeouts.delete", 1_000_001]] as const) {
      assert.match(reasonOf(path), new RegExp(`duration is too long \\(${length} characters, at most \\d+\\)`), path);
    }
  });
});

describe("valid arguments: accepted with no failures", () => {
  for (const layer of LAYERS) {
    test(`${layer[0]}: every valid case`, async () => {
      for (const c of valid) {
        const { inputs, failures } = await answer(layer, c.name, c.args);
        assert.deepEqual(failures, [], `${c.name}: ${JSON.stringify(failures)}`);
        const { __provider, ...rest } = inputs;
        assert.equal(__provider, MARKER, `${c.name}: __provider passed through`);
        assert.deepEqual({ ...rest }, { ...(c.expected ?? c.args) }, c.name);
      }
    });
  }

  test("unknown values survive check untouched in every field", async () => {
    const everyLeaf = valid.find((c) => c.name === "every leaf unknown")!;
    const { inputs } = await instance.check({}, { ...everyLeaf.args, __provider: MARKER });
    const leaves: unknown[] = [];
    const walk = (v: unknown): void => {
      if (typeof v === "object" && v !== null) for (const x of Object.values(v)) walk(x);
      else leaves.push(v);
    };
    const { __provider: _p, ...rest } = inputs!;
    walk(rest);
    assert.equal(leaves.length, 8);
    assert.ok(leaves.every((v) => v === U));
  });
});
