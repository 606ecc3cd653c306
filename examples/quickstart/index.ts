// Entry point of the quickstart project (Pulumi.yaml at the repository root runs the compiled file with a full
// Pulumi install; `npm run demo` runs the same program inline).
import { quickstart } from "./program";

export = quickstart();
