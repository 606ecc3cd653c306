// What every private link attachment carries in its state as `__provider`: a require() of this installed module, as
// for connections (handle.ts). Its exports ARE the provider object; the provider's implementation (and its HTTP
// stack) loads on the first create, read, update or delete: a program and a preview, which only check and diff,
// never load it.
import type * as pulumi from "@pulumi/pulumi";
import * as preview from "./attachment/preview";
import type { CheckedAttachmentInputs } from "./attachment/inputs";
import type * as Implementation from "./attachment/provider";

type Provider = Implementation.PrivateLinkAttachmentProvider;

/** The stack config `configure` received, for the provider made on first use. */
let config: pulumi.dynamic.ConfigureRequest | undefined;
let instance: Provider | undefined;

/** One provider per dynamic-provider process, shared by every attachment it serves, configured when created. */
function provider(): Provider {
  if (!instance) {
    const implementation = require("./attachment/provider") as typeof Implementation;
    instance = new implementation.PrivateLinkAttachmentProvider();
    if (config) void instance.configure(config);
  }
  return instance;
}

function onResource<T>(props: unknown, hook: (instance: Provider) => Promise<T>): Promise<T> {
  const p = provider();
  return p.forResource(props, () => hook(p));
}

type Props = Record<string, unknown>;

const handle: pulumi.dynamic.ResourceProvider = {
  configure: async (req) => {
    config = req;
    await instance?.configure(req);
  },
  check: (olds: Props, news: Props) => preview.check(olds, news),
  diff: (id: string, olds: Props, news: Props) => preview.diff(id, olds, news),
  create: (inputs: CheckedAttachmentInputs) => onResource(inputs, (p) => p.create(inputs)),
  read: (id: string, props: Props) => onResource(props, (p) => p.read(id, props)),
  update: (id: string, olds: Props, news: CheckedAttachmentInputs) => onResource(news, (p) => p.update(id, olds, news)),
  delete: (id: string, props: Props) => onResource(props, (p) => p.delete(id, props)),
};

export = handle;
