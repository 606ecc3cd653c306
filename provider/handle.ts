// What every resource carries in its state as `__provider`.
//
// dynamic.Resource serializes the provider object into each resource's state. This module's exports ARE the
// provider object, and the package is installed in a node_modules folder (resource.ts declares no connection
// otherwise): the serializer recognises a module there and writes a require() of the installed file, so each
// resource carries 287 bytes and runs the code of the installed version. The dynamic-provider process requires
// this module once and serves every resource with it. The provider's implementation (and its HTTP stack) loads on
// the first create, read, update or delete: a program and a preview, which only check and diff, never load it.
import type * as pulumi from "@pulumi/pulumi";
import type { CheckedInputs } from "./connection/inputs";
import * as preview from "./connection/preview";
import type * as Implementation from "./connection/provider";

type Provider = Implementation.PrivateLinkAttachmentConnectionProvider;
type Props = Record<string, unknown>;

/** The stack config `configure` received, for the provider made on first use. */
let config: pulumi.dynamic.ConfigureRequest | undefined;
let instance: Provider | undefined;

/** One provider per dynamic-provider process, shared by every resource it serves, configured when created. */
function provider(): Provider {
  if (!instance) {
    const implementation = require("./connection/provider") as typeof Implementation;
    instance = new implementation.PrivateLinkAttachmentConnectionProvider();
    if (config) void instance.configure(config);
  }
  return instance;
}

/** Runs an API hook on the provider, with the URN of the resource it serves (`props.__urn`) at hand. */
function onResource<T>(props: unknown, hook: (instance: Provider) => Promise<T>): Promise<T> {
  const p = provider();
  return p.forResource(props, () => hook(p));
}

const handle: pulumi.dynamic.ResourceProvider = {
  configure: async (req) => {
    config = req;
    await instance?.configure(req);
  },
  check: (olds: Props, news: Props) => preview.check(olds, news),
  diff: (id: string, olds: Props, news: Props) => preview.diff(id, olds, news),
  create: (inputs: CheckedInputs) => onResource(inputs, (p) => p.create(inputs)),
  read: (id: string, props: Props) => onResource(props, (p) => p.read(id, props)),
  update: (id: string, olds: Props, news: CheckedInputs) => onResource(news, (p) => p.update(id, olds, news)),
  delete: (id: string, props: Props) => onResource(props, (p) => p.delete(id, props)),
};

export = handle;
