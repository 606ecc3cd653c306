// Node HTTP plumbing: reading a bounded request body and writing an ApiResponse.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { ApiResponse } from "./messages";

export const MAX_BODY_BYTES = 1 << 20;

/** Rejects once the body passes MAX_BODY_BYTES. */
export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error("too large"));
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

export function send(res: ServerResponse, requestId: string, response: ApiResponse, contentType?: string): void {
  const headers: Record<string, string> = { "X-Request-Id": requestId, ...response.headers };
  let payload: string | undefined;
  if (response.body !== undefined && response.status !== 204) {
    payload = typeof response.body === "string" ? response.body : JSON.stringify(response.body);
    headers["Content-Type"] = contentType ?? "application/json";
    headers["Content-Length"] = String(Buffer.byteLength(payload));
  } else if (response.status !== 204) {
    headers["Content-Length"] = "0";
  }
  res.writeHead(response.status, headers);
  res.end(payload);
}
