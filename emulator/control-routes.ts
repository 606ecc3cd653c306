// The test-control routes under /_emulator: each maps a request onto an operation of Control.
import { attachmentNotFound, ControlError, notFound, type Control } from "./control";
import { failure, type ApiRequest, type ApiResponse, type Handler } from "./messages";
import type { AttachmentSeed } from "./options";

export const CONTROL_PREFIX = "/_emulator";

type Json = Record<string, unknown>;

/** Answers a control request; `path` is what follows CONTROL_PREFIX. */
export function controlRoutes(control: Control): Handler {
  return ({ method, path, query, body: text }: ApiRequest): ApiResponse => {
    try {
      const body = text === "" ? {} : parse(text);
      const result = route(control, method, path, query, body);
      return result === undefined ? { status: 204, headers: {} } : { status: 200, headers: {}, body: result };
    } catch (e) {
      if (e instanceof ControlError) return failure(e.status, "emulator_control", e.message);
      // Never let a control request take the server down (it is answered from an un-awaited promise).
      return failure(500, "emulator_control", `control request failed: ${(e as Error)?.message ?? String(e)}`);
    }
  };
}

function route(control: Control, method: string, path: string, query: URLSearchParams, body: Json): unknown {
  const parts = path.split("/").filter(Boolean);
  const [head, id, action] = parts;
  const key = `${method} ${head ?? ""}${id === undefined ? "" : "/:id"}${action === undefined ? "" : `/${action}`}`;
  if (parts.length <= 3) {
    switch (key) {
      case "GET health": return { ok: true };
      case "GET info": return control.info();
      case "POST reset": return control.reset();
      case "POST config": return control.configure(body), control.info();
      case "GET faults": return control.faults();
      case "POST faults": return control.injectFault(body);
      case "DELETE faults": return control.clearFaults();
      case "GET late": return control.lateRequests();
      case "POST late/:id": if (id === "apply") return control.applyLateRequests(); break;
      case "GET requests": return control.requests();
      case "DELETE requests": return control.clearRequests();
      case "GET requests/:id": if (id === "counts") return control.counts(); break;
      case "GET connections": return control.connections();
      case "POST connections": return control.seedConnection(body);
      case "GET connections/:id": return control.connection(id!) ?? notFound(id!);
      case "DELETE connections/:id": return control.deleteConnection(id!, { graceful: query.get("graceful") === "true" });
      case "POST connections/:id/phase":
        return control.setPhase(id!, body.phase as string | null, { errorCode: body.error_code as string | undefined, errorMessage: body.error_message as string | undefined });
      case "POST connections/:id/hold": return control.hold(id!, (body.hold ?? true) as boolean);
      case "POST connections/:id/rename": return control.rename(id!, (body.display_name ?? null) as string | null);
      case "POST environments": return control.addEnvironment(body.id as string);
      case "POST attachments": return control.addAttachment(body as unknown as AttachmentSeed);
      case "GET attachments": return control.attachments();
      case "GET attachments/:id": return control.attachment(id!) ?? attachmentNotFound(id!);
      case "DELETE attachments/:id": return control.deleteAttachment(id!, { graceful: query.get("graceful") === "true" });
      case "POST attachments/:id/phase":
        return control.setAttachmentPhase(id!, body.phase as string | null, { errorCode: body.error_code as string | undefined, errorMessage: body.error_message as string | undefined });
      case "POST attachments/:id/hold": return control.holdAttachment(id!, (body.hold ?? true) as boolean);
      case "POST attachments/:id/rename": return control.renameAttachment(id!, (body.display_name ?? null) as string | null);
      case "GET oauth": return control.oauth();
      case "POST oauth/:id": if (id === "revoke") return control.revokeTokens((body.tokens ?? "all") as "external" | "sts" | "all"); break;
      case "POST identity-pools": return control.addIdentityPool(body.id as string);
      case "POST oauth-clients": return control.addOAuthClient(body.clientId as string, body.clientSecret as string);
    }
  }
  throw new ControlError(404, `no control route ${method} ${CONTROL_PREFIX}${path}; see the README's emulator section`);
}

function parse(text: string): Json {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === "object" && value !== null && !Array.isArray(value)) return value as Json;
  } catch {
    // fall through
  }
  throw new ControlError(400, "control requests take a JSON object body");
}
