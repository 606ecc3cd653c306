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

/** Writes the answer; `now` (ms) dates it (the `Date` header) on the emulator's clock, as created_at and the rest. */
export function send(res: ServerResponse, requestId: string, response: ApiResponse, now: number, contentType?: string): void {
  const headers: Record<string, string> = { "X-Request-Id": requestId, Date: new Date(now).toUTCString(), ...response.headers };
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
