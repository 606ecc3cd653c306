// Validates bodies against the schemas of Confluent's OpenAPI spec (spec/confluent-api/openapi.yaml).
import { readFileSync } from "node:fs";
import * as path from "node:path";
import Ajv, { type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import { parse } from "yaml";
import { REPO_ROOT } from "../../scripts/repo-root";

export const SPEC_DIR = path.join(REPO_ROOT, "spec/confluent-api");
/** Bodies recorded from the real API. */
export const RECORDED_DIR = path.join(SPEC_DIR, "recorded");

type Json = Record<string, unknown>;
const SPEC_ID = "https://spec.invalid/openapi.json";

/** OpenAPI 3.0 keywords ajv does not take as JSON Schema: drop them (discriminators are redundant with the kind enums). */
function toJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (typeof node !== "object" || node === null) return node;
  const out: Json = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === "discriminator" || key === "example" || key === "examples" || key.startsWith("x-")) continue;
    out[key] = toJsonSchema(value);
  }
  if (out.nullable === true && typeof out.type === "string") {
    out.type = [out.type, "null"];
  }
  delete out.nullable;
  return out;
}

let cached: { spec: Json; ajv: Ajv } | undefined;

function load(): { spec: Json; ajv: Ajv } {
  if (!cached) {
    const spec = parse(readFileSync(path.join(SPEC_DIR, "openapi.yaml"), "utf8")) as Json;
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addFormat("int32", { type: "number", validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 });
    ajv.addSchema({ $id: SPEC_ID, components: toJsonSchema(spec.components) });
    cached = { spec, ajv };
  }
  return cached;
}

const validators = new Map<string, ValidateFunction>();

function pointerEscape(segment: string): string {
  return segment.replace(/~/g, "~0").replace(/\//g, "~1");
}

/** The schema the spec declares for a response, or undefined when it declares no body (e.g. 429, 204). */
function responseSchema(route: string, method: string, status: number): unknown {
  const { spec } = load();
  const operation = ((spec.paths as Json)[route] as Json | undefined)?.[method.toLowerCase()] as Json | undefined;
  if (!operation) throw new Error(`the spec has no ${method} ${route}`);
  const responses = operation.responses as Json;
  let response = responses[String(status)] as Json | undefined;
  if (!response) throw new Error(`the spec declares no ${status} for ${method} ${route} (declared: ${Object.keys(responses).join(", ")})`);
  if (typeof response.$ref === "string") {
    const name = response.$ref.split("/").pop()!;
    response = ((spec.components as Json).responses as Json)[name] as Json;
  }
  const content = response.content as Json | undefined;
  return (content?.["application/json"] as Json | undefined)?.schema;
}

export function declaredStatuses(route: string, method: string): number[] {
  const { spec } = load();
  const operation = ((spec.paths as Json)[route] as Json)[method.toLowerCase()] as Json;
  return Object.keys(operation.responses as Json).map(Number);
}

/** Throws with ajv's errors when `body` does not match what the spec declares for that response. */
export function assertMatchesSpec(route: string, method: string, status: number, body: unknown): void {
  const key = `${method} ${route} ${status}`;
  let validate = validators.get(key);
  if (!validate) {
    const schema = responseSchema(route, method, status);
    if (schema === undefined) {
      if (body !== undefined) throw new Error(`${key}: the spec declares no body, got one`);
      return;
    }
    validate = load().ajv.compile(rewriteRefs(toJsonSchema(schema)) as Json);
    validators.set(key, validate);
  }
  if (!validate(body)) {
    throw new Error(`${key}: body does not match the spec: ${JSON.stringify(validate.errors?.slice(0, 5), null, 1)}\n${JSON.stringify(body).slice(0, 2000)}`);
  }
}

export function assertMatchesSchema(schemaName: string, body: unknown): void {
  const validate = load().ajv.getSchema(`${SPEC_ID}#/components/schemas/${pointerEscape(schemaName)}`);
  if (!validate) throw new Error(`no schema ${schemaName}`);
  if (!validate(body)) throw new Error(`${schemaName}: ${JSON.stringify(validate.errors?.slice(0, 5))}`);
}

function rewriteRefs(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(rewriteRefs);
  if (typeof node !== "object" || node === null) return node;
  const out: Json = {};
  for (const [key, value] of Object.entries(node)) {
    out[key] = key === "$ref" && typeof value === "string" && value.startsWith("#/") ? `${SPEC_ID}${value}` : rewriteRefs(value);
  }
  return out;
}
