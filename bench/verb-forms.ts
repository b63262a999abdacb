import { writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { stemmer } from "stemmer";
import lemmatizer from "wink-lemmatizer";

/**
 * `npx tsx bench/verb-forms.ts`: writes `src/index/verb-forms.json`, the verb forms whose base form
 * (wink-lemmatizer's `verb`, WordNet's exception lists and suffix rules) stems differently from the
 * form itself: "began" → begin, "built" → build. That is every case where the lexical term uses the
 * base form, so loading this table (a few thousand entries) gives the same terms as loading
 * wink-lemmatizer and its 2.8 MB of WordNet data, which was a third of a cold start.
 *
 * Every form `verb` changes is an exception list key or a WordNet word plus a suffix its rules strip
 * (s, ies, es, ed, ing, with or without a final e): all of those are tried.
 */
export function verbForms(): Record<string, string> {
  const require = createRequire(import.meta.url);
  const lemmatizerDir = path.dirname(require.resolve("wink-lemmatizer/package.json"));
  const lexicon = (file: string) => require(createRequire(path.join(lemmatizerDir, "src/")).resolve(`wink-lexicon/src/${file}`)) as Record<string, unknown>;
  const candidates = new Set<string>(Object.keys(lexicon("wn-verb-exceptions.js")));
  for (const word of Object.keys(lexicon("wn-words.js"))) {
    const stems = word.endsWith("e") ? [word, word.slice(0, -1)] : [word];
    for (const s of stems) for (const suffix of ["s", "es", "ed", "ing"]) candidates.add(s + suffix);
    if (word.endsWith("y")) candidates.add(`${word.slice(0, -1)}ies`);
  }
  const out: Record<string, string> = {};
  for (const w of [...candidates].sort()) {
    if (w.length < 3 || !/^[a-z]+$/.test(w)) continue;
    const base = lemmatizer.verb(w);
    if (base !== w && stemmer(base) !== stemmer(w)) out[w] = base;
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const forms = verbForms();
  writeFileSync(path.resolve(import.meta.dirname, "../src/index/verb-forms.json"), `${JSON.stringify(forms, null, 0)}\n`);
  process.stderr.write(`verb-forms: ${Object.keys(forms).length} forms\n`);
}
