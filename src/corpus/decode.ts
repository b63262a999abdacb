import chardet from "chardet";
import iconv from "iconv-lite";

/** Limits that decide whether bytes are article text. */
export interface TextHygiene {
  /**
   * Largest file taken as one article, in bytes. Default 32 MB: a long article is ~100 KB, but an
   * archive dump of 20 MB must still index (the importer caps what it fetches at IMPORT_MAX_BYTES).
   */
  maxBytes: number;
  /** Share of control characters (other than tab, newline, carriage return, form feed) above which a file is binary. Default 0.01. */
  maxControlShare: number;
  /** Take text in a legacy encoding and convert it (the importer), or refuse it (the corpus loader). Default false. */
  convert: boolean;
}

export const DEFAULT_HYGIENE: TextHygiene = { maxBytes: 32 * 1024 * 1024, maxControlShare: 0.01, convert: false };

/** Decoded text, and the encoding it was converted from when it was not UTF-8. */
export type Decoded = { text: string; encoding: string; converted: boolean } | { problem: string };

const CONTROL = /[\u0000-\u0008\u000B\u000E-\u001F\u007F]/g;

/**
 * Bytes to text, at the door: empty, oversized and binary input is refused; UTF-8 (with or without
 * a BOM, or UTF-16 with a BOM) is decoded strictly; anything else is detected with chardet and
 * converted with iconv-lite when `convert` is on, and refused otherwise. Text holding U+FFFD (damaged
 * by an earlier lossy conversion) is refused, so no replacement character is ever indexed. Problems are
 * one line, without the file name (the caller adds it). Pure.
 */
export function decodeText(bytes: Uint8Array, opts: Partial<TextHygiene> = {}): Decoded {
  const h = { ...DEFAULT_HYGIENE, ...opts };
  if (bytes.length > h.maxBytes) return { problem: `too large (${mb(bytes.length)}; the limit is ${mb(h.maxBytes)})` };
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let text: string | undefined;
  let encoding = "UTF-8";
  let converted = false;
  if (buf[0] === 0xff && buf[1] === 0xfe) [text, encoding] = [iconv.decode(buf, "utf-16le"), "UTF-16LE"];
  else if (buf[0] === 0xfe && buf[1] === 0xff) [text, encoding] = [iconv.decode(buf, "utf-16be"), "UTF-16BE"];
  else {
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(buf);
    } catch {
      text = undefined;
    }
  }
  if (text !== undefined && binaryShare(text) > h.maxControlShare) return { problem: "binary data, not text" };
  if (text === undefined) {
    // Binary first: chardet names an encoding for anything, including images.
    if (binaryShare(buf.toString("latin1")) > h.maxControlShare) return { problem: "binary data, not text" };
    const detected = chardet.detect(buf);
    if (!detected || !iconv.encodingExists(detected)) return { problem: "not UTF-8, and its encoding could not be told; re-save it as UTF-8" };
    if (!h.convert) return { problem: `not UTF-8 (it looks like ${detected}); re-save it as UTF-8, or add it with npm run import, which converts it` };
    text = iconv.decode(buf, detected);
    encoding = detected;
    converted = true;
  }
  text = text.replace(/^\uFEFF/, "");
  const damaged = (text.match(/\uFFFD/g) ?? []).length;
  if (damaged > 0)
    return { problem: `holds ${damaged} replacement character(s) (U+FFFD): the text was damaged by an earlier conversion; take it again from the source` };
  if (!text.trim()) return { problem: "empty file" };
  return { text, encoding, converted };
}

function binaryShare(text: string): number {
  if (text.length === 0) return 0;
  if (text.includes("\u0000")) return 1;
  return (text.match(CONTROL) ?? []).length / text.length;
}

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
