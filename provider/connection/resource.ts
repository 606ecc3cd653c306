// The resource users declare: `new PrivateLinkAttachmentConnection(name, args, opts)`.
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import handle = require("../handle");
import { OUTPUT_ONLY_KEYS, type ConnectionInputs, type ConnectionSpec, type ConnectionState } from "./model";

/**
 * Every value of T, at every depth, may be a pulumi.Input; an optional one may also be an Input that resolves to
 * undefined (e.g. `aws: useAws.apply((yes) => (yes ? { vpcEndpointId } : undefined))`, as pulumi-confluentcloud's
 * args allow). `check` still rejects what is wrong once the values are known.
 */
type Inputs<T> = { [K in keyof T]: pulumi.Input<NonNullable<T[K]> extends object ? Inputs<NonNullable<T[K]>> | Extract<T[K], undefined> : T[K]> };

/** The connection's inputs (model.ts), each one a pulumi.Input. Exactly one of aws, azure, gcp. */
export interface PrivateLinkAttachmentConnectionArgs extends Inputs<ConnectionInputs> {}

/**
 * What `PrivateLinkAttachmentConnection.get` may be told of the connection: every property optional, each an Input.
 * Only `environment` is used (when the id does not carry it); the others are the connection's outputs.
 */
export interface PrivateLinkAttachmentConnectionState extends OptionalInputs<ConnectionState> {}

/** Every property of T optional, each an Input that may resolve to undefined. */
type OptionalInputs<T> = { [K in keyof T]?: pulumi.Input<(NonNullable<T[K]> extends object ? Inputs<NonNullable<T[K]>> : NonNullable<T[K]>) | undefined> };

/** Every property of the connection's state (model.ts) as an Output of the resource. */
type Outputs = { readonly [K in keyof ConnectionState]-?: pulumi.Output<ConnectionState[K]> };

const MODULE = "confluentcloud";
const NAME = "PrivateLinkAttachmentConnection";
/** The type token dynamic.Resource gives it. */
const TYPE = `pulumi-nodejs:dynamic/${MODULE}:${NAME}`;

/** Output-only properties, declared as undefined inputs so that the SDK makes them Outputs of the resource. */
const OUTPUT_PLACEHOLDERS = Object.fromEntries(OUTPUT_ONLY_KEYS.map((key) => [key, undefined]));
/** The spec's properties, for the same reason: each one is an Output also when the args leave it out (a cloud not chosen, a `get`). */
const SPEC_PLACEHOLDERS: { [K in keyof Required<ConnectionSpec>]: undefined } = {
  displayName: undefined, environment: undefined, privateLinkAttachment: undefined, aws: undefined, azure: undefined, gcp: undefined,
};

/**
 * Whether this package is installed in a node_modules folder. Only there does Pulumi's closure serializer write the
 * handle into `__provider` as a require() of the installed module. From anywhere else (a `file:` dependency on a
 * folder, `npm link`: links Node follows to the folder itself) it would copy the code into every resource's state,
 * and that copy could not load the provider.
 */
const INSTALLED = __dirname.split(path.sep).includes("node_modules");

function notInstalled(): Error {
  return new Error(
    `pulumi-confluent-plattc is loaded from ${__dirname}, outside any node_modules folder: Pulumi would copy its code into `
    + "the state of every resource. Install it into the project from its npm pack tarball "
    + "(npm install <path>/pulumi-confluent-plattc-<version>.tgz), not as a file: dependency on a folder or with npm link.",
  );
}

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
  /**
   * The existing connection `id`, read through the engine (the provider's `read`) and not managed: `pulumi destroy`
   * leaves it. The id is `env-…/plattc-…` (the import id of pulumi-confluentcloud and Terraform), or `plattc-…` with
   * `state.environment`.
   */
  static get(name: string, id: pulumi.Input<pulumi.ID>, state?: PrivateLinkAttachmentConnectionState, opts?: pulumi.CustomResourceOptions): PrivateLinkAttachmentConnection {
    const known = { environment: state?.environment, privateLinkAttachment: state?.privateLinkAttachment };
    return new PrivateLinkAttachmentConnection(name, known as PrivateLinkAttachmentConnectionArgs, { ...opts, id });
  }

  /** Whether `obj` is a PrivateLinkAttachmentConnection, also when it comes from another copy of this package. */
  static override isInstance(obj: unknown): obj is PrivateLinkAttachmentConnection {
    return typeof obj === "object" && obj !== null && (obj as { __pulumiType?: unknown }).__pulumiType === TYPE;
  }

  constructor(name: string, args: PrivateLinkAttachmentConnectionArgs, opts?: pulumi.CustomResourceOptions) {
    if (!INSTALLED) throw notInstalled();
    try {
      super(handle, name, {
        ...SPEC_PLACEHOLDERS,
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
