import { readFileSync } from "node:fs";
import path from "node:path";
import { parseHTML } from "linkedom";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeTerm, textDirective, withDeepLink } from "../../src/answer/fragment.js";
import { expandInputs, readSource, type ImportedArticle } from "../../src/import/source.js";
import { writeArticles } from "../../src/import/write.js";
import { openAnswerService, type AnswerService } from "../../src/service/answer-service.js";
import { memoryLogger, REPO, scratch, testConfig } from "../helpers/core.js";

/**
 * An independent reading of a `#:~:text=` link, as the WICG spec defines it: split on `,`, a term
 * ending in `-` is the prefix and one starting with `-` the suffix, each term percent-decoded; then the
 * first place in the text where prefix, start (… end) and suffix follow each other.
 */
function browserTarget(text: string, link: string): string | undefined {
  const value = link.split("#:~:text=")[1]!;
  const parts = value.split(",");
  const prefix = parts[0]!.endsWith("-") ? decodeURIComponent(parts.shift()!.slice(0, -1)) : "";
  const suffix = parts.at(-1)!.startsWith("-") ? decodeURIComponent(parts.pop()!.slice(1)) : "";
  const [start, end] = parts.map(decodeURIComponent) as [string, string | undefined];
  const flat = text.replace(/\s+/g, " ").toLowerCase();
  for (let i = flat.indexOf(start.toLowerCase()); i >= 0; i = flat.indexOf(start.toLowerCase(), i + 1)) {
    if (prefix && !flat.slice(0, i).trimEnd().endsWith(prefix.toLowerCase())) continue;
    const stop = end ? flat.indexOf(end.toLowerCase(), i + start.length) + end.length : i + start.length;
    if (end && stop < end.length) continue;
    if (suffix && !flat.slice(stop).trimStart().startsWith(suffix.toLowerCase())) continue;
    return flat.slice(i, stop);
  }
  return undefined;
}

const norm = (s: string) => s.replace(/\s+/g, " ").toLowerCase();

describe("deep links to quotes", () => {
  it("percent-encodes terms, including the -, , and & that are text-fragment syntax", () => {
    expect(encodeTerm("Kars-Gyumri, rail & road: “now”")).toBe("Kars%2DGyumri%2C%20rail%20%26%20road%3A%20%E2%80%9Cnow%E2%80%9D");
    const body = "The Kars-Gyumri line, rail & road, reopens.\n\nOther text follows here.";
    const quote = "Kars-Gyumri line, rail & road";
    const start = body.indexOf(quote);
    const c = withDeepLink({ url: "https://news.example/a?x=1#top", start, end: start + quote.length }, body);
    expect(c.link).toBe("https://news.example/a?x=1#:~:text=Kars%2DGyumri%20line%2C%20rail%20%26%20road");
    expect(browserTarget(body, c.link!)).toBe(norm(quote));
  });

  it("adds a prefix or suffix when the quote also occurs earlier in the article, so the link lands on this one", () => {
    const body =
      "Officials met in Gyumri. The talks will resume next month, they said.\n\nLater, a second group met in Kars. The talks will resume next month, the ministry said.";
    const quote = "The talks will resume next month";
    const first = body.indexOf(quote);
    const second = body.indexOf(quote, first + 1);
    const one = withDeepLink({ url: "https://n.example/t", start: first, end: first + quote.length }, body).link!;
    const two = withDeepLink({ url: "https://n.example/t", start: second, end: second + quote.length }, body).link!;
    expect(one).toBe("https://n.example/t#:~:text=The%20talks%20will%20resume%20next%20month");
    expect(two).toBe("https://n.example/t#:~:text=Kars.-,The%20talks%20will%20resume%20next%20month");
    // The first occurrence is the one the bare quote finds; the prefix moves the second link past it.
    const flat = norm(body);
    expect(flat.indexOf(browserTarget(body, two)!, flat.indexOf("kars."))).toBeGreaterThan(flat.indexOf(norm(quote)));
    expect(browserTarget(body, two)).toBe(norm(quote));
    // At the start of its paragraph there is no prefix to take: the suffix does the work.
    const repeated = "Rain fell all day.\n\nRain fell all day. Then the river rose.";
    const at = repeated.lastIndexOf("Rain fell all day.");
    expect(textDirective(repeated, at, at + "Rain fell all day.".length)).toBe("Rain%20fell%20all%20day.,-Then");
  });

  it("links a long quote by its first and last words", () => {
    const body =
      "Intro. Board chair Ines Volkova said the extra sailing would cost about 48,000 a year in fuel and crew, and that the board had listened. More text.";
    const quote = "Board chair Ines Volkova said the extra sailing would cost about 48,000 a year in fuel and crew, and that the board had listened.";
    const start = body.indexOf(quote);
    const c = withDeepLink({ url: "https://n.example/f", start, end: start + quote.length }, body);
    expect(c.link).toBe("https://n.example/f#:~:text=Board%20chair%20Ines,board%20had%20listened.");
    expect(browserTarget(body, c.link!)).toBe(norm(quote));
  });

  it("gives Web Annotation selectors with the link, and leaves a citation without a URL as it was", () => {
    const body = "Alpha beta gamma. Delta epsilon zeta. Eta theta iota.";
    const start = body.indexOf("Delta");
    const end = start + "Delta epsilon zeta.".length;
    const c = withDeepLink({ url: "https://n.example/g", start, end }, body);
    expect(c.selectors).toEqual([
      { type: "TextQuoteSelector", exact: "Delta epsilon zeta.", prefix: "Alpha beta gamma. ", suffix: " Eta theta iota." },
      { type: "TextPositionSelector", start, end },
    ]);
    expect(withDeepLink({ url: "", start, end }, body)).toEqual({ url: "", start, end });
  });

  describe("on answers from imported articles", () => {
    let dir: ReturnType<typeof scratch>;
    let core: AnswerService;
    beforeAll(async () => {
      dir = scratch({ corpus: false });
      const { sources } = await expandInputs([path.join(REPO, "test", "fixtures", "import", "html")]);
      const articles = (await Promise.all(
        sources.map((s) => readSource(s, {}, { fetch: { timeoutMs: 1000, maxBytes: 1e6, maxRedirects: 0 } })),
      )) as ImportedArticle[];
      await writeArticles(dir.corpusDir, articles, { force: false });
      core = await openAnswerService(testConfig({ CORPUS_DIR: dir.corpusDir, DATA_DIR: dir.dataDir }), { log: memoryLogger().log });
    });
    afterAll(() => dir.cleanup());

    it("carries a text-fragment link and selectors on every citation, each resolving to the quote", async () => {
      const answer = await core.ask("How many books an hour does the library robot sort?");
      expect(answer.answered).toBe(true);
      const html = readFileSync(path.join(REPO, "test", "fixtures", "import", "html", "library-robot.html"), "utf8");
      for (const c of answer.citations) {
        expect(c.url).not.toBe("");
        expect(c.link!.startsWith(`${c.url}#:~:text=`)).toBe(true);
        const [quoteSel, posSel] = c.selectors!;
        expect(quoteSel.exact).toBe(c.quote);
        expect([posSel.start, posSel.end]).toEqual([c.start, c.end]);
        expect(browserTarget(core.getPassage(c.passageId)!.article.body, c.link!)).toBe(norm(c.quote));
      }
      const robot = answer.citations.find((c) => c.articleId.startsWith("valley-library"))!;
      expect(robot.quote).toContain("400 books an hour");
      // The page a browser renders holds the words the link points at, in the same order.
      const pageText = parseHTML(html).document.body.textContent ?? "";
      expect(browserTarget(pageText, robot.link!)).toBe(norm(robot.quote));
    });
  });
});
