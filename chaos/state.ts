// Engine-shaped data of a chaos schedule: property bags as the engine hands them over, with the `__provider` the
// engine puts into every resource's inputs and state.
import { GENEROUS_TIMEOUT } from "./plan";

const MARKER = "chaos";

export function engineProps<T extends object>(props: T): T & { __provider: string } {
  return { ...props, __provider: MARKER };
}

/** What a user raises the timeouts to before the next command, after one passed. */
export function withGenerousTimeouts<T extends object>(props: T): T {
  return { ...props, timeouts: { create: GENEROUS_TIMEOUT, update: GENEROUS_TIMEOUT, delete: GENEROUS_TIMEOUT } };
}
