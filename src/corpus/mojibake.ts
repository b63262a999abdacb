import iconv from "iconv-lite";

/**
 * Text that went through UTF-8 → Windows-1252 → UTF-8 on its way to us ("cafÃ©", "donâ€™t", "10Â km")
 * and words whose letters were lost upstream ("Ye?il", a "?" for each letter the old encoding lacked).
 * The first is repaired by the same round trip backwards (iconv-lite); the second cannot be, so it is
 * only reported. Pure.
 */

/**
 * A run that UTF-8 bytes make when read as Windows-1252: a lead byte (Â–ô: U+00C2–U+00F4) followed by
 * one to three continuation bytes (U+0080–U+00BF, or the Windows-1252 letters and punctuation that
 * bytes 0x80–0x9F become).
 */
const RUN =
  /[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201a\u201c-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]{1,3}/g;
/** "Â" left alone when the no-break space after it became an ordinary space: never a letter of a word there. */
const LONE_A_CIRCUMFLEX = /(?<!\p{Lu})Â(?=[\s\u00a0])/gu;
/** A word with "?" between its letters: a letter the text once had and lost. */
const LOST_LETTERS = /\p{L}+(?:\?+\p{L}+)+\??/gu;

export interface MojibakeRepair {
  /** The text with every mojibake run decoded as the UTF-8 it was. */
  text: string;
  /** The runs that were repaired, each with what it became ("â€™ → ’"), once each. */
  repaired: string[];
}

/** Repair UTF-8 read as Windows-1252. A run whose bytes are not valid UTF-8 is left as it is. */
export function repairMojibake(text: string): MojibakeRepair {
  const repaired = new Set<string>();
  const fixed = text
    .replace(RUN, (run) => {
      const bytes = iconv.encode(run, "win1252");
      const decoded = bytes.toString("utf8");
      // Invalid UTF-8 decodes to U+FFFD; a genuine "Ã©" pair in a Windows-1252 text stays.
      if (decoded.includes("\ufffd") || [...decoded].length !== 1) return run;
      repaired.add(`${run} → ${decoded === "\u00a0" ? "no-break space" : decoded}`);
      return decoded;
    })
    .replace(LONE_A_CIRCUMFLEX, () => {
      repaired.add("Â before a space → removed");
      return "";
    });
  return { text: fixed, repaired: [...repaired] };
}

/** A web address or query string, where "?" between letters is what it should be ("page.php?id=3"). */
const ADDRESS = /[/=&@]|^www\./i;

/** Words with a "?" where a letter belongs ("Ye?il", "I?d?r"), once each, in order of appearance; web addresses aside. */
export function wordsWithLostLetters(text: string): string[] {
  const found = new Set<string>();
  for (const token of text.split(/\s+/)) {
    if (ADDRESS.test(token)) continue;
    for (const m of token.match(LOST_LETTERS) ?? []) found.add(m);
  }
  return [...found];
}

/** Whether a name or word has lost letters (a "?" between letters); such a string is no one's name. */
export function hasLostLetters(text: string): boolean {
  return new RegExp(LOST_LETTERS.source, "u").test(text);
}
