// What a preview runs: `check` and `diff`, both local (no API request, no HTTP client loaded).
import type * as pulumi from "@pulumi/pulumi";
import { diffConnection } from "./diff";
import { checkInputs, type CheckedInputs } from "./inputs";

type Props = Record<string, unknown>;

export async function check(_olds: Props, news: Props): Promise<pulumi.dynamic.CheckResult<CheckedInputs>> {
  const { inputs, failures } = checkInputs(news);
  return { inputs, failures };
}

export async function diff(_id: string, olds: Props, news: Props): Promise<pulumi.dynamic.DiffResult> {
  const { changes, replaces, deleteBeforeReplace, stables } = diffConnection(olds, news);
  return { changes, replaces, deleteBeforeReplace, stables };
}
