// What every resource carries in its state as `__provider`.
//
// dynamic.Resource serializes the provider object into each resource's state. Serializing the provider class
// would copy its code (and every local function it calls) into state. This module's exports ARE the provider
// object: when the package is installed in node_modules, the serializer recognises a module and writes a
// require() of the installed file instead, so each resource carries about a hundred bytes and runs the code of
// the installed version. Installed, the provider's implementation (and its HTTP stack) loads on the first
// create, read, update or delete: a program and a preview, which only check and diff, never load it.
//
// By-value serialization from source (only this repository's tests do it) copies what each function captures,
// afresh on every call: it needs the implementation captured as a module (loaded eagerly below, never through a
// require() in a function body, which could not resolve in the plugin) and the live provider in a globalThis slot.
import * as path from "node:path";
import type * as pulumi from "@pulumi/pulumi";
import * as preview from "./preview";
import type * as Implementation from "./provider";

type Provider = Implementation.PrivateLinkAttachmentConnectionProvider;

const SLOT = "pulumi-confluent-plattc/provider";
const IMPLEMENTATION = "./provider";
const installed = __dirname.split(path.sep).includes("node_modules");
const eager = installed ? undefined : (require(IMPLEMENTATION) as typeof Implementation);

/** Per dynamic-provider process: the stack config `configure` received, and the provider once it is needed. */
interface Live {
  config?: pulumi.dynamic.ConfigureRequest;
  provider?: Provider;
}

function live(): Live {
  const global = globalThis as unknown as Record<string, Live | undefined>;
  return (global[SLOT] ??= {});
}

/** One provider per dynamic-provider process, shared by every resource it serves, configured when created. */
function provider(): Provider {
  const state = live();
  if (!state.provider) {
    const implementation = eager ?? (require(IMPLEMENTATION) as typeof Implementation);
    state.provider = new implementation.PrivateLinkAttachmentConnectionProvider();
    if (state.config) void state.provider.configure(state.config);
  }
  return state.provider;
}

/** Runs an API hook on the provider, with the URN of the resource it serves (`props.__urn`) at hand. */
function onResource<T>(props: unknown, hook: (instance: Provider) => Promise<T>): Promise<T> {
  const instance = provider();
  return instance.forResource(props, () => hook(instance));
}

const serializableProvider: pulumi.dynamic.ResourceProvider = {
  configure: async (req) => {
    const state = live();
    state.config = req;
    await state.provider?.configure(req);
  },
  check: (olds, news) => preview.check(olds, news),
  diff: (id, olds, news) => preview.diff(id, olds, news),
  create: (inputs) => onResource(inputs, (p) => p.create(inputs)),
  read: (id, props) => onResource(props, (p) => p.read(id, props)),
  update: (id, olds, news) => onResource(news, (p) => p.update(id, olds, news)),
  delete: (id, props) => onResource(props, (p) => p.delete(id, props)),
};

export = serializableProvider;
