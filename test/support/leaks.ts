// Canary scanning for the credential-hygiene tests: any 10-character piece of a canary found in a text is a leak
// (a truncated message must not keep half a secret), looked for in every way an error or a value reaches a user,
// a log or the engine, and in everything the test process writes to stdout and stderr.
import assert from "node:assert/strict";
import { inspect } from "node:util";

const WINDOW = 10;

export function json(value: unknown): string {
  try {
    return JSON.stringify(value) ?? "undefined";
  } catch (e) {
    return `<JSON.stringify threw: ${(e as Error).message}>`;
  }
}

/** Every way an error reaches a user, a log or the engine. */
function renderings(error: any): Record<string, string> {
  return {
    message: String(error?.message),
    stack: String(error?.stack),
    "String()": String(error),
    "util.inspect(showHidden)": inspect(error, { showHidden: true, depth: 10 }),
    "JSON.stringify": json(error),
    properties: json(error?.properties),
    reasons: json(error?.reasons),
    cause: inspect(error?.cause, { showHidden: true, depth: 10 }),
  };
}

/** Functions, not methods: callers destructure them. */
export interface LeakScan {
  leaksIn: (text: string) => string[];
  assertNoLeak: (label: string, text: string) => void;
  assertErrorClean: (label: string, error: unknown) => void;
  assertValueClean: (label: string, value: unknown) => void;
}

/**
 * `canaries` is read at each scan (a test may add tokens as they are issued); `secretPart` picks what of a canary
 * must never appear (e.g. a JWT without its header, which every token shares).
 */
export function leakScan(canaries: () => Record<string, string>, secretPart: (canary: string) => string = (c) => c): LeakScan {
  const leaksIn = (text: string): string[] => {
    const found: string[] = [];
    for (const [name, canary] of Object.entries(canaries())) {
      const secret = secretPart(canary);
      for (let i = 0; i + WINDOW <= secret.length; i++) {
        if (text.includes(secret.slice(i, i + WINDOW))) {
          found.push(`${name} (characters ${i}..${i + WINDOW - 1})`);
          break;
        }
      }
    }
    return found;
  };
  const assertNoLeak = (label: string, text: string): void => {
    const found = leaksIn(text);
    assert.deepEqual(found, [], `${label} leaks ${found.join(", ")}`);
  };
  return {
    leaksIn,
    assertNoLeak,
    assertErrorClean(label, error) {
      assert.ok(error instanceof Error, `${label}: not an Error: ${inspect(error)}`);
      for (const [how, text] of Object.entries(renderings(error))) assertNoLeak(`${label} — ${how}`, text);
    },
    assertValueClean(label, value) {
      assertNoLeak(`${label} (JSON)`, json(value));
      assertNoLeak(`${label} (inspect)`, inspect(value, { showHidden: true, depth: 10 }));
    },
  };
}

/** The part of an OAuth token that must never appear: a JWT-shaped token's header is the same for every token and no secret. */
export function tokenSecretPart(canary: string): string {
  return canary.includes(".") ? canary.slice(canary.indexOf(".") + 1) : canary;
}

/** Records everything written to process.stdout and process.stderr (still writing it through) until restored. */
export function captureConsole(): { text(): string; restore(): void } {
  let written = "";
  const originals = { stdout: process.stdout.write.bind(process.stdout), stderr: process.stderr.write.bind(process.stderr) };
  const capture = (original: typeof process.stdout.write): typeof process.stdout.write =>
    ((chunk: unknown, ...rest: unknown[]) => {
      written += typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString("utf8");
      return (original as (...args: unknown[]) => boolean)(chunk, ...rest);
    });
  process.stdout.write = capture(originals.stdout);
  process.stderr.write = capture(originals.stderr);
  return {
    text: () => written,
    restore() {
      process.stdout.write = originals.stdout;
      process.stderr.write = originals.stderr;
    },
  };
}
