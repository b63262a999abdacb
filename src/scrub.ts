/**
 * The one scrubbing path for everything a person or a log sees: CLI stderr, `npm run register`, the
 * bot's logs, notes in answers. Removes every configured secret (whatever its length, also in its
 * JSON-escaped and URL-encoded forms) as a whole token, anything shaped like a bearer token, a Discord
 * bot token or an OpenAI-style key, credentials inside URLs, and the token segment of Discord webhook
 * and interaction URLs.
 *
 * A secret is removed only where it stands as a token of its own, never from inside a word: a
 * placeholder key such as `LLM_API_KEY=x` must not turn "extractive" into "e[redacted]tractive".
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
  const literal = [...forms].sort((a, b) => b.length - a.length).map((s) => [s, wholeToken(s)] as const);
  return (text) => {
    let out = text;
    for (const [s, re] of literal) if (out.includes(s)) out = out.replace(re, REDACTED);
    for (const [re, to] of SHAPES) out = out.replace(re, to);
    return out;
  };
}

/**
 * Characters that continue a word or an identifier. Hyphens count: `x-request-id` is one word, and a
 * secret `x` is not in it.
 */
const WORD_CHAR = String.raw`[\p{L}\p{M}\p{N}_-]`;

/**
 * The secret where it is a whole token: an edge of the secret that is itself a word character must not
 * touch another word character (an edge that is punctuation, as in `q"t`, is a boundary already).
 */
function wholeToken(secret: string): RegExp {
  const escaped = secret.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const word = new RegExp(`^${WORD_CHAR}$`, "u");
  const before = word.test(secret[0]!) ? `(?<!${WORD_CHAR})` : "";
  const after = word.test(secret.at(-1)!) ? `(?!${WORD_CHAR})` : "";
  return new RegExp(`${before}${escaped}${after}`, "gu");
}

/** NUL and other control characters (tab and line breaks aside), and UTF-16 halves without their pair. */
const UNPRINTABLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text safe to echo back to a person: no NUL or control characters, no lone surrogates (they are removed). */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, "");
}
