// What every connection carries in its state as `__provider`.
//
// dynamic.Resource serializes the provider object into each resource's state. This module's exports ARE the
// provider object, and the package is installed in a node_modules folder (resource.ts declares no connection
// otherwise): the serializer recognises a module there and writes a require() of the installed file, so each
// resource carries 287 bytes and runs the code of the installed version (stacks' states name this path: it stays).
// The provider's implementation loads on the first create, read, update or delete (core/handle.ts): a program and a
// preview, which only check and diff, never load it.
import type { CheckedInputs } from "./connection/inputs";
import * as preview from "./connection/preview";
import type * as Implementation from "./connection/provider";
import { handleFor } from "./core/handle";

export = handleFor<CheckedInputs>(preview, () => new (require("./connection/provider") as typeof Implementation).PrivateLinkAttachmentConnectionProvider());
