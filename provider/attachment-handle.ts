// What every private link attachment carries in its state as `__provider`: a require() of this installed module, as
// for connections (handle.ts); its implementation loads on the first create, read, update or delete.
import type { CheckedAttachmentInputs } from "./attachment/inputs";
import * as preview from "./attachment/preview";
import type * as Implementation from "./attachment/provider";
import { handleFor } from "./core/handle";

export = handleFor<CheckedAttachmentInputs>(preview, () => new (require("./attachment/provider") as typeof Implementation).PrivateLinkAttachmentProvider());
