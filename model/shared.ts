// What both kinds' reference models share: the steering a program may set, and the failure a command must report.

export type Timeouts = { create?: string; delete?: string } | undefined;

/** A failure a command must report: on this resource, naming this id, saying this. */
export interface ExpectedFailure {
  name: string;
  id?: string;
  says: RegExp;
}

export function sameTimeouts(a: Timeouts, b: Timeouts): boolean {
  const canonical = (t: Timeouts) => JSON.stringify(Object.entries(t ?? {}).filter(([, v]) => v !== undefined).sort());
  return canonical(a) === canonical(b);
}
