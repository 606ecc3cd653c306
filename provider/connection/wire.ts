// The request bodies the provider sends for a connection (snake_case, as on the wire). Answers are not typed here:
// everything read from the server is untrusted, and model.ts narrows it field by field.

/** `kind` is bare (`AwsPrivateLinkAttachmentConnection`) or prefixed (`networking.v1.…`) on the wire. */
export type WireConnectionCloud =
  | { kind: string; vpc_endpoint_id: string }
  | { kind: string; private_endpoint_resource_id: string }
  | { kind: string; private_service_connect_connection_id: string };

export interface WireCreateRequest {
  spec: {
    display_name?: string;
    cloud: WireConnectionCloud;
    environment: { id: string };
    private_link_attachment: { id: string };
  };
}

export interface WireUpdateRequest {
  spec: {
    display_name?: string;
    environment: { id: string };
  };
}

