/** Caps on an HTML page's element tree, checked before it is parsed. */
export interface ShapeCaps {
  /**
   * Deepest nesting of elements taken. Readability's cost grows faster than the depth and it overflows
   * the stack near 9,000: `bench/html-caps.ts` on the 2-core dev machine gave 0.6–2.0 s at depth 250,
   * 1.6–7.1 s at 500 and 11–29 s at 1,000, by load. News pages nest 20 to 60 deep. Default MAX_HTML_DEPTH (256).
   */
  maxDepth: number;
  /**
   * Most elements taken: the same bench gave 1.5–2.9 s for 10,000, 6.4 s for 30,000 and 6.9–9.3 s for
   * 50,000; a heavy news page has 2,000 to 15,000. The wall-clock limit covers what the caps let through.
   * Default MAX_HTML_ELEMENTS (30000).
   */
  maxElements: number;
}

export const MAX_HTML_DEPTH = 256;
export const MAX_HTML_ELEMENTS = 30_000;
export const DEFAULT_SHAPE_CAPS: ShapeCaps = { maxDepth: MAX_HTML_DEPTH, maxElements: MAX_HTML_ELEMENTS };

/** Elements that never hold others. */
const VOID = new Set([
  "area",
  "base",
  "br",
  "col",
  "embed",
  "hr",
  "img",
  "input",
  "link",
  "meta",
  "param",
  "source",
  "track",
  "wbr",
  "keygen",
  "command",
  "basefont",
  "frame",
  "isindex",
]);
/**
 * Elements whose end tag may be left out (`<p>one<p>two`): a browser closes them at the next sibling,
 * so they are counted but do not deepen the tree, or sloppy but ordinary pages would look deep.
 */
const OPTIONAL_END = new Set(["p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th", "thead", "tbody", "tfoot", "colgroup", "rt", "rp", "caption"]);
/** Elements whose content is text, not markup, up to their end tag. */
const RAW_TEXT = new Set(["script", "style", "textarea", "title", "xmp", "noscript", "iframe", "noembed", "noframes", "template"]);

const TOKEN = /<!--[\s\S]*?(?:-->|$)|<!\[CDATA\[[\s\S]*?(?:\]\]>|$)|<[!?][^>]*>?|<(\/?)([a-zA-Z][^\s/>]*)((?:[^>"']|"[^"]*"|'[^']*')*)>/g;

/**
 * Why a page is too deep or too large to parse safely, or undefined when it is within the caps. One
 * pass over the text with no tree built (tags counted on a stack of depths), so it costs milliseconds
 * even for the 200,000-deep page that would freeze Readability. An over-approximation on broken
 * markup, which is fine: a refused page can still be imported as text. Pure.
 */
export function htmlShapeProblem(html: string, caps: ShapeCaps = DEFAULT_SHAPE_CAPS): string | undefined {
  let elements = 0;
  const open: string[] = [];
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(html); m; m = TOKEN.exec(html)) {
    const name = m[2]?.toLowerCase();
    if (!name) continue;
    if (m[1]) {
      // A close tag ends the nearest open element of that name and everything opened inside it.
      const at = open.lastIndexOf(name);
      if (at >= 0) open.length = at;
      continue;
    }
    elements++;
    if (elements > caps.maxElements) return `the page has more than ${caps.maxElements} elements, more than a news article needs; it is not parsed`;
    if (RAW_TEXT.has(name)) {
      // `name` is one of RAW_TEXT's plain names, safe in a pattern.
      const close = new RegExp(`</${name}`, "gi");
      close.lastIndex = TOKEN.lastIndex;
      TOKEN.lastIndex = close.exec(html)?.index ?? html.length;
    }
    if (VOID.has(name) || OPTIONAL_END.has(name) || RAW_TEXT.has(name) || m[3]?.trimEnd().endsWith("/")) continue;
    open.push(name);
    if (open.length > caps.maxDepth) return `the page nests elements more than ${caps.maxDepth} deep, more than a news article needs; it is not parsed`;
  }
  return undefined;
}
