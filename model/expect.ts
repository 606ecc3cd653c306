// What every command of the model builds on: the fast-check command type, the mismatch a comparison throws, and the
// edits (of the program, or made outside Pulumi) that no CLI command sees until it runs.
import type * as fc from "fast-check";
import type { Reference } from "./reference";
import type { System } from "./system";

export type Command = fc.AsyncCommand<Reference, System, false>;

/** A mismatch between the model and what a user sees. */
class ModelMismatch extends Error {}

export function expect(condition: boolean, what: string, detail: () => string = () => ""): void {
  if (!condition) throw new ModelMismatch(`${what}${detail() ? `\n${detail()}` : ""}`);
}

export const show = (x: unknown) => JSON.stringify(x, (_k, v: unknown): unknown => (v instanceof Map ? Object.fromEntries(v) : v));

export function tail(text: string): string {
  return text.split("\n").slice(-40).join("\n");
}

/** A change of the program or of the API that no CLI command sees until it runs. */
export class Edit implements Command {
  constructor(
    private readonly label: string,
    private readonly applies: (m: Reference) => boolean,
    private readonly apply: (m: Reference, r: System) => void,
  ) {}
  check(m: Reference): boolean {
    return this.applies(m);
  }
  async run(m: Reference, r: System): Promise<void> {
    this.apply(m, r);
  }
  toString(): string {
    return this.label;
  }
}
