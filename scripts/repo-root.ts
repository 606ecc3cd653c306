// The repository root: the nearest folder above this compiled file whose package.json is this package's.
import { readFileSync } from "node:fs";
import * as path from "node:path";

function findRepoRoot(): string {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    try {
      const manifest = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as { name?: string };
      if (manifest.name === "pulumi-confluent-plattc") return dir;
    } catch {
      // keep looking
    }
  }
  return process.cwd();
}

export const REPO_ROOT = findRepoRoot();
