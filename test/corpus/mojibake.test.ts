import { describe, expect, it } from "vitest";
import { hasLostLetters, repairMojibake, wordsWithLostLetters } from "../../src/corpus/mojibake.js";

describe("mojibake and lost letters", () => {
  it("repairs UTF-8 read as Windows-1252 and says what each run became", () => {
    const r = repairMojibake("The cafÃ© didnâ€™t open â€” it was 10Â km away.");
    expect(r.text).toBe("The café didn’t open — it was 10 km away.");
    expect(r.repaired).toEqual(expect.arrayContaining(["Ã© → é", "â€™ → ’", "â€” → —", "Â before a space → removed"]));
  });

  it("turns Â with its no-break space into the no-break space it was", () => {
    expect(repairMojibake("Price:Â\u00a0£5").text).toBe("Price:\u00a0£5");
  });

  it("leaves correct text and real accented words alone", () => {
    for (const text of ["Ärger in Århus", "São Paulo, Türkiye and Côte d’Ivoire", "ÂGE D’OR"]) {
      expect(repairMojibake(text)).toEqual({ text, repaired: [] });
    }
  });

  it("finds words with a question mark where letters belong, but not questions", () => {
    expect(wordsWithLostLetters("The daily Ye?il Kent said so. Was it I?d?r? Who knows?")).toEqual(["Ye?il", "I?d?r?"]);
    expect(hasLostLetters("Ye?il Kent")).toBe(true);
    expect(hasLostLetters("Is it Kent?")).toBe(false);
    expect(wordsWithLostLetters("See https://example.org/post.php?story=20240 and www.example.org/a?b for more.")).toEqual([]);
  });
});
