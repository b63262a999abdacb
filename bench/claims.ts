/**
 * How the claim check (src/llm/claims.ts) does on text it must keep, and what it costs: every sentence
 * of the team's articles (corpus/ and the evaluation fixtures) is checked as a claim against its own
 * passage and title, as the verifier checks a prose sentence against its cited quote. Prints how many
 * were kept, and the time per sentence: reading new text (each passage at its first sentence, as in
 * an answer), and with everything already read. Then a second set of lies and paraphrases, written
 * after the table in test/llm/claims.test.ts was settled (Malmö and Philippines articles), through
 * the whole prose check with the GloVe bridge: how many lies it drops and how many paraphrases it keeps.
 *
 *   npx tsx bench/claims.ts
 */
import path from "node:path";
import { findVerbatim } from "../src/answer/match.js";
import { loadCorpus } from "../src/corpus/load.js";
import { GloveEmbeddings } from "../src/embeddings/glove.js";
import { checkClaim } from "../src/llm/claims.js";
import { checkSentence, gloveBridge, stemsOnly, type SupportEvidence } from "../src/llm/support.js";
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
console.log(
  `claims: per sentence, reading new text: median ${at(first, 0.5)} ms, p95 ${at(first, 0.95)} ms; already read: median ${at(second, 0.5)} ms, p95 ${at(second, 0.95)} ms`,
);

// A second set, written after the test table was settled.
const more = (await loadCorpus(path.join(REPO, "test/fixtures/eval/corpus-more"))).articles;
const ev = (id: string, quote: string, sources: string[]): SupportEvidence => {
  const a = more.find((x) => x.id === id)!;
  const p = splitArticle(a).find((x) => findVerbatim(quote, x.text) !== undefined)!;
  return { quotes: [quote], context: [p.text, a.title], sources: [...sources, a.publisher] };
};
const M = "malmo-congestion-charge-vote",
  P = "philippines-solar-auction-results";
const vote = ev(M, "The proposal passed by 34 votes to 27 after a debate that lasted almost five hours", []);
const traffic = ev(M, "the city expected car traffic across the charging zone to fall by between 15% and 20% in the first year", ["Linnéa Ekdahl"]);
const pay = ev(M, "Nobody would pay more than 120 kronor, or about 11 euros, in a single day", []);
const raise = ev(M, "the charge would raise about 380 million kronor a year after running costs", ["City officials"]);
const bill = ev(M, "Ekdahl said she hoped the government would put a bill to parliament by the end of 2026", ["Ekdahl"]);
const freeze = ev(M, "the council agreed to keep the price of a 30-day bus ticket within the city at 795 kronor until at least June 2027", []);
const solar = ev(P, "The Philippines awarded contracts for 2,930 megawatts of new solar capacity in its latest renewable energy auction", [
  "the Department of Energy",
]);
const projects = ev(P, "A total of 27 projects won contracts out of 41 that qualified", ["the department"]);
const LIES: Array<[SupportEvidence, string]> = [
  [vote, "The proposal passed by 27 votes to 34 after a debate that lasted almost five hours [1]."],
  [vote, "The proposal passed by 34 votes to 27 after a debate that lasted almost five days [1]."],
  [traffic, "Ekdahl said car traffic across the charging zone would rise by between 15% and 20% in the first year [1]."],
  [traffic, "Ekdahl said car traffic across the charging zone will fall by between 15% and 20% in the first year [1]."],
  [traffic, "Ekdahl said the city expected car traffic to fall by between 15% and 20% after the first year [1]."],
  [pay, "Nobody would pay less than 120 kronor in a single day [1]."],
  [pay, "Nobody would pay more than 120 euros in a single day [1]."],
  [raise, "City officials estimate that the charge would raise about 380 million kronor a month after running costs [1]."],
  [raise, "City officials estimate that the charge will raise about 380 million kronor a year after running costs [1]."],
  [bill, "Ekdahl said the government would put a bill to parliament by the end of 2027 [1]."],
  [bill, "Ekdahl said the government will put a bill to parliament by the end of 2026 [1]."],
  [freeze, "The council agreed to keep the price of a 30-day bus ticket at 795 kronor until at most June 2027 [1]."],
  [freeze, "The council agreed to keep the price of a 30-day bus ticket at 795 kronor since June 2027 [1]."],
  [solar, "The Philippines awarded contracts for 2,930 gigawatts of new solar capacity [1]."],
  [projects, "A total of 41 projects won contracts out of 27 that qualified [1]."],
];
const TRUE: Array<[SupportEvidence, string]> = [
  [vote, "The proposal passed 34 to 27 after a debate of almost five hours [1]."],
  [traffic, "Ekdahl said the city expected car traffic across the charging zone to fall by 15% to 20% in the first year [1]."],
  [pay, "No driver would pay more than 120 kronor in a single day [1]."],
  [raise, "The charge would raise about 380 million kronor a year after running costs, city officials estimate [1]."],
  [bill, "Ekdahl said she hoped the government would put a bill to parliament by the end of 2026 [1]."],
  [freeze, "The price of a 30-day bus ticket will stay at 795 kronor until at least June 2027 [1]."],
  [solar, "The Philippines awarded contracts for 2,930 megawatts of new solar capacity in its latest auction [1]."],
  [projects, "27 of the 41 projects that qualified won contracts [1]."],
  [raise, "The charge could raise about 380 million kronor a year after running costs [1]."],
  [freeze, "The council agreed to keep the 30-day bus ticket at 795 kronor until at least June 2027 [1]."],
];
const bridge = gloveBridge(GloveEmbeddings.open({ cacheDir: path.join(REPO, ".data/cache") }));
const kept = (e: SupportEvidence, s: string) => checkSentence(s, e, bridge).supported;
const leaked = LIES.filter(([e, s]) => kept(e, s));
const lost = TRUE.filter(([e, s]) => !kept(e, s));
console.log(
  `claims: second set: ${LIES.length - leaked.length} of ${LIES.length} lies dropped, ${TRUE.length - lost.length} of ${TRUE.length} paraphrases kept`,
);
for (const [, s] of leaked) console.log(`  lie kept: ${s}`);
for (const [, s] of lost) console.log(`  paraphrase dropped: ${s}`);
