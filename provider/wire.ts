// JSON shapes exchanged with the Confluent Cloud networking/v1 API (snake_case, as on the wire): the request bodies
// sent and the error body read. Everything read from the server is treated as untrusted: optional fields may be
// missing, empty or of a future shape, so a connection is read from `unknown` and narrowed field by field (model.ts).

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

interface WireError {
  id?: string;
  status?: string;
  code?: string;
  title?: string;
  detail?: string;
  source?: { pointer?: string; parameter?: string };
}

export interface WireFailure {
  errors?: WireError[];
}
