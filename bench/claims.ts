/**
 * How the claim check (src/llm/claims.ts) does on text it must keep, and what it costs: every sentence
 * of the team's articles (corpus/ and the evaluation fixtures) is checked as a claim against its own
 * passage and title, as the verifier checks a prose sentence against its cited quote. Prints how many
 * were kept, and the time per sentence: reading new text (each passage at its first sentence, as in
 * an answer), and with everything already read.
 *
 *   npx tsx bench/claims.ts
 */
import path from "node:path";
import { loadCorpus } from "../src/corpus/load.js";
import { checkClaim } from "../src/llm/claims.js";
import { stemsOnly } from "../src/llm/support.js";
import { splitArticle } from "../src/passages/split.js";

const REPO = path.resolve(import.meta.dirname, "..");
const DIRS = ["corpus", "test/fixtures/eval/corpus", "test/fixtures/eval/corpus-more"].map((d) => path.join(REPO, d));

const cases: Array<{ id: string; text: string; context: string[] }> = [];
for (const dir of DIRS) {
  const { articles } = await loadCorpus(dir);
  for (const article of articles) {
    for (const passage of splitArticle(article)) {
      if (passage.kind === "heading") continue;
      for (const s of passage.sentences) {
        cases.push({ id: passage.id, text: passage.text.slice(s.start - passage.start, s.end - passage.start), context: [passage.text, article.title] });
      }
    }
  }
}

const dropped: string[] = [];
const timed = (run: (c: (typeof cases)[number]) => void): number[] => {
  const ms: number[] = [];
  for (const c of cases) {
    const t0 = performance.now();
    run(c);
    ms.push(performance.now() - t0);
  }
  return ms.sort((a, b) => a - b);
};
// First pass: each sentence is new text, and each passage is read (tokens, sentences, dates) at its
// first sentence, as in an answer. Second pass: everything already read, the check alone.
const first = timed((c) => {
  const v = checkClaim(c.text, { quotes: [c.text], context: c.context }, stemsOnly);
  if (!v.supported) dropped.push(`${c.id}: ${v.reason}`);
});
const second = timed((c) => void checkClaim(c.text, { quotes: [c.text], context: c.context }, stemsOnly));
const at = (ms: number[], q: number) => ms[Math.min(ms.length - 1, Math.floor(q * ms.length))]!.toFixed(2);
console.log(`claims: ${cases.length - dropped.length} of ${cases.length} sentences of our articles kept against their own passage`);
for (const d of dropped) console.log(`  dropped ${d}`);
console.log(`claims: per sentence, reading new text: median ${at(first, 0.5)} ms, p95 ${at(first, 0.95)} ms; already read: median ${at(second, 0.5)} ms, p95 ${at(second, 0.95)} ms`);
