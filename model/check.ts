// One model check: `runs` seeded sequences of user actions, each on a fresh stack and emulator, compared step by step
// with the reference model; a failing sequence is shrunk by fast-check to a shortest one that still fails.
import * as fc from "fast-check";
import { commandArbitrary, firstUp } from "./commands";
import { Reference } from "./reference";
import { System } from "./system";

export interface ModelOptions {
  runs: number;
  seed: number;
  /** Most actions in one sequence. */
  maxCommands: number;
  /** Connections on seeded attachments the program declares before the first action. */
  initialConnections?: number;
  /** Attachments the program declares before the first action, each with one connection on it. */
  initialAttachments?: number;
  /** Stop drawing new sequences (and shrinking) after this long. */
  timeLimitMs?: number;
  /** Told after each sequence: its actions and whether it passed. */
  onSequence?: (sequence: string, passed: boolean) => void;
}

export interface ModelResult {
  passed: boolean;
  sequences: number;
  actions: number;
  /** CLI commands run, by kind. */
  commands: Record<string, number>;
  /** The shortest failing sequence found, and why it failed. */
  counterexample?: string;
  error?: string;
}

export async function checkModel(options: ModelOptions): Promise<ModelResult> {
  const commands = new Map<string, number>();
  let sequences = 0;
  let actions = 0;
  // A plain array (fc.commands' lengths lean short) drawn at full size, so that sequences combine edits, changes outside
  // Pulumi and several CLI commands; no minimum length, so a failing one shrinks down to the actions that matter.
  const sequence = fc.array(commandArbitrary(), { maxLength: options.maxCommands, size: "max" });
  const property = fc.asyncProperty(sequence, async (cmds) => {
    const system = await System.start();
    let passed = false;
    try {
      await fc.asyncModelRun(() => ({ model: new Reference(options.initialConnections ?? 2, options.initialAttachments ?? 1), real: system }), [firstUp(), ...cmds]);
      passed = true;
    } finally {
      sequences++;
      actions += cmds.length;
      for (const [word, n] of system.commands) commands.set(word, (commands.get(word) ?? 0) + n);
      options.onSequence?.(String(cmds), passed);
      await system.dispose();
    }
  });
  const details = await fc.check(property, { numRuns: options.runs, seed: options.seed, interruptAfterTimeLimit: options.timeLimitMs, markInterruptAsFailure: false });
  const result: ModelResult = { passed: !details.failed, sequences, actions, commands: Object.fromEntries(commands) };
  if (details.failed) {
    result.counterexample = details.counterexample ? String(details.counterexample[0]) : undefined;
    result.error = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
  }
  return result;
}
