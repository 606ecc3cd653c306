// The resource users declare: `new PrivateLinkAttachment(name, { cloud, region, displayName?, environment }, opts)`,
// with pulumi-confluentcloud's argument names.
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import handle = require("../attachment-handle");
import { ATTACHMENT_OUTPUT_KEYS, type AttachmentInputs, type AttachmentState } from "./model";

/** The attachment's inputs (model.ts), each one a pulumi.Input. */
export interface PrivateLinkAttachmentArgs {
  cloud: pulumi.Input<string>;
  region: pulumi.Input<string>;
  displayName?: pulumi.Input<string>;
  environment: pulumi.Input<{ id: pulumi.Input<string> }>;
  timeouts?: pulumi.Input<{ create?: pulumi.Input<string>; update?: pulumi.Input<string>; delete?: pulumi.Input<string> }>;
  adoptExisting?: pulumi.Input<boolean>;
}

/** What `PrivateLinkAttachment.get` may be told: only `environment` is used (when the id does not carry it). */
export interface PrivateLinkAttachmentState {
  environment?: pulumi.Input<{ id: pulumi.Input<string> }>;
}

type Outputs = { readonly [K in keyof AttachmentState]-?: pulumi.Output<AttachmentState[K]> } & {
  readonly timeouts: pulumi.Output<AttachmentInputs["timeouts"]>;
  readonly adoptExisting: pulumi.Output<boolean | undefined>;
};

const MODULE = "confluentcloud";
const NAME = "PrivateLinkAttachment";
const TYPE = `pulumi-nodejs:dynamic/${MODULE}:${NAME}`;

const OUTPUT_PLACEHOLDERS = Object.fromEntries(ATTACHMENT_OUTPUT_KEYS.map((key) => [key, undefined]));
const SPEC_PLACEHOLDERS = { cloud: undefined, region: undefined, displayName: undefined, environment: undefined };

/** As for connections: only from a node_modules folder does Pulumi write `__provider` as a require() of the installed module. */
const INSTALLED = __dirname.split(path.sep).includes("node_modules");

export interface PrivateLinkAttachment extends Outputs {}

export class PrivateLinkAttachment extends pulumi.dynamic.Resource {
  /**
   * The existing attachment `id`, read through the engine (the provider's `read`) and not managed: `pulumi destroy`
   * leaves it. The id is `env-…/platt-…` (the import id of pulumi-confluentcloud and Terraform), or `platt-…` with
   * `state.environment`.
   */
  static get(name: string, id: pulumi.Input<pulumi.ID>, state?: PrivateLinkAttachmentState, opts?: pulumi.CustomResourceOptions): PrivateLinkAttachment {
    return new PrivateLinkAttachment(name, { environment: state?.environment } as PrivateLinkAttachmentArgs, { ...opts, id });
  }

  /** Whether `obj` is a PrivateLinkAttachment of this package, also from another copy of it. */
  static override isInstance(obj: unknown): obj is PrivateLinkAttachment {
    return typeof obj === "object" && obj !== null && (obj as { __pulumiType?: unknown }).__pulumiType === TYPE;
  }

  constructor(name: string, args: PrivateLinkAttachmentArgs, opts?: pulumi.CustomResourceOptions) {
    if (!INSTALLED) {
      throw new Error(
        `pulumi-confluent-plattc is loaded from ${__dirname}, outside any node_modules folder: Pulumi would copy its code into `
        + "the state of every resource. Install it into the project from its npm pack tarball "
        + "(npm install <path>/pulumi-confluent-plattc-<version>.tgz), not as a file: dependency on a folder or with npm link.",
      );
    }
    super(handle, name, {
      ...SPEC_PLACEHOLDERS,
      timeouts: undefined,
      adoptExisting: undefined,
      ...args,
      // The provider puts its progress lines on this row. Never diffed.
      __urn: pulumi.createUrn(name, TYPE, opts?.parent),
      ...OUTPUT_PLACEHOLDERS,
    }, opts, MODULE, NAME);
  }
}
