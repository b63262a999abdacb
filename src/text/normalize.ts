/**
 * Text normalisation shared by questions and the index: one place for what "the same text" means.
 * Quotes are never built from normalised text: offsets always index the original article body.
 */

/**
 * Zero-width spaces and joiners, bidi marks, embeddings, overrides and isolates, word joiner and
 * invisible operators, soft hyphen, BOM, variation selectors: invisible, so a copy may or may not carry them.
 */
const INVISIBLE = /[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufe00-\ufe0f\ufeff]/gu;
/** C0 and C1 controls (NUL included) and lone surrogates: never meaningful inside a question. */
const CONTROL = /[\p{Cc}]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/gu;

/**
 * A question as the user meant it: NFKC (full-width letters, ligatures and compatibility forms made
 * plain), invisible characters dropped, controls and lone surrogates turned into spaces, whitespace
 * runs folded to one space and trimmed. Accents are kept (see {@link foldAccents} for matching).
 */
export function cleanText(text: string): string {
  return text.replace(CONTROL, " ").normalize("NFKC").replace(INVISIBLE, "").replace(/\s+/gu, " ").trim();
}

/** Letters that NFKD does not decompose into a base letter and a mark. */
const SPECIAL: Record<string, string> = {
  ı: "i",
  İ: "I",
  ø: "o",
  Ø: "O",
  ß: "ss",
  đ: "d",
  Đ: "D",
  ł: "l",
  Ł: "L",
  æ: "ae",
  Æ: "AE",
  œ: "oe",
  Œ: "OE",
  þ: "th",
  ð: "d",
  ħ: "h",
};

/**
 * Text with accents removed, for matching only ("Türkiye" and "Turkiye", "São Paulo" and "Sao Paulo"
 * meet). Lengths may change, so never take offsets from the result.
 */
export function foldAccents(text: string): string {
  // Fast path: plain ASCII needs nothing.
  if (!/[^\u0000-\u007f]/.test(text)) return text;
  return text
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .replace(/[ıİøØßđĐłŁæÆœŒþðħ]/g, (c) => SPECIAL[c] ?? c);
}

/** A word as it is compared: lowercased, accents folded, `’` made plain, possessive and outer apostrophes dropped. */
export function plainWord(word: string): string {
  let t = foldAccents(word).toLowerCase().replace(/[’ʼ]/g, "'");
  if (t.endsWith("'s")) t = t.slice(0, -2);
  return t.replace(/^'+|'+$/g, "");
}

const WORD_CHAR = /[\p{L}\p{N}]/u;

/** Whether `text` has `phrase` as whole words (no letter or digit right before or after it), at any of its occurrences. */
export function hasWord(text: string, phrase: string): boolean {
  for (let at = text.indexOf(phrase); at >= 0; at = text.indexOf(phrase, at + 1)) {
    const before = text[at - 1];
    const after = text[at + phrase.length];
    if ((before === undefined || !WORD_CHAR.test(before)) && (after === undefined || !WORD_CHAR.test(after))) return true;
  }
  return false;
}

/** Whether some word of `text` starts with `prefix` ("premier" meets "premiers"). */
export function startsWord(text: string, prefix: string): boolean {
  for (let at = text.indexOf(prefix); at >= 0; at = text.indexOf(prefix, at + 1)) {
    const before = text[at - 1];
    if (before === undefined || !WORD_CHAR.test(before)) return true;
  }
  return false;
}

/** Runs of letters and digits, one UTF-16 unit at a time as `WORD_CHAR` tests them (so no astral letters). */
const WORD_RUN = /(?:(?=[\u0000-\uffff])[\p{L}\p{N}])+/gu;
const ALL_WORD_CHARS = /^(?:(?=[\u0000-\uffff])[\p{L}\p{N}])+$/u;

/**
 * A text with its distinct words listed, for {@link hasWord} and {@link startsWord} without a scan of
 * the text: a 20 MB article was scanned again for each name of each question. Same answers as those two
 * functions; a phrase or prefix that is not a single word is looked up in the text as they do, and so
 * is everything in a text of one slice or less (scanning it costs less than listing its words).
 */
export class TextWords {
  private constructor(
    readonly text: string,
    /** Distinct words, sorted by code unit; undefined for a short text, which is scanned. */
    private readonly words: string[] | undefined,
  ) {}

  /**
   * List the words of a text longer than `slice`, `slice` characters at a time with a turn of the event
   * loop in between (slices end after a space, which no word spans).
   */
  static async of(text: string, slice: number): Promise<TextWords> {
    if (text.length <= slice) return new TextWords(text, undefined);
    const seen = new Set<string>();
    for (let at = 0; at < text.length; ) {
      const space = text.indexOf(" ", at + slice);
      const end = space < 0 ? text.length : space + 1;
      for (const m of text.slice(at, end).matchAll(WORD_RUN)) seen.add(m[0]);
      at = end;
      if (at < text.length) await new Promise((resolve) => setImmediate(resolve));
    }
    return new TextWords(text, [...seen].sort());
  }

  /** `hasWord(text, phrase)`. */
  has(phrase: string): boolean {
    if (!this.words || !ALL_WORD_CHARS.test(phrase)) return hasWord(this.text, phrase);
    return this.words[this.lowerBound(phrase)] === phrase;
  }

  /** `startsWord(text, prefix)`. */
  startsWith(prefix: string): boolean {
    if (!this.words || !ALL_WORD_CHARS.test(prefix)) return startsWord(this.text, prefix);
    return this.words[this.lowerBound(prefix)]?.startsWith(prefix) === true;
  }

  /** The first word not sorted before `key`. */
  private lowerBound(key: string): number {
    let lo = 0;
    const words = this.words!;
    let hi = words.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (words[mid]! < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
