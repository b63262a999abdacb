import http, { type IncomingMessage, type RequestOptions } from "node:http";
import https from "node:https";
import { isIP } from "node:net";
import iconv from "iconv-lite";
import { decodeText } from "../corpus/decode.js";
import { AddressRefused, guardedLookup, type AddressGuard } from "./address.js";

/** Limits on fetching one page. */
export interface FetchLimits {
  /** Whole request, body included, in milliseconds. Default IMPORT_TIMEOUT_MS (15000). */
  timeoutMs: number;
  /** Largest body taken, in bytes. Default IMPORT_MAX_BYTES (5 MB). */
  maxBytes: number;
  /** Redirects followed before giving up. Default IMPORT_MAX_REDIRECTS (5). */
  maxRedirects: number;
  /**
   * Addresses that may be connected to, checked on every hop. Default none: the owner's CLI fetches
   * anything; `/source add` passes `PUBLIC_ONLY` unless SOURCE_ADD_ALLOW_PRIVATE is set.
   */
  guard?: AddressGuard | undefined;
}

/** A fetched page as text, or why it could not be taken (one line, naming the URL's problem, not the URL). */
export type Fetched =
  | { url: string; kind: "html" | "text"; text: string /** What the user should know about how it was read. */; note?: string }
  | { problem: string };

const HTML_TYPES = /^(?:text\/html|application\/xhtml\+xml)$/i;
const TEXT_TYPES = /^(?:text\/plain|text\/markdown|text\/x-markdown)$/i;

/** Bytes fetched from a URL, or why not. */
export type Downloaded = { url: string; contentType: string; bytes: Uint8Array } | { problem: string };

/**
 * GET an http(s) page: redirects followed by hand (so each hop is counted and must
 * stay http(s)), a deadline on the whole exchange, the body read in a stream and cut off at
 * `maxBytes`, and only HTML or plain text accepted. Declared charsets are honoured; otherwise the
 * bytes are detected and converted like a file.
 */
export async function fetchPage(url: string, limits: FetchLimits): Promise<Fetched> {
  const got = await download(url, limits, (type) =>
    HTML_TYPES.test(type) || TEXT_TYPES.test(type) ? undefined : `not a web page (content type ${type || "missing"}); only HTML and plain text can be imported`,
  );
  if ("problem" in got) return got;
  const [type = "", ...params] = got.contentType.split(";").map((s) => s.trim());
  const kind = HTML_TYPES.test(type) ? "html" : "text";
  const charset =
    params
      .find((p) => /^charset=/i.test(p))
      ?.slice(8)
      .replace(/"/g, "")
      .toLowerCase() ?? metaCharset(got.bytes, kind);
  const declared = charset && !/^utf-?8$/.test(charset) ? decodeDeclared(got.bytes, charset, kind) : undefined;
  if (declared !== undefined) return { url: got.url, kind, text: declared };
  // No charset, UTF-8, or one the bytes are not in (a UTF-8 page labelled utf-16le): detected like a file.
  const decoded = decodeText(got.bytes, { convert: true, maxBytes: limits.maxBytes });
  if ("problem" in decoded) return decoded;
  const text = decoded.text;
  if (charset && !/^utf-?8$/.test(charset))
    return { url: got.url, kind, text, note: `declared ${charset}, which does not decode it; read as ${decoded.encoding}` };
  return { url: got.url, kind, text };
}

/**
 * The bytes behind a URL, within the limits. `refuse` looks at the content type (without parameters)
 * before the body is read and returns a reason to stop, or undefined to go on. With `limits.guard`,
 * every hop's address is checked before anything is sent to it: an IP written in the URL at once, a
 * name where the connection resolves it. Uses `node:http` rather than `fetch`, whose connections
 * cannot be given a resolver.
 */
export async function download(url: string, limits: FetchLimits, refuse: (type: string) => string | undefined = () => undefined): Promise<Downloaded> {
  const signal = AbortSignal.timeout(limits.timeoutMs);
  let current: URL;
  try {
    current = new URL(url);
  } catch {
    return { problem: "not a URL" };
  }
  try {
    for (let hop = 0; ; hop++) {
      if (current.protocol !== "http:" && current.protocol !== "https:")
        return { problem: `only http and https links can be fetched (got ${current.protocol})` };
      const host = current.hostname.replace(/^\[|\]$/g, "");
      if (limits.guard && isIP(host)) {
        const why = limits.guard.refuse(host);
        if (why) return { problem: `refused: ${host} is ${why}, which is not fetched from` };
      }
      const res = await get(current, signal, limits.guard);
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400 && res.headers.location) {
        res.destroy();
        if (hop >= limits.maxRedirects) return { problem: `more than ${limits.maxRedirects} redirects` };
        current = new URL(res.headers.location, current);
        continue;
      }
      if (status < 200 || status > 299) {
        res.destroy();
        return { problem: `the server answered ${status}${res.statusMessage ? ` ${res.statusMessage}` : ""}` };
      }
      const contentType = res.headers["content-type"] ?? "";
      const refused = refuse(contentType.split(";")[0]!.trim());
      if (refused) {
        res.destroy();
        return { problem: refused };
      }
      const declared = Number(res.headers["content-length"] ?? "");
      if (declared > limits.maxBytes) {
        res.destroy();
        return { problem: tooLarge(limits.maxBytes) };
      }
      const bytes = await readCapped(res, limits.maxBytes);
      if (!bytes) return { problem: tooLarge(limits.maxBytes) };
      return { url: current.href, contentType, bytes };
    }
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e instanceof AddressRefused) return { problem: `refused: ${e.message}` };
    if (signal.aborted || e.name === "TimeoutError" || e.name === "AbortError")
      return { problem: `no complete answer within ${(limits.timeoutMs / 1000).toFixed(0)} s` };
    return { problem: `could not connect (${e.code ?? e.message})` };
  }
}

/** One GET, answered with the response head; the body is left to read. A fresh connection each time (no pool), so every one goes through the guard. */
function get(url: URL, signal: AbortSignal, guard: AddressGuard | undefined): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const options: RequestOptions = {
      method: "GET",
      signal,
      agent: false,
      headers: { accept: "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.5", "user-agent": "news-cite-bot importer" },
    };
    if (guard) options.lookup = guardedLookup(guard) as unknown as RequestOptions["lookup"];
    const req = (url.protocol === "https:" ? https : http).request(url, options, resolve);
    req.on("error", reject);
    req.end();
  });
}

/** The body, or undefined once it passes `max` bytes (the rest is not downloaded). */
async function readCapped(res: IncomingMessage, max: number): Promise<Uint8Array | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res) {
    size += (chunk as Buffer).byteLength;
    if (size > max) {
      res.destroy();
      return undefined;
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * The bytes in the charset the server or page declares, or undefined when they are not in it: the
 * decoder rejects them, they decode with replacement characters, a UTF-16 or UTF-32 text without a
 * BOM has no zero byte (its ASCII, markup included, would have them), or an HTML page has no markup.
 */
function decodeDeclared(bytes: Uint8Array, charset: string, kind: "html" | "text"): string | undefined {
  if (!iconv.encodingExists(charset)) return undefined;
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let text: string;
  try {
    text = new TextDecoder(charset, { fatal: true }).decode(buf);
  } catch (err) {
    // A label TextDecoder does not know (iconv-lite knows more): decode with iconv and judge the result below.
    if (!(err instanceof RangeError)) return undefined;
    text = iconv.decode(buf, charset);
  }
  text = text.replace(/^\uFEFF/, "");
  if (text.includes("\uFFFD")) return undefined;
  const wide = /^utf-?(16|32)/.test(charset);
  const bom = (buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff) || (buf[0] === 0 && buf[1] === 0 && buf[2] === 0xfe);
  if (wide && !bom && !buf.subarray(0, 4096).includes(0)) return undefined;
  if (kind === "html" && !/<[a-z!/?]/i.test(text.slice(0, 8192))) return undefined;
  return text;
}

/** `<meta charset=…>` in the first 2 KB of an HTML page. */
function metaCharset(bytes: Uint8Array, kind: "html" | "text"): string | undefined {
  if (kind !== "html") return undefined;
  const head = Buffer.from(bytes.subarray(0, 2048)).toString("latin1");
  return /<meta[^>]+charset\s*=\s*["']?([\w-]+)/i.exec(head)?.[1]?.toLowerCase();
}

function tooLarge(max: number): string {
  return `the page is larger than ${(max / 1024 / 1024).toFixed(1)} MB`;
}
