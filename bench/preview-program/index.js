// N connections on the emulator's seeded AWS attachment; `count` comes from the stack config.
const pulumi = require("@pulumi/pulumi");
const { PrivateLinkAttachmentConnection } = require("pulumi-confluent-plattc");

const count = new pulumi.Config().requireNumber("count");
for (let i = 0; i < count; i++) {
  new PrivateLinkAttachmentConnection(`c${i}`, {
    displayName: `bench-${i}`,
    environment: { id: "env-emu000" },
    privateLinkAttachment: { id: "platt-emuaws" },
    aws: { vpcEndpointId: `vpce-${(0xbe00 + i).toString(16).padStart(17, "0")}` },
  });
}
