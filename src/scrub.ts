/**
 * The one scrubbing path for everything a person or a log sees: CLI stderr, `npm run register`, the
 * bot's logs, notes in answers. Removes every configured secret (whatever its length, also in its
 * JSON-escaped and URL-encoded forms), anything shaped like a bearer token, a Discord bot token or an
 * OpenAI-style key, credentials inside URLs, and the token segment of Discord webhook and interaction URLs.
 */

/** What replaces a secret. */
export const REDACTED = "[redacted]";

/** Text with secrets removed. */
export type Scrubber = (text: string) => string;

const SHAPES: Array<[RegExp, string]> = [
  // `Authorization: Bearer …`, `Bot …`, `Basic …`
  [/\b(Bearer|Bot|Basic)\s+[A-Za-z0-9._~+/=-]{6,}/g, `$1 ${REDACTED}`],
  // Discord bot tokens: base64 user id . timestamp . HMAC
  [/\b[A-Za-z\d_-]{20,}\.[A-Za-z\d_-]{6,7}\.[A-Za-z\d_-]{27,}\b/g, REDACTED],
  // OpenAI-style keys
  [/\bsk-[A-Za-z0-9_-]{12,}/g, REDACTED],
  // `scheme://user:pass@host`
  [/\b([a-z][a-z\d+.-]*:\/\/)[^\s/?#@"'<>]+@/gi, `$1${REDACTED}@`],
  // `/webhooks/<app id>/<token>`, `/interactions/<id>/<token>`
  [/\/(webhooks|interactions)\/(\d+)\/[A-Za-z0-9_.:-]+/g, `/$1/$2/${REDACTED}`],
];

/** A scrubber for these secrets (empty ones ignored) and the shapes above. */
export function createScrubber(secrets: Iterable<string | undefined>): Scrubber {
  const forms = new Set<string>();
  for (const raw of secrets) {
    const s = raw?.trim();
    if (!s) continue;
    forms.add(s);
    forms.add(JSON.stringify(s).slice(1, -1));
    forms.add(encodeURIComponent(s));
  }
  // Longest first, so a secret that contains another is removed whole.
  const literal = [...forms].sort((a, b) => b.length - a.length);
  return (text) => {
    let out = text;
    for (const s of literal) if (out.includes(s)) out = out.split(s).join(REDACTED);
    for (const [re, to] of SHAPES) out = out.replace(re, to);
    return out;
  };
}

/** NUL and other control characters (tab and line breaks aside), and UTF-16 halves without their pair. */
const UNPRINTABLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text safe to echo back to a person: no NUL or control characters, no lone surrogates (they are removed). */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, "");
}
