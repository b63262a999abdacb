import type { Citation } from "./answer.js";

/** W3C Web Annotation `TextQuoteSelector`: the quote and the text around it. */
export interface TextQuoteSelector {
  type: "TextQuoteSelector";
  exact: string;
  prefix: string;
  suffix: string;
}

/** W3C Web Annotation `TextPositionSelector`: character offsets into the stored article body. */
export interface TextPositionSelector {
  type: "TextPositionSelector";
  start: number;
  end: number;
}

/** How deep links are chosen. */
export interface FragmentOptions {
  /** Quotes of at most this many words are linked whole (`text=exact`); longer ones by their first and last words (`text=start,end`). Default 8. */
  maxExactWords: number;
  /** Most words taken for each of start, end, prefix and suffix while looking for a unique match. Default 6. */
  maxTermWords: number;
  /** Characters of context in a TextQuoteSelector's prefix and suffix. Default 32. */
  selectorContext: number;
}

export const DEFAULT_FRAGMENT_OPTIONS: FragmentOptions = { maxExactWords: 8, maxTermWords: 6, selectorContext: 32 };

/**
 * A citation with its deep link and selectors, when its article has a URL (without one there is no
 * document for either to point into, and the citation is returned as it was). `link` is the article
 * URL with a WICG text fragment (`#:~:text=[prefix-,]start[,end][,-suffix]`) that a browser resolves
 * to this quote: terms are whole words, percent-encoded (including `-`, `,` and `&`, which are
 * syntax), and prefix/suffix words from the same paragraph are added when the quote, or its first
 * words, occur earlier in the article. The selectors locate the quote in the stored body. Pure.
 */
export function withDeepLink<C extends Pick<Citation, "url" | "start" | "end">>(
  c: C,
  body: string,
  opts: FragmentOptions = DEFAULT_FRAGMENT_OPTIONS,
): C & Pick<Citation, "link" | "selectors"> {
  if (!c.url) return c;
  const selectors = annotationSelectors(body, c.start, c.end, opts.selectorContext);
  const directive = textDirective(body, c.start, c.end, opts);
  if (!directive) return { ...c, selectors };
  return { ...c, link: `${c.url.replace(/#.*$/, "")}#:~:text=${directive}`, selectors };
}

/** TextQuoteSelector (with `selectorContext` characters either side) and TextPositionSelector of a span. */
export function annotationSelectors(body: string, start: number, end: number, context: number): [TextQuoteSelector, TextPositionSelector] {
  return [
    {
      type: "TextQuoteSelector",
      exact: body.slice(start, end),
      prefix: body.slice(Math.max(0, start - context), start),
      suffix: body.slice(end, end + context),
    },
    { type: "TextPositionSelector", start, end },
  ];
}

/** Percent-encode one text-directive term: everything URI-reserved, plus `-` (encodeURIComponent leaves it). */
export function encodeTerm(term: string): string {
  return encodeURIComponent(term).replace(/-/g, "%2D");
}

/**
 * The `text=` value that resolves to body[start, end), or undefined when no combination of at most
 * `maxTermWords` words does (the quote's words are then found nowhere uniquely).
 */
export function textDirective(body: string, start: number, end: number, opts: FragmentOptions = DEFAULT_FRAGMENT_OPTIONS): string | undefined {
  const quote = body.slice(start, end);
  const words = quote.split(/\s+/).filter(Boolean);
  if (words.length === 0) return undefined;
  const before = paragraphWords(body.slice(paragraphStart(body, start), start)).reverse();
  const after = paragraphWords(body.slice(end, paragraphEnd(body, end)));
  const ranged = words.length > opts.maxExactWords || /\n\s*\n/.test(quote);
  const terms = ranged ? rangeTerms(words, opts.maxTermWords) : [{ start: words.join(" "), end: "" }];
  // Context only when needed, shortest first: none, then a prefix, a suffix, or both, word by word.
  const contexts: Array<{ prefix: string; suffix: string }> = [{ prefix: "", suffix: "" }];
  for (let k = 1; k <= opts.maxTermWords; k++) {
    const prefix = before.length >= k ? before.slice(0, k).reverse().join(" ") : "";
    const suffix = after.length >= k ? after.slice(0, k).join(" ") : "";
    if (prefix) contexts.push({ prefix, suffix: "" });
    if (suffix) contexts.push({ prefix: "", suffix });
    if (prefix && suffix) contexts.push({ prefix, suffix });
  }
  for (const { prefix, suffix } of contexts) {
    for (const t of terms) {
      const hit = resolve(body, { prefix, start: t.start, end: t.end, suffix });
      if (hit && hit.start === start && hit.end === end) {
        return [prefix && `${encodeTerm(prefix)}-`, encodeTerm(t.start), t.end && encodeTerm(t.end), suffix && `-${encodeTerm(suffix)}`]
          .filter(Boolean)
          .join(",");
      }
    }
  }
  return undefined;
}

/** Start and end terms of growing length, shortest first (shorter links, same target). */
function rangeTerms(words: string[], max: number): Array<{ start: string; end: string }> {
  const out: Array<{ start: string; end: string }> = [];
  for (let k = 3; k <= max && 2 * k <= words.length; k++) out.push({ start: words.slice(0, k).join(" "), end: words.slice(-k).join(" ") });
  if (out.length === 0) out.push({ start: words.slice(0, Math.ceil(words.length / 2)).join(" "), end: words.slice(Math.ceil(words.length / 2)).join(" ") });
  return out;
}

interface Directive {
  prefix: string;
  start: string;
  end: string;
  suffix: string;
}

/**
 * Where a browser would land, following the Text Fragments algorithm on our text: the first start
 * match (preceded by the prefix), then the first end after it that the suffix follows. Matching is
 * case-insensitive, on word boundaries, with any run of whitespace matching any other.
 */
export function resolve(body: string, d: Directive): { start: number; end: number } | undefined {
  const starts = matches(body, d.prefix ? `${pattern(d.prefix)}\\s*(${pattern(d.start)})` : `(${pattern(d.start)})`);
  for (const s of starts) {
    if (!d.end) {
      if (!d.suffix || followedBy(body, s.end, d.suffix)) return s;
      continue;
    }
    for (const e of matches(body, pattern(d.end), s.end)) {
      if (!d.suffix || followedBy(body, e.end, d.suffix)) return { start: s.start, end: e.end };
    }
  }
  return undefined;
}

function matches(body: string, source: string, from = 0): Array<{ start: number; end: number }> {
  const re = new RegExp(source, "giu");
  re.lastIndex = from;
  const out: Array<{ start: number; end: number }> = [];
  for (let m = re.exec(body); m; m = re.exec(body)) {
    // With a prefix, the quote is the captured group; without one, the whole match.
    const text = m[1] ?? m[0];
    const at = m.index + m[0].length - text.length;
    out.push({ start: at, end: at + text.length });
    re.lastIndex = m.index + 1;
  }
  return out;
}

function followedBy(body: string, at: number, suffix: string): boolean {
  return new RegExp(`^\\s*${pattern(suffix)}`, "iu").test(body.slice(at));
}

/** A term as a regex: literal characters, flexible whitespace, word boundaries at word-character edges. */
function pattern(term: string): string {
  const escaped = term.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/\s+/g, "\\s+");
  const lead = /^[\p{L}\p{N}]/u.test(term) ? "(?<![\\p{L}\\p{N}])" : "";
  const tail = /[\p{L}\p{N}]$/u.test(term) ? "(?![\\p{L}\\p{N}])" : "";
  return `${lead}${escaped}${tail}`;
}

/** Words of a stretch of one paragraph, without our `## ` and `Caption: ` markers (a page never shows them). */
function paragraphWords(text: string): string[] {
  return text
    .replace(/^(?:## |Caption: )/, "")
    .split(/\s+/)
    .filter(Boolean);
}

function paragraphStart(body: string, at: number): number {
  const i = body.lastIndexOf("\n\n", at - 1);
  return i < 0 ? 0 : i + 2;
}

function paragraphEnd(body: string, at: number): number {
  const i = body.indexOf("\n\n", at);
  return i < 0 ? body.length : i;
}
