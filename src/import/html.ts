import { Readability } from "@mozilla/readability";
import { parseHTML } from "linkedom";
import type { Article } from "../corpus/article.js";
import { normaliseDate } from "../corpus/date.js";

/**
 * What an HTML page says about itself (fields as in `Article`, "" when the page does not say; `url`
 * is the canonical URL the page names, else the address it was fetched from) and its main text in our
 * body format ("" when no article text was found).
 */
export type ExtractedPage = Pick<Article, "title" | "publisher" | "url" | "published" | "author" | "body">;

/**
 * Fewest words of main text a page must have to be an article. Readability falls back to the whole
 * page when it finds no article, so a page of menus would otherwise come back as its menu. Default 20.
 */
export const MIN_ARTICLE_WORDS = 20;

/** Elements whose text is one block of the body. */
const BLOCKS = new Set(["P", "LI", "BLOCKQUOTE", "PRE", "DD", "DT", "TD", "TH", "FIGCAPTION", "H1", "H2", "H3", "H4", "H5", "H6"]);
/** Elements that hold blocks: walked into, never emitted whole. */
const CONTAINERS = new Set([
  "DIV",
  "SECTION",
  "ARTICLE",
  "MAIN",
  "FIGURE",
  "UL",
  "OL",
  "DL",
  "TABLE",
  "THEAD",
  "TBODY",
  "TFOOT",
  "TR",
  "HEADER",
  "FOOTER",
  "ASIDE",
  "NAV",
  "BODY",
]);

/**
 * Main text and metadata of a news page. Readability (over linkedom) finds the article and drops
 * navigation, ads, share bars and related links; metadata comes from JSON-LD `NewsArticle`, Open
 * Graph and meta tags, read before Readability rewrites the document. Pure.
 */
export function extractPage(html: string, pageUrl = ""): ExtractedPage {
  const { document } = parseHTML(html);
  const meta = readMetadata(document);
  const article = new Readability(document, { charThreshold: 200 }).parse();
  const title = clean(meta.title || article?.title || "");
  const text = article?.content ? toBody(article.content, title) : "";
  const body = text.split(/\s+/).filter(Boolean).length >= MIN_ARTICLE_WORDS ? text : "";
  return {
    title,
    publisher: clean(meta.publisher || article?.siteName || ""),
    url: absoluteUrl(meta.url, pageUrl) || pageUrl,
    published: normaliseDate(meta.published || article?.publishedTime || ""),
    author: clean(meta.author || article?.byline || "").replace(/^by\s+/i, ""),
    body,
  };
}

/** The parts of linkedom's DOM this module reads. */
type Doc = ReturnType<typeof parseHTML>["document"];
interface El {
  tagName: string;
  nodeType: number;
  textContent: string | null;
  childNodes: ArrayLike<El>;
  children: ArrayLike<El>;
}

type PageMeta = Omit<ExtractedPage, "body">;

const ARTICLE_TYPES = /^(?:News|Report|Opinion|Analysis|Blog|Scholarly|Tech)?Article$|^(?:BlogPosting|LiveBlogPosting|ReportageNewsArticle)$/;

/** JSON-LD first (the publisher's own structured data), then Open Graph, then plain meta tags. */
function readMetadata(doc: Doc): PageMeta {
  const ld = jsonLdArticle(doc);
  const metaContent = (selector: string) => doc.querySelector(selector)?.getAttribute("content")?.trim() ?? "";
  const name = (v: unknown): string =>
    typeof v === "string"
      ? v
      : Array.isArray(v)
        ? v.map(name).filter(Boolean).join(", ")
        : v && typeof v === "object" && typeof (v as { name?: unknown }).name === "string"
          ? (v as { name: string }).name
          : "";
  const id = (v: unknown): string =>
    typeof v === "string" ? v : v && typeof v === "object" ? String((v as Record<string, unknown>)["@id"] ?? (v as Record<string, unknown>)["url"] ?? "") : "";
  return {
    title: str(ld?.["headline"]) || str(ld?.["name"]) || metaContent('meta[property="og:title"]') || metaContent('meta[name="twitter:title"]'),
    publisher: name(ld?.["publisher"]) || metaContent('meta[property="og:site_name"]') || metaContent('meta[name="application-name"]'),
    url:
      str(ld?.["url"]) ||
      id(ld?.["mainEntityOfPage"]) ||
      metaContent('meta[property="og:url"]') ||
      (doc.querySelector('link[rel="canonical"]')?.getAttribute("href") ?? ""),
    published:
      str(ld?.["datePublished"]) ||
      metaContent('meta[property="article:published_time"]') ||
      metaContent('meta[itemprop="datePublished"]') ||
      metaContent('meta[name="date"]'),
    author: name(ld?.["author"]) || metaContent('meta[name="author"]') || metaContent('meta[property="article:author"]'),
  };
}

/** The first JSON-LD object typed as an article, looking into arrays and `@graph`. */
function jsonLdArticle(doc: Doc): Record<string, unknown> | undefined {
  for (const script of doc.querySelectorAll('script[type="application/ld+json"]')) {
    let data: unknown;
    try {
      data = JSON.parse((script.textContent ?? "").replace(/^\s*<!\[CDATA\[|\]\]>\s*$/g, ""));
    } catch {
      continue;
    }
    const queue: unknown[] = [data];
    while (queue.length) {
      const item = queue.shift();
      if (Array.isArray(item)) queue.push(...item);
      else if (item && typeof item === "object") {
        const obj = item as Record<string, unknown>;
        const types = ([] as unknown[]).concat(obj["@type"] ?? []);
        if (types.some((t) => typeof t === "string" && ARTICLE_TYPES.test(t))) return obj;
        if (obj["@graph"]) queue.push(obj["@graph"]);
      }
    }
  }
  return undefined;
}

/** Readability's article HTML as our body text: one block per paragraph, headings and captions marked. */
function toBody(contentHtml: string, title: string): string {
  const { document } = parseHTML(`<!doctype html><html><body>${contentHtml}</body></html>`);
  const blocks: string[] = [];
  let inline = "";
  const flush = () => {
    const text = clean(inline);
    if (text) blocks.push(text);
    inline = "";
  };
  const walk = (node: El): void => {
    for (const child of Array.from(node.childNodes)) {
      if (child.nodeType === 3) inline += child.textContent ?? "";
      else if (child.nodeType === 1) {
        const el = child as El;
        const tag = el.tagName.toUpperCase();
        if (tag === "SCRIPT" || tag === "STYLE" || tag === "NOSCRIPT" || tag === "BUTTON") continue;
        if (tag === "BR") inline += " ";
        else if (BLOCKS.has(tag) && !hasBlockChild(el)) {
          flush();
          const text = clean(textOf(el));
          if (!text) continue;
          if (/^H[1-6]$/.test(tag)) blocks.push(`## ${text}`);
          else if (tag === "FIGCAPTION") blocks.push(`Caption: ${text}`);
          else blocks.push(text);
        } else if (BLOCKS.has(tag) || CONTAINERS.has(tag)) {
          flush();
          walk(el);
          flush();
        } else inline += textOf(el);
      }
    }
  };
  walk(document.body as unknown as El);
  flush();
  // Readability keeps the headline when it differs slightly from the title; it is front matter, not body.
  if (blocks[0] && sameText(blocks[0].replace(/^## /, ""), title)) blocks.shift();
  return blocks.join("\n\n");
}

/** Text of an element, a line break counting as a space (textContent drops it: "soon.Second"). */
function textOf(el: El): string {
  let out = "";
  for (const child of Array.from(el.childNodes)) {
    if (child.nodeType === 3) out += child.textContent ?? "";
    else if (child.nodeType === 1) out += child.tagName.toUpperCase() === "BR" ? " " : textOf(child);
  }
  return out;
}

function hasBlockChild(el: El): boolean {
  return Array.from(el.children).some((c) => BLOCKS.has(c.tagName.toUpperCase()) || CONTAINERS.has(c.tagName.toUpperCase()));
}

function str(v: unknown): string {
  return typeof v === "string" ? v.trim() : "";
}

/** One line: whitespace collapsed, NFC. */
function clean(text: string): string {
  return text.replace(/\s+/g, " ").trim().normalize("NFC");
}

function sameText(a: string, b: string): boolean {
  const norm = (s: string) =>
    s
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, " ")
      .trim();
  return norm(a) === norm(b);
}

function absoluteUrl(url: string, base: string): string {
  if (!url) return "";
  try {
    const u = base ? new URL(url, base) : new URL(url);
    return u.protocol === "http:" || u.protocol === "https:" ? u.href : "";
  } catch {
    return "";
  }
}
