// What every resource carries in its state as `__provider`.
//
// dynamic.Resource serializes the provider object into each resource's state. Serializing the provider class
// would copy its code (and every local function it calls) into state. This module's exports ARE the provider
// object: when the package is installed in node_modules, the serializer recognises a module and writes a
// require() of the installed file instead, so each resource carries about a hundred bytes and runs the code of
// the installed version. (Used from source, local modules are copied by value; only this repository does that.)
import type * as pulumi from "@pulumi/pulumi";
import * as implementation from "./provider";

const SLOT = "pulumi-confluent-plattc/provider";

/** One provider per dynamic-provider process, shared by every resource it serves. */
function live(): implementation.PrivateLinkAttachmentConnectionProvider {
  const global = globalThis as unknown as Record<string, implementation.PrivateLinkAttachmentConnectionProvider | undefined>;
  return (global[SLOT] ??= new implementation.PrivateLinkAttachmentConnectionProvider());
}

const serializableProvider: pulumi.dynamic.ResourceProvider = {
  configure: (req) => live().configure(req),
  check: (olds, news) => live().check(olds, news),
  diff: (id, olds, news) => live().diff(id, olds, news),
  create: (inputs) => live().forResource(inputs, () => live().create(inputs)),
  read: (id, props) => live().forResource(props, () => live().read(id, props)),
  update: (id, olds, news) => live().forResource(news, () => live().update(id, olds, news)),
  delete: (id, props) => live().forResource(props, () => live().delete(id, props)),
};

export = serializableProvider;
