import { writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type { LemmaData } from "../src/text/lemma.js";

/**
 * `npx tsx bench/lemma-data.ts`: writes `src/text/lemma-data.json`, the part of wink-lemmatizer's
 * WordNet data (wink-lexicon) that its `noun`, `verb` and `adjective` read: the three exception
 * lists and which words have a noun, verb or adjective sense. `src/text/lemma.ts` runs the same
 * rules over it; loading the lemmatizer's 2.8 MB of JavaScript was a third of a cold start.
 */
export function lemmaData(): LemmaData {
  const require = createRequire(import.meta.url);
  const fromLemmatizer = createRequire(require.resolve("wink-lemmatizer"));
  const lexicon = <T>(file: string) => fromLemmatizer(`wink-lexicon/src/${file}`) as T;
  const words = lexicon<Record<string, number>>("wn-words.js");
  const senses = lexicon<number[][]>("wn-word-senses.js");
  const having = (test: (sense: number) => boolean) =>
    Object.keys(words)
      .filter((w) => senses[words[w]!]!.some(test))
      .sort()
      .join("\n");
  const plain = (o: Record<string, string>) =>
    Object.fromEntries(
      Object.keys(o)
        .sort()
        .map((k) => [k, o[k]!]),
    );
  return {
    source: `wink-lemmatizer ${(require("wink-lemmatizer/package.json") as { version: string }).version}`,
    nounExceptions: plain(lexicon("wn-noun-exceptions.js")),
    verbExceptions: plain(lexicon("wn-verb-exceptions.js")),
    adjectiveExceptions: plain(lexicon("wn-adjective-exceptions.js")),
    // The sense ranges wink-lemmatizer's isNoun, isVerb and isAdjective test.
    nouns: having((s) => s > 2 && s < 29),
    verbs: having((s) => s > 28 && s < 44),
    adjectives: having((s) => s < 2),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  writeFileSync(path.resolve(import.meta.dirname, "../src/text/lemma-data.json"), `${JSON.stringify(lemmaData())}\n`);
}
