// The one redaction of credential values from any text a message, a log line or an error keeps.

/** Values shorter than this are never redacted (they would shred ordinary words). */
const MIN_SECRET_LENGTH = 4;

export function redact(text: string, secrets: readonly string[]): string {
  return secrets.filter((s) => s.length >= MIN_SECRET_LENGTH).reduce((out, secret) => out.split(secret).join("[REDACTED]"), text);
}

export function quotesSecret(text: string, secrets: readonly string[]): boolean {
  return secrets.some((secret) => secret.length >= MIN_SECRET_LENGTH && text.includes(secret));
}
