// A kind's handle: the provider object every resource of the kind carries in its state as `__provider` (a require()
// of the kind's installed handle module, whose exports it is). check and diff answer from the kind's preview; the
// kind's provider (and the HTTP stack under it) is made on the first create, read, update or delete, once per
// dynamic-provider process, and serves every resource of the kind there.
import type * as pulumi from "@pulumi/pulumi";

type Props = Record<string, unknown>;

/** What a handle needs of a kind's provider class. */
export interface KindProvider<Inputs> {
  configure(req: pulumi.dynamic.ConfigureRequest): Promise<void>;
  /** Runs one hook with the URN of the resource it serves (`props.__urn`) at hand, for its progress lines. */
  forResource<T>(props: unknown, hook: () => Promise<T>): Promise<T>;
  create(inputs: Inputs): Promise<pulumi.dynamic.CreateResult>;
  read(id: string, props: Props): Promise<pulumi.dynamic.ReadResult>;
  update(id: string, olds: Props, news: Inputs): Promise<pulumi.dynamic.UpdateResult>;
  delete(id: string, props: Props): Promise<void>;
}

/** What a preview runs: local, no request, no HTTP client loaded. */
export interface KindPreview {
  check(olds: Props, news: Props): Promise<pulumi.dynamic.CheckResult>;
  diff(id: string, olds: Props, news: Props): Promise<pulumi.dynamic.DiffResult>;
}

export function handleFor<Inputs>(preview: KindPreview, makeProvider: () => KindProvider<Inputs>): pulumi.dynamic.ResourceProvider {
  /** The stack config `configure` received, for the provider made on first use. */
  let config: pulumi.dynamic.ConfigureRequest | undefined;
  let instance: KindProvider<Inputs> | undefined;
  const provider = (): KindProvider<Inputs> => {
    if (!instance) {
      instance = makeProvider();
      if (config) void instance.configure(config);
    }
    return instance;
  };
  const onResource = <T>(props: unknown, hook: (p: KindProvider<Inputs>) => Promise<T>): Promise<T> => {
    const p = provider();
    return p.forResource(props, () => hook(p));
  };
  return {
    configure: async (req) => {
      config = req;
      await instance?.configure(req);
    },
    check: (olds: Props, news: Props) => preview.check(olds, news),
    diff: (id: string, olds: Props, news: Props) => preview.diff(id, olds, news),
    create: (inputs: Inputs) => onResource(inputs, (p) => p.create(inputs)),
    read: (id: string, props: Props) => onResource(props, (p) => p.read(id, props)),
    update: (id: string, olds: Props, news: Inputs) => onResource(news, (p) => p.update(id, olds, news)),
    delete: (id: string, props: Props) => onResource(props, (p) => p.delete(id, props)),
  };
}
