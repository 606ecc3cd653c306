// What a preview runs for an attachment: `check` and `diff`, both local (no API request, no HTTP client loaded).
import type * as pulumi from "@pulumi/pulumi";
import { diffAttachment } from "./diff";
import { checkAttachmentInputs } from "./inputs";

type Props = Record<string, unknown>;

export async function check(_olds: Props, news: Props): Promise<pulumi.dynamic.CheckResult> {
  const { inputs, failures } = checkAttachmentInputs(news);
  return { inputs, failures };
}

export async function diff(_id: string, olds: Props, news: Props): Promise<pulumi.dynamic.DiffResult> {
  const { changes, replaces, deleteBeforeReplace, stables } = diffAttachment(olds, news);
  return { changes, replaces, deleteBeforeReplace, stables };
}
