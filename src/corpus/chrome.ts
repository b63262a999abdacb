import { findDate } from "./date.js";

/**
 * Site chrome in pasted article text: which lines of a page are the site's (menus, section labels,
 * outlet names, bylines, date lines, photo captions and credits, cookie and promotion notices,
 * related-story links, repeated headlines) rather than the article's. Copied plain text has no markup,
 * so every rule reads a line's shape, its words' kind and its place relative to the headline and the
 * lede, never a list of known phrases from particular sites. Pure.
 */

/** Why a line is chrome; the importer reports the counts. */
export type ChromeKind = "headline" | "outlet" | "byline" | "date" | "caption" | "notice" | "related" | "label" | "embed";

/** What the page is known to be called and by whom, from a metadata header. */
export interface PageFacts {
  /** Headline from a header; lines repeating it are chrome. */
  title?: string | undefined;
  /** Outlet from a header; a line naming only it is chrome. */
  publisher?: string | undefined;
}

/** Fewest words of a line that opens the article proper: a lede is a full sentence of at least this many words. */
export const LEDE_MIN_WORDS = 12;
/** Most words of a label line (section, outlet, dateline, share bar) above the lede. */
export const LABEL_MAX_WORDS = 5;
/** Most words of a menu row ("Contact · FAQ · Jobs"). */
export const MENU_MAX_WORDS = 10;
/** Most words of a byline ("By Ana Ruiz, Lisbon June 2, 2024"). */
export const BYLINE_MAX_WORDS = 12;
/** Most words of a line that only states a date ("Updated: July 21, 2024 2:47pm"). */
export const DATE_LINE_MAX_WORDS = 12;
/** Most words of a line that only credits or captions a photo by its wording. */
export const CAPTION_MAX_WORDS = 45;
/** Most words of a notice (cookies, newsletter, "first published by"). */
export const NOTICE_MAX_WORDS = 40;
/** Lines apart within which an identical line is a photo viewer's second copy of a caption. */
export const CAPTION_REPEAT_WINDOW = 5;
/** Characters of a line's start that a caption title shares with the caption beside it. */
export const CAPTION_PREFIX_CHARS = 40;

const words = (l: string) => l.split(/\s+/).filter(Boolean).length;
const endsSentence = (l: string) => /[.!?…]["'”’)\]]*$/.test(l);

/** The letters and digits of a text, lowercased: "the same words" whatever the quotes, dashes and case. */
export function sameWords(a: string, b: string): boolean {
  const norm = (s: string) =>
    s
      .normalize("NFKC")
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, " ")
      .trim();
  return norm(a) !== "" && norm(a) === norm(b);
}

/** "By Ana Ruiz", "- By Ana Ruiz in Lisbon", "Written by …", "by · Outlet": a byline of any form. */
const BYLINE = /^(?:[-–—•·|]\s*)?(?:(?:written|reported|words|posted|story|text)\s+)?by\b\s*(?:[·|:–—-]\s*)?(?=\p{Lu}|$)/iu;
/** "Updated:", "Posted", "Published", "Last modified": words that only introduce a date. */
const DATE_WORDS = /^(?:last\s+)?(?:updated|posted|published|modified|first published|created)\b:?/i;
/** "Photo Credit:", "Image credit:", "Picture: PA", "Pic: NASA", "Photo by …", "Credit: AP/…", "Photo via …". */
const CREDIT_LABEL =
  /\b(?:(?:photo|image|picture|pic|video|graphic)(?:graph)?s?\s*(?:credit)?\s*:|credits?\s*:|(?:photo|image|picture)s?\s+(?:by|via|courtesy(?:\s+of)?)\b)/i;
/** A caption's closing credit in parentheses: "(AP Photo/Jane Roe)", "(Jane Roe/PA)", "(Alamy)", "(File image)". */
const CREDIT_PARENS =
  /\((?:[^()]*\/[^()]*|[^()]*\b(?:photo|image|picture|pic|file|screen ?grab|courtesy)\b[^()]*|\p{Lu}[\p{L}.&'’-]*(?:\s+\p{Lu}[\p{L}.&'’-]*){0,2})\)$/iu;
/** A caption's credit after a separator: "… | Shutterstock", "… — AFP/File", "… / Outlet", "… | License Photo". */
const CREDIT_TAIL = /\s[|/—–]\s*(?=[^|/—–]*\p{Lu})(?:[\p{L}\p{N}.&'’-]+[\s/]*){1,4}$/u;
/** "THE PRESS/Jane Roe", "Jane Roe/Agency Images": an agency and photographer joined by a slash, ending the line. */
const SLASH_CREDIT = /\b\p{Lu}[\p{L}.'’-]*(?:\s+\p{Lu}[\p{L}.'’-]*)*\/\p{Lu}[\p{L}.'’-]*(?:\s+\p{Lu}[\p{L}.'’-]*)*$/u;
/**
 * Wording only captions use: "pictured in", "photographed on", "photos released by", "in a file photo".
 * Not "in a photo" alone: "won in a photo finish" is a sentence.
 */
const CAPTION_WORDS =
  /\bpictured\s+(?:in|at|on|here|above|below|left|right|with|during|outside|inside|from)\b|,\s*pictured\b|\bphotographed\s+(?:in|at|on|by|during|outside|inside)\b|\b(?:photos?|images?)\s+(?:released|supplied|provided|taken|shared)\s+by\b|\bin an? (?:file|handout|undated) (?:photo|image|picture)\b|\bfile (?:photo|image)\b/i;
/** "1 of 11 |": a photo gallery's counter. */
const GALLERY = /^\d+\s+of\s+\d+\b/;
/** "— Name (@handle) October 20, 2022": the signature under an embedded post. */
const EMBED = /^[—–-]\s*[^()]{1,60}\(@\w+\)/;
/** "Related:", "Read more", "See also", "Also read", "Recommended": a link to another story. */
const RELATED =
  /^(?:related(?:\s+(?:stories|articles|coverage|content|reading))?|read\s+(?:more|also|next|this|the full)|also\s+read|see\s+also|more\s+(?:on|from|about|stories)|recommended(?:\s+for you)?|you (?:may|might) also like)\b|^(?:trending|most read|watch|listen)\s*:/i;
/**
 * Words only a site's own notices use: cookie consent, skip links, rights lines, republishing credits,
 * reading times, app promotions, media-player and browser messages.
 */
const NOTICE = new RegExp(
  [
    String.raw`\bcookies?\b.*\b(?:we|our|you|your|site|website|accept|consent|settings|preferences)\b|\b(?:we|this site|this website) uses? cookies\b`,
    String.raw`\bprivacy (?:policy|settings|notice)\b`,
    String.raw`^skip to\b`,
    String.raw`\ball rights reserved\b|^©|\(c\) \d{4}`,
    String.raw`\b(?:first|originally) (?:ran|appeared|published)\b.*\b(?:by|in|on|story|article)\b`,
    String.raw`\b(?:being|is) (?:shared|republished) (?:through|with|by)\b`,
    String.raw`\b\d+\s*min(?:ute)?s?\s+read\b`,
    String.raw`\bclick here\b`,
    String.raw`\bdownload (?:the|our)\b.*\bapp\b`,
    String.raw`\bkeep up with\b.*\b(?:free|newsletter|updates|app)\b`,
    String.raw`\blisten to this (?:article|story)\b`,
    String.raw`\bjavascript\b|\b(?:update|upgrade) your browser\b`,
    String.raw`^(?:advertisement|advert|ad|sponsored|play|pause|next up|up next|live radio|play live radio):?$`,
  ].join("|"),
  "i",
);
/** Words of an offer to the reader ("Sign up for our newsletter"), a notice when it speaks to "you" or is a bare call. */
const READER_OFFER = /\b(?:sign[ -]?(?:up|in)|subscribe|subscription|newsletters?|notifications|register|log ?in|donate|support our|follow us)\b/i;
/** "0:00", "0:00 0:00": a media player's clock. */
const TIMECODE = /^(?:\d{1,2}:\d{2}\s*)+$/;
/** A file name or tracking token: one long run of letters, digits and `_`/`-` with digits in it. */
const TOKEN = /^(?=\S*\d)[\w-]{20,}$/;
/** A menu row: two or more items joined by `·`, `|` or `•` ("Contact · FAQ"). */
const MENU_ROW = /^[^·|•]+(?:\s[·|•]\s[^·|•]+)+$/;

/** What `classifyLines` found on a page. */
export interface PageLines {
  /** The kind of chrome of each line; undefined for the article's own lines. */
  kinds: (ChromeKind | undefined)[];
  /** Index of the line that is the headline when no header gave one; -1 when none (or a header did). */
  titleAt: number;
}

/**
 * The kind of chrome of each line, for lines already trimmed and without blank ones. `facts` are what
 * a header said; without a title, the first headline-shaped line above the lede is the headline and
 * lines repeating it are chrome.
 */
export function classifyLines(lines: readonly string[], facts: PageFacts = {}): PageLines {
  const kinds: (ChromeKind | undefined)[] = lines.map((l) => lineKind(l, facts));
  const ledeAt = lines.findIndex((l, i) => kinds[i] === undefined && words(l) >= LEDE_MIN_WORDS && endsSentence(l));
  const top = ledeAt < 0 ? lines.length : ledeAt;

  // The headline, when no header names it: the first headline-shaped line above the lede.
  let title = facts.title;
  let titleAt = -1;
  if (title === undefined) {
    titleAt = lines.findIndex((l, i) => i < top && kinds[i] === undefined && isHeadlineShaped(l) && words(l) > LABEL_MAX_WORDS - 2);
    if (titleAt >= 0) title = lines[titleAt];
  }
  let titleSeen = facts.title !== undefined;
  lines.forEach((line, i) => {
    // A repeat with the outlet after a dash reads as a credit too; it is the headline's.
    if ((kinds[i] !== undefined && kinds[i] !== "caption") || title === undefined) return;
    if (repeatsTitle(line, title)) {
      if (titleSeen) kinds[i] = "headline";
      titleSeen = true;
    }
  });

  // Above the lede, short unpunctuated lines are section labels, outlet names, datelines and menu
  // items, unless they head a list ("Key points" then "- …"), lead into the text with a colon, or are
  // the headline itself.
  for (let i = 0; i < top; i++) {
    const line = lines[i]!;
    if (kinds[i] !== undefined || endsSentence(line) || words(line) > LABEL_MAX_WORDS) continue;
    if (title !== undefined && sameWords(line, title)) continue;
    // A lead-in ("What you need to know:", "Key points") heads a list or the text that follows it.
    const next = lines[i + 1] ?? "";
    if (/^[-•*]\s/.test(next) || (/:$/.test(line) && kinds[i + 1] === undefined && endsSentence(next))) continue;
    kinds[i] = "label";
  }

  // Photo viewers print a caption twice, a few lines apart; both copies are the site's.
  lines.forEach((line, i) => {
    if (kinds[i] !== undefined || words(line) > CAPTION_MAX_WORDS) return;
    for (let j = i + 1; j < Math.min(lines.length, i + 1 + CAPTION_REPEAT_WINDOW); j++) {
      if (lines[j] === line) {
        kinds[i] = "caption";
        kinds[j] = "caption";
      }
    }
  });

  // A caption's title or alt text stands next to the caption or credit: a short unpunctuated line just
  // before one, or a line the caption beside it repeats the start of.
  lines.forEach((line, i) => {
    if (kinds[i] !== undefined || i === titleAt) return;
    const near = [i - 1, i + 1].filter((j) => kinds[j] === "caption");
    const prefix = line.slice(0, CAPTION_PREFIX_CHARS);
    if (near.some((j) => lines[j]!.startsWith(prefix) && prefix.length >= Math.min(line.length, CAPTION_PREFIX_CHARS))) kinds[i] = "caption";
    else if (kinds[i + 1] === "caption" && !endsSentence(line) && !/:$/.test(line) && words(line) <= LABEL_MAX_WORDS) kinds[i] = "caption";
  });
  return { kinds, titleAt };
}

/** The chrome kind a line has by itself, whatever stands around it. */
function lineKind(line: string, facts: PageFacts): ChromeKind | undefined {
  const n = words(line);
  if (facts.publisher && (sameWords(line, facts.publisher) || sameWords(line, facts.publisher.replace(/\s*\([^)]*\)\s*$/, "")))) return "outlet";
  if (n <= BYLINE_MAX_WORDS && BYLINE.test(line) && !endsSentence(line.replace(/\b\p{Lu}\.$/u, ""))) return "byline";
  if (EMBED.test(line)) return "embed";
  if (n <= DATE_LINE_MAX_WORDS && (isDateLine(line) || (DATE_WORDS.test(line) && (n <= 2 || findDate(line) !== undefined)))) return "date";
  if (line === "/" || line === "|") return "caption";
  if (GALLERY.test(line) || TIMECODE.test(line) || TOKEN.test(line) || (MENU_ROW.test(line) && !endsSentence(line) && n <= MENU_MAX_WORDS)) return "label";
  if (n <= NOTICE_MAX_WORDS && NOTICE.test(line)) return "notice";
  if (n <= NOTICE_MAX_WORDS && READER_OFFER.test(line) && (n <= LABEL_MAX_WORDS || /\b(?:you|your)\b/i.test(line))) return "notice";
  // "Read more: Title" or a bare "Related stories"; a sentence that opens with "See also" stays.
  if (RELATED.test(line) && ((n <= NOTICE_MAX_WORDS && !endsSentence(line)) || /^[^:]{0,30}:/.test(line))) return "related";
  if (n <= CAPTION_MAX_WORDS && isCaption(line)) return "caption";
  return undefined;
}

/** A photo caption or credit: a credit at its end, a credit label, or wording only captions use. */
function isCaption(line: string): boolean {
  if (CREDIT_LABEL.test(line) || CAPTION_WORDS.test(line)) return true;
  if (/["“”]/.test(line)) return false;
  if (CREDIT_PARENS.test(line)) return true;
  return !endsSentence(line) && (CREDIT_TAIL.test(line) || SLASH_CREDIT.test(line));
}

/** A line stating a date and at most two other words ("Thursday, March 21, 2024", "13 August 2024, 22:34"). */
function isDateLine(line: string): boolean {
  const found = findDate(line);
  if (!found) return false;
  const rest = line
    .replace(found.text, " ")
    .replace(/\b\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?)?/gi, " ")
    .replace(/[^\p{L}]+/gu, " ")
    .trim();
  return rest === "" || rest.split(" ").length <= 2;
}

/** A line the page's headline is repeated in: the same words, or with the outlet after a dash or bar, or after a symbol. */
function repeatsTitle(line: string, title: string): boolean {
  const bare = line.replace(/^[^\p{L}\p{N}"“‘']+/u, "");
  if (sameWords(bare, title)) return true;
  const cut = /\s[|–—-]\s[^|–—-]{1,40}$/.exec(bare);
  return cut !== null && sameWords(bare.slice(0, cut.index), title);
}

/** Short line with no sentence-ending punctuation: a headline or section heading. */
export function isHeadlineShaped(line: string): boolean {
  return line.length <= 160 && !/[.!?:;,”"’)…]$/.test(line) && words(line) <= 16;
}
