// The resource users declare: `new PrivateLinkAttachmentConnection(name, args, opts)`.
import * as pulumi from "@pulumi/pulumi";
import serializableProvider = require("./handle");
import { OUTPUT_ONLY_KEYS, type ConnectionInputs, type ConnectionState } from "./model";

/** Every value of T, at every depth, may be a pulumi.Input. */
type Inputs<T> = { [K in keyof T]: pulumi.Input<NonNullable<T[K]> extends object ? Inputs<NonNullable<T[K]>> : T[K]> };

/** The connection's inputs (model.ts), each one a pulumi.Input. Exactly one of aws, azure, gcp. */
export interface PrivateLinkAttachmentConnectionArgs extends Inputs<ConnectionInputs> {}

/** Every property of the connection's state (model.ts) as an Output of the resource. */
type Outputs = { readonly [K in keyof ConnectionState]-?: pulumi.Output<ConnectionState[K]> };

const MODULE = "confluentcloud";
const NAME = "PrivateLinkAttachmentConnection";
/** The type token dynamic.Resource gives it. */
const TYPE = `pulumi-nodejs:dynamic/${MODULE}:${NAME}`;

/** Output-only properties, declared as undefined inputs so that the SDK makes them Outputs of the resource. */
const OUTPUT_PLACEHOLDERS = Object.fromEntries(OUTPUT_ONLY_KEYS.map((key) => [key, undefined]));

// ---- no stack traces for the property promises ------------------------------------------------------------------
//
// The SDK records a stack trace on every promise it makes for a property (four per property, for its promise-leak
// report: runtime/debuggable.js does `new Error().stack` unconditionally), and under ts-node each goes through
// source-map lookups: with a connection's dozen properties that was most of what a preview spent per resource beyond
// a bare dynamic resource. The SDK has no setting for it, makes the promises whatever the values (resolved or not),
// and V8's only control is the process-wide Error.stackTraceLimit. So that limit is 0 exactly while the SDK makes
// those promises, and at no other time:
// - from the SDK's first assignment after the transformations (`this.__name = name`): transformations, the stack's
//   included, are the program's code and run before it, with the program's limit;
// - to the SDK's assignment of the last property, `__provider` (dynamic.Resource appends it to the properties):
//   what follows keeps its stack, such as the error the SDK prepares for a registration the engine refuses.
// In between only the SDK runs (the URN, the id and the property Outputs; Resource.callsites sets its own limit).
// Both moments are caught by accessors on the class's prototype, which turn the SDK's assignment into the own
// property a plain assignment makes. Should the SDK ever assign otherwise, the window does not open (a preview
// costs what it does for any resource), or closes when the constructor returns (as before), and
// test/provider/resource.test.ts says which.

/** Error.stackTraceLimit before the window opened; undefined while it is closed (one constructor runs at a time). */
let limitOutside: number | undefined;

function openWindow(): void {
  if (limitOutside !== undefined) return;
  limitOutside = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
}

/** Closes the window; whether it was open. */
function closeWindow(): boolean {
  if (limitOutside === undefined) return false;
  Error.stackTraceLimit = limitOutside;
  limitOutside = undefined;
  return true;
}

/** Makes the first assignment of `key` on an instance an own, enumerable, writable property, then runs `then`. */
function onAssignment(prototype: object, key: string, then: () => unknown): void {
  Object.defineProperty(prototype, key, {
    configurable: true,
    enumerable: false,
    get: () => undefined,
    set(this: object, value: unknown) {
      Object.defineProperty(this, key, { value, writable: true, enumerable: true, configurable: true });
      then();
    },
  });
}

// The outputs are declared once, by the model: the class and this interface merge.
export interface PrivateLinkAttachmentConnection extends Outputs {}

export class PrivateLinkAttachmentConnection extends pulumi.dynamic.Resource {
  constructor(name: string, args: PrivateLinkAttachmentConnectionArgs, opts?: pulumi.CustomResourceOptions) {
    try {
      super(serializableProvider, name, {
        ...args,
        // The provider is not told which resource it serves; it puts its progress lines on this row. Never diffed.
        __urn: pulumi.createUrn(name, TYPE, opts?.parent),
        ...OUTPUT_PLACEHOLDERS,
      }, opts, MODULE, NAME);
    } catch (error) {
      // Thrown while the window was open: the error has no stack of its own; give it the caller's.
      if (closeWindow() && error instanceof Error) Error.captureStackTrace(error, PrivateLinkAttachmentConnection);
      throw error;
    } finally {
      closeWindow();
    }
  }
}

onAssignment(PrivateLinkAttachmentConnection.prototype, "__name", openWindow);
onAssignment(PrivateLinkAttachmentConnection.prototype, "__provider", closeWindow);
