// Helpers shared by the attachment tests: bodies, a create that must succeed, reads, and control requests.
import assert from "node:assert/strict";
import type { Emulator } from "../../emulator";
import type { Caller, Reply } from "../support/http";
import { ENV } from "../support/emulator";

export const ATTACHMENTS = "/networking/v1/private-link-attachments";

export type Cloud = "AWS" | "AZURE" | "GCP";

export const REGION: Record<Cloud, string> = { AWS: "us-west-2", AZURE: "westeurope", GCP: "europe-west3" };

let counter = 0;

export function attachmentBody(cloud: Cloud = "AWS", extra: { displayName?: string; region?: string; env?: string } = {}) {
  return {
    spec: {
      display_name: extra.displayName ?? `platt-test-${++counter}`,
      cloud,
      region: extra.region ?? REGION[cloud],
      environment: { id: extra.env ?? ENV },
    },
  };
}

/** POSTs an attachment and returns the 202 body (checked against the spec by the caller). */
export async function createAttachment(api: Caller, body: unknown = attachmentBody()): Promise<any> {
  const reply = await api.call(ATTACHMENTS, { method: "POST", body });
  assert.equal(reply.status, 202, reply.text);
  return reply.body;
}

export function attachmentUrl(id: string, env = ENV): string {
  return `${ATTACHMENTS}/${id}?environment=${env}`;
}

export async function phaseOf(api: Caller, id: string, env = ENV): Promise<string> {
  const reply = await api.call(attachmentUrl(id, env));
  assert.equal(reply.status, 200, reply.text);
  return reply.body.status.phase;
}

/** A request to the test control under /_emulator (JSON in, JSON or nothing out). */
export async function ctl(emulator: Emulator, method: string, route: string, body?: unknown): Promise<Reply> {
  const init: RequestInit = { method };
  if (body !== undefined) init.body = JSON.stringify(body);
  const res = await fetch(`${emulator.url}/_emulator${route}`, init);
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, body: text === "" ? undefined : JSON.parse(text) };
}
