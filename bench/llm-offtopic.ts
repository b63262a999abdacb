import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import type { Citation } from "../src/answer/answer.js";
import { normalizeForMatch } from "../src/answer/match.js";
import { loadCorpus } from "../src/corpus/load.js";
import { addressesQuestion } from "../src/llm/answerability.js";
import type { Passage } from "../src/passages/passage.js";
import { splitArticle } from "../src/passages/split.js";
import type { ScoredPassage } from "../src/retrieval/hybrid.js";
import { queryOf } from "../src/retrieval/query.js";

/**
 * `npx tsx bench/llm-offtopic.ts [dir]`: how the LLM answerer's off-topic rule (`addressesQuestion`)
 * treats real sentences of the news-dev set (default `../shared/news-dev`, read at run time, never
 * copied). For every answerable question:
 * - kept: a sentence of its article that holds the expected answer passes the rule (it must, or the rule
 *   would decline a right answer);
 * - caught, same article: of the other sentences of its article (those holding no expected answer), the
 *   share the rule declines: how often an answer quoting the wrong sentence of the right article is
 *   caught without the model's own verdict;
 * - caught, other articles: the same over every OTHER_STRIDE-th sentence of the group's other articles.
 * Nothing is fitted: the rule has no tuned number. Prints one line per group and per question kind.
 */

interface Answerable {
  article: string;
  q: string;
  expect: string[][];
  kind: string[];
}

const dir = path.resolve(process.argv[2] ?? path.join(import.meta.dirname, "..", "..", "shared", "news-dev"));
if (!existsSync(dir)) {
  console.error(`llm-offtopic: the news-dev set is not at ${dir}; pass its folder as the first argument`);
  process.exit(2);
}

const norm = (s: string) => normalizeForMatch(s).norm.toLowerCase();
/** Every this-many-th sentence of the other articles is tried against a question (all of them would take minutes). */
const OTHER_STRIDE = 10;
type Tally = { questions: number; kept: number; others: number; caught: number; foreign: number; foreignCaught: number };
const tallies = new Map<string, Tally>();
const add = (key: string, kept: boolean, others: number, caught: number, foreign: number, foreignCaught: number) => {
  const t = tallies.get(key) ?? { questions: 0, kept: 0, others: 0, caught: 0, foreign: 0, foreignCaught: 0 };
  t.foreign += foreign;
  t.foreignCaught += foreignCaught;
  t.questions += 1;
  t.kept += kept ? 1 : 0;
  t.others += others;
  t.caught += caught;
  tallies.set(key, t);
};

for (const group of ["a", "b", "c", "d"]) {
  const { articles } = await loadCorpus(path.join(dir, group, "raw"));
  const questions = (JSON.parse(readFileSync(path.join(dir, group, "questions.json"), "utf8")) as { answerable: Answerable[] }).answerable;
  const passagesOf = new Map(articles.map((a) => [a.id, { article: a, passages: splitArticle(a) }]));
  const everyOther = [...passagesOf.values()]
    .flatMap(({ article, passages }) =>
      passages.filter((p) => p.kind !== "heading").flatMap((p) => p.sentences.map((s) => ({ article, p, s, scored: [{ passage: p, article, score: 1 }] }))),
    )
    .filter((_, i) => i % OTHER_STRIDE === 0);
  for (const q of questions) {
    const found = passagesOf.get(q.article);
    if (!found) continue;
    const scored: ScoredPassage[] = found.passages.map((passage) => ({ passage, article: found.article, score: 1 }));
    const cite = (p: Passage, s: Passage["sentences"][number], article = found.article): Citation => ({
      n: 1,
      source: article.publisher,
      quote: s.text,
      articleId: article.id,
      passageId: p.id,
      start: s.start,
      end: s.end,
      title: article.title,
      publisher: article.publisher,
      published: article.published,
      url: article.url,
    });
    const sentences = found.passages.filter((p) => p.kind !== "heading").flatMap((p) => p.sentences.map((s) => ({ p, s, text: norm(s.text) })));
    // An answering sentence holds an alternative of some expected part; a right answer quotes at least one.
    const answers = sentences.filter((x) => q.expect.some((alts) => alts.some((alt) => x.text.includes(norm(alt)))));
    if (answers.length === 0) continue;
    const asked = [queryOf(q.q)];
    const kept = answers.some((x) => addressesQuestion(asked, [cite(x.p, x.s)], scored));
    const others = sentences.filter((x) => !answers.includes(x));
    const caught = others.filter((x) => !addressesQuestion(asked, [cite(x.p, x.s)], scored)).length;
    const foreign = everyOther.filter((x) => x.article.id !== q.article);
    const foreignCaught = foreign.filter((x) => !addressesQuestion(asked, [cite(x.p, x.s, x.article)], x.scored)).length;
    for (const key of [`group ${group}`, "all", ...q.kind.map((k) => `kind ${k}`)]) add(key, kept, others.length, caught, foreign.length, foreignCaught);
  }
}

const pct = (a: number, b: number) => (b === 0 ? "–" : `${((100 * a) / b).toFixed(1)}%`);
for (const [key, t] of [...tallies].sort(([a], [b]) => (a === "all" ? -1 : b === "all" ? 1 : a < b ? -1 : 1))) {
  console.log(
    `${key.padEnd(12)} questions ${String(t.questions).padStart(4)}  right answer kept ${String(t.kept).padStart(4)} (${pct(t.kept, t.questions)})  caught: same article ${pct(t.caught, t.others)} of ${t.others}, other articles ${pct(t.foreignCaught, t.foreign)} of ${t.foreign}`,
  );
}
