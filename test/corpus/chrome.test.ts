import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { classifyLines } from "../../src/corpus/chrome.js";
import { cleanArticleText } from "../../src/corpus/clean.js";
import { splitHeader } from "../../src/corpus/header.js";

const fixture = (name: string) => readFileSync(path.join(import.meta.dirname, "..", "fixtures", name), "utf8");

describe("site chrome of a pasted page", () => {
  const raw = fixture("raw-pasted-chrome.txt");
  const { fields, rest } = splitHeader(raw);
  const cleaned = cleanArticleText(rest, { title: fields.title, publisher: fields.publisher });
  const blocks = cleaned.body.trim().split("\n\n");

  it("keeps only the article: lede, sentences, the quote joined across a wrapped line, and the real subhead", () => {
    expect(blocks).toEqual([
      "Crews worked through the weekend to restore the lamps along the sea wall",
      "GULL BAY — The harbour lights came back on on Sunday evening, three weeks after a winter storm tore cables from the sea wall and left the promenade dark.",
      "The council said the repairs cost £48,000 and were paid from the coastal emergency fund, which had been topped up in March.",
      "“People walk here every night, so it mattered to get it done quickly,” said harbour master Tomas Edge, who oversaw the work with two contractors.",
      "## What happens next",
      "The council plans a second phase in the summer, when the old lamp posts near the ferry ramp will be replaced.",
    ]);
  });

  it("takes the headline from the first headline-shaped line when the header has no title, and drops its repeat with the outlet", () => {
    expect(cleaned.title).toBe("Harbour lights switched back on after storm repairs");
    expect(cleaned.body).not.toContain("Harbour lights switched back on");
  });

  it("reads the byline and the date line before dropping them, and says what kinds of chrome went", () => {
    expect(cleaned.author).toBe("Nora Quill");
    expect(cleaned.published).toBe("2025-04-24T09:05:00");
    expect(cleaned.droppedKinds).toMatchObject({ byline: 1, date: 1, outlet: 1, related: 2, embed: 1 });
    expect(cleaned.droppedKinds.caption).toBeGreaterThanOrEqual(3);
    expect(cleaned.droppedKinds.notice).toBeGreaterThanOrEqual(4);
  });

  it("drops bylines in any form, credits and captions by their shape, not by known words", () => {
    const lines = [
      "Written by Jo Marsh ALL RIGHTS RESERVED on April 24, 2024",
      "by · The Lantern",
      "Engineers test the new turbine blade at the yard (Kai Moss/Northfield Press)",
      "A lamplighter at work on the promenade – Pic: Tide Archive",
      "Work on the turbine began in 2019 and is due to finish next spring, the company said.",
    ];
    expect(classifyLines(lines).kinds).toEqual(["byline", "byline", "caption", "caption", undefined]);
  });

  it("keeps sentences that only look like chrome: a photo finish, words like 'subscribe' not spoken to the reader", () => {
    const lines = [
      "A surprise at the regatta: the Tern beat the Swift in a photo finish by half a length on Saturday afternoon.",
      "The club said members who subscribe to the new plan will pay less, and that the newsletter will end in June.",
      "Asked whether the cookies sold at the fair were homemade, the organiser laughed.",
    ];
    expect(classifyLines(lines).kinds).toEqual([undefined, undefined, undefined]);
  });

  it("drops links to other stories, but not a subhead or sentence that starts with the same word", () => {
    const lines = [
      "The ferry crossing from Gull Bay to Saltmarsh resumed on Friday after a week of storms, the operator said.",
      "Read more: Storm closes the coast road",
      "Watch: the first ferry leaves the harbour",
      "Related stories",
      "Watch list",
      "See also the council's statement, published on Thursday, which sets out the repair costs.",
    ];
    expect(classifyLines(lines).kinds).toEqual([undefined, "related", "related", "related", undefined, undefined]);
  });

  it("keeps a short lead-in that heads a list, and drops short labels above the lede", () => {
    const lines = [
      "Weather",
      "Key points",
      "- The pier reopens on Friday.",
      "Coastal Edition",
      "The pier at Saltmarsh reopens on Friday after a month of repairs to its deck, the council said on Tuesday.",
    ];
    expect(classifyLines(lines).kinds).toEqual(["label", undefined, undefined, "label", undefined]);
  });
});
