// Run as a script (test/provider/resource.test.ts): a connection whose registration the engine (mocked) refuses.
// The SDK rejects the registration with an error it made while the connection was constructed, and the program's
// runtime reports it as unhandled with its stack: this prints that stack, as JSON, once.
// Its argument is a program folder that installed the package (support/installed.ts): only from there is it declared.
import * as pulumi from "@pulumi/pulumi";
import { installedPackage } from "./installed";

const { PrivateLinkAttachmentConnection } = installedPackage(process.argv[2]!);

let printed = false;
process.on("unhandledRejection", (error: unknown) => {
  if (printed) return;
  printed = true;
  console.log(JSON.stringify({ message: (error as Error).message, stack: (error as Error).stack }));
});

/** What the program does: declares one connection. */
function declareConnection(): void {
  new PrivateLinkAttachmentConnection("refused", {
    environment: { id: "env-abc123" },
    privateLinkAttachment: { id: "platt-abc123" },
    aws: { vpcEndpointId: "vpce-0123456789abcdef0" },
  });
}

void pulumi.runtime
  .setMocks({ newResource: () => { throw new Error("the engine refused it"); }, call: (args) => args.inputs }, "project", "stack", true)
  .then(declareConnection);
