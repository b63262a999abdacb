import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { cleanArticleText } from "../../src/corpus/clean.js";

const fixture = (name: string) => readFileSync(path.join(import.meta.dirname, "..", "fixtures", name), "utf8");

describe("cleaning raw article text", () => {
  const raw = fixture("raw-turkiye-today.txt");
  const cleaned = cleanArticleText(raw);

  it("drops navigation, photo viewer words, the repeated date line and the More From footer", () => {
    for (const chrome of ["Close", "newsletters Newsletters", "X Instagram Youtube", "BigPhoto", "More From", "11:18 AM GMT+03:00"]) {
      expect(cleaned.body).not.toContain(chrome);
    }
    expect(cleaned.body.split("\n")).not.toContain("Photo");
  });

  it("takes metadata only from what the text states", () => {
    expect(cleaned.title).toBe("Türkiye, Armenia hold second round of talks on reopening Kars–Gyumri railway");
    expect(cleaned.publisher).toBe("Türkiye Today");
    expect(cleaned.published).toBe("2025-11-29T11:18:00+03:00");
    const untitled = cleanArticleText(fixture("raw-untitled.txt"));
    expect([untitled.title, untitled.publisher, untitled.published]).toEqual(["", "", ""]);
  });

  it("drops photo captions, both copies a photo viewer prints, as site chrome", () => {
    expect(cleaned.body).not.toContain("Caption: ");
    expect(cleaned.body).not.toContain("in Tianjin, China on Sept. 1, 2025");
    expect(cleaned.droppedKinds.caption).toBe(6);
  });

  it("marks section headings and keeps every body sentence verbatim", () => {
    expect(cleaned.body).toContain("## Talks focus on restoring railway line");
    expect(cleaned.body).toContain("## Borders have been closed since 1993");
    for (const line of raw.split("\n").filter((l) => l.length > 120 && !l.includes("Photo"))) {
      expect(cleaned.body).toContain(line.trim());
    }
  });

  it("leaves an article without site chrome as it was, paragraph for paragraph", () => {
    const raw0 = fixture("raw-untitled.txt");
    const untitled = cleanArticleText(raw0);
    const paragraphs = raw0
      .split("\n")
      .map((l) => l.trim())
      .filter(Boolean);
    const blocks = untitled.body
      .trim()
      .split("\n\n")
      .map((b) => b.replace(/^## /, ""));
    expect(blocks).toEqual(paragraphs);
  });
});
