// The repository root: the nearest folder above this compiled file whose package.json is this package's.
import * as path from "node:path";

function findRepoRoot(): string {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    try {
      if ((require(path.join(dir, "package.json")) as { name?: string }).name === "pulumi-confluent-plattc") return dir;
    } catch {
      // keep looking
    }
  }
  return process.cwd();
}

export const REPO_ROOT = findRepoRoot();
