// JSON shapes exchanged with the Confluent Cloud networking/v1 API (snake_case, as on the wire).
// Everything read from the server is treated as untrusted: optional fields may be missing, empty or of
// a future shape, so readers narrow these types before use (see model.ts).

export interface WireObjectReference {
  id: string;
  environment?: string;
  related?: string;
  resource_name?: string;
  api_version?: string;
  kind?: string;
}

/** `kind` is bare (`AwsPrivateLinkAttachmentConnection`) or prefixed (`networking.v1.…`) on the wire. */
export type WireConnectionCloud =
  | { kind: string; vpc_endpoint_id: string }
  | { kind: string; private_endpoint_resource_id: string }
  | { kind: string; private_service_connect_connection_id: string };

export interface WireConnectionStatusCloud {
  kind?: string;
  vpc_endpoint_id?: string;
  vpc_endpoint_service_name?: string;
  private_link_service_alias?: string;
  private_link_service_resource_id?: string;
  private_endpoint_resource_id?: string;
  private_service_connect_service_attachment?: string;
  private_service_connect_connection_id?: string;
  [extra: string]: unknown;
}

export interface WireConnectionStatus {
  /** Open enum: PROVISIONING, READY, FAILED, DEPROVISIONING, DISCONNECTED, or any future value. */
  phase: string;
  error_code?: string;
  error_message?: string;
  cloud?: WireConnectionStatusCloud;
}

export interface WireObjectMeta {
  self?: string;
  resource_name?: string;
  created_at?: string;
  updated_at?: string;
  deleted_at?: string;
}

export interface WireConnection {
  api_version?: string;
  kind?: string;
  id: string;
  metadata?: WireObjectMeta;
  spec: {
    display_name?: string;
    cloud: WireConnectionCloud;
    environment: WireObjectReference;
    private_link_attachment: WireObjectReference;
  };
  status: WireConnectionStatus;
}

export interface WireConnectionList {
  api_version?: string;
  kind?: string;
  metadata?: { first?: string | null; last?: string | null; prev?: string | null; next?: string | null; total_size?: number };
  data: WireConnection[];
}

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

export interface WireError {
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
