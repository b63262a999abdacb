import { LRUCache } from "lru-cache";
import type { Article } from "../corpus/article.js";
import type { PassageEmbedder } from "../embeddings/provider.js";
import type { ArticleTerms, PassageTerms } from "../index/facts.js";
import type { IndexData } from "../index/store.js";
import type { Answer, Citation, RelatedPassage } from "./answer.js";
import type { AnswerContext, Answerer, EvidenceTrace } from "./answerer.js";
import type { Attribution } from "../passages/attribution.js";
import { lexicalTerm, lexicalTokens, termSet } from "../text/terms.js";
import type { Passage, Sentence } from "../passages/passage.js";
import { foldAccents, hasWord, plainWord, TextWords } from "../text/normalize.js";
import { answerTypeSpans, disclaimsKind, FIGURE_KINDS, findAnswerType, type AnswerType } from "../lexicon/answer-type.js";
import { sharedBridges } from "../lexicon/bridges.js";
import { committedModel, computeFeatures, type AnswerabilityModel, type Features } from "./answerability.js";
import { chooseByThreshold, chooseFitted, GATE_SETTINGS, vetoed } from "./gates.js";
import { evidenceDetail, modelQuery, termCredit, type EvidenceDetail, type QueryModel } from "./evidence.js";
import { articleSource, citationLine } from "./format.js";
import { cite } from "./citation.js";

export interface ExtractiveOptions {
  /**
   * `threshold`: the evidence score against `threshold`; `combined`: that, and the answerability model may
   * still decline when it is sure the sentence does not answer; `fitted`: the model alone picks and decides.
   */
  gate: "combined" | "fitted" | "threshold";
  /** With the `threshold` gate: abstain when the best span scores under this (0–1). */
  threshold: number;
  /** Most quotes in one answer. */
  maxCitations: number;
  /** The fitted model to use. Default the committed one. */
  model?: AnswerabilityModel;
  /** An answer whose confidence is under this says it may not answer the question (0 never says so). Default 0. */
  doubtBelow?: number;
}

/** One scored sentence: what the answer may quote. */
interface Candidate {
  score: number;
  detail: EvidenceDetail;
  /** Stems of the sentence, and of its paragraph, section heading and title. */
  stems: Set<string>;
  context: Set<string>;
  caption: boolean;
  /** Its article names every name of the question the corpus knows (see {@link speaksOf}). */
  speaks: boolean;
  /** The evidence score of the sentence before it in its passage (0 for the first): the fact often follows the sentence that matches ("…a record crowd. The final score was…"). */
  previous: number;
  /** The answerability model's probability; set for the sentences it considered. */
  p?: number;
  features?: Features;
  article: Article;
  passageId: string;
  sentence: Sentence;
  attribution: Attribution;
}

/** Passages of this many articles keep their attributions cached. */
const ATTRIBUTION_CACHE = 2000;
/**
 * The cutoffs of the hand rules that decide whether a sentence may answer at all, whatever its score
 * ({@link statesAskedKind}, {@link speaksOf}). Chosen by hand with each rule on the team's question sets
 * (`npm run eval:sets`; f5db870, 5472c49).
 */
export interface RuleSettings {
  /** A name's shorter form ("Macedonia" for Macedonian) has at least this many letters… */
  nameFormMin: number;
  /** …and drops at most this many. */
  nameEndingMax: number;
  /** Words either side of a sum where what it is a sum of may stand ("the replacement cost $900 million"). */
  sumWindow: number;
  /** Words either side of a figure where what it counts may stand ("about 9,000 card terminals"). */
  countedWindow: number;
}

export const RULE_SETTINGS: RuleSettings = { nameFormMin: 4, nameEndingMax: 3, sumWindow: 6, countedWindow: 6 };
/** Articles whose folded text is kept for looking names up. */
const TEXT_CACHE = 256;
/** How far back from a passage its section heading is looked for. */
const HEADING_LOOKBACK = 8;
/** A year among a sentence's terms. */
const YEAR_TERM = /^(?:19|20)\d{2}$/;

export const ABSTAIN_TEXT = "I couldn't find an answer to that in the articles I have.";

/**
 * The default answerer: no LLM. It scores every sentence of the retrieved passages against the
 * question, leads with the best one that states the kind of fact asked for (or, with the fitted gate,
 * the one the answerability model finds likeliest), abstains when that is not good enough, and quotes
 * verbatim with the source the article names.
 */
export function createExtractiveAnswerer(deps: { index: IndexData; embedder: PassageEmbedder }, opts: ExtractiveOptions): Answerer {
  const model = opts.gate === "threshold" ? undefined : (opts.model ?? committedModel());
  const look = articleLookups(deps);
  const { publishersOf, termsOf, topicsOf } = look;

  return {
    name: "extractive",
    async answer(ctx: AnswerContext): Promise<Omit<Answer, "timings">> {
      const q = modelQuery(ctx.query, deps.index.lexical);
      const needFeatures = model !== undefined || ctx.trace === true;
      // The fitted gate (and fitting, which traces) reads every retrieved sentence; the others only those of articles that may answer.
      // A follow-up in a thread is decided by the combined gate: the model has no features of the
      // conversation yet (it was fitted on questions asked alone), and the threshold's choice keeps the
      // conversation's articles first; the model may still veto it, and its confidence is the same kind.
      const gate = opts.gate === "fitted" && (ctx.prefer?.articleIds?.length ?? 0) > 0 ? "combined" : opts.gate;
      const wide = gate === "fitted" || ctx.trace === true;
      const { candidates, around } = await scoreSentences(q, ctx, deps, look, { needFeatures, wide });
      candidates.sort((a, b) => b.score - a.score);
      // Every gate chooses among the sentences that may answer at all, best score first, checked only as
      // far as a gate reads them (an article's topic is read from the store on first use); the model looks at the
      // best of them (the threshold's first among them).
      const rulesPass = (c: Candidate) => statesAskedKind(q, c) && saysMoreThanTopic(q, topicsOf(c.article), c);
      const mayAnswer = (c: Candidate) => c.speaks && rulesPass(c);
      const eligible = () => (q.terms.length === 0 ? [] : passing(candidates, mayAnswer));
      // A sentence that says the asked fact was not given ("did not say when…") never answers, whatever else it shares with the question.
      const saysGiven = (c: Candidate) => !disclaimsKind(q.type, c.sentence.text, q.questionWords);
      const pool =
        q.terms.length === 0
          ? []
          : wide
            ? take(passing(candidates, saysGiven), GATE_SETTINGS.widePool)
            : needFeatures
              ? take(eligible(), GATE_SETTINGS.pool)
              : [];
      if (needFeatures) addFeatures(q, ctx, pool, around, publishersOf(), termsOf, rulesPass);
      const {
        chosen,
        confidence: p,
        closest,
      } = gate === "fitted"
        ? chooseFitted(model!, pool, opts.maxCitations)
        : vetoed(
            gate === "combined" ? model : undefined,
            chooseByThreshold(opts.threshold, eligible(), opts.maxCitations, ctx.prefer?.articleIds),
            candidates[0]?.score ?? 0,
          );
      const best = chosen[0];
      const trace = ctx.trace ? pool.map(traceOf) : undefined;
      if (!best) {
        // The sentence that came closest: the model's first choice, or the best that may answer, or the best scored.
        return abstention(q, ctx, closest ?? take(eligible(), 1)[0] ?? candidates[0], trace);
      }
      return answerOf(q, ctx, chosen, round(p), opts.doubtBelow ?? 0, trace);
    },
  };
}

/** What the extractive answerer reads of the index per article and passage, each cached. */
interface ArticleLookups {
  attributionsOf(articleId: string): Map<string, Attribution>;
  publishersOf(): string[];
  termsOf(article: Article): ArticleTerms;
  topicsOf(article: Article): Topics;
  textOf(article: Article): Promise<TextWords>;
  headingOf(passage: Passage, stored: PassageTerms): { text: string; terms: Set<string> };
}

function articleLookups(deps: { index: IndexData }): ArticleLookups {
  const attributions = new LRUCache<string, Map<string, Attribution>>({ max: ATTRIBUTION_CACHE });
  const attributionsOf = (articleId: string) => {
    let a = attributions.get(articleId);
    if (!a) {
      // Computed at index time (attributeArticle over the whole article) and read from the store.
      a = deps.index.attributionsOf(articleId);
      attributions.set(articleId, a);
    }
    return a;
  };
  // Publishers of the corpus, longest first, to tell "according to <publisher>" in a question.
  let publishers: string[] | undefined;
  const publishersOf = () =>
    (publishers ??= [
      ...new Set(
        deps.index
          .articles()
          .map((a) => fold(a.publisher).toLowerCase())
          .filter((p) => p.length > 2),
      ),
    ].sort((a, b) => b.length - a.length));

  // Per article: its topic, every term it uses and its title's terms, worked out at index time.
  const terms = new LRUCache<string, ArticleTerms>({ max: ATTRIBUTION_CACHE });
  const termsOf = (article: Article): ArticleTerms => {
    let t = terms.get(article.id);
    if (!t) {
      t = deps.index.facts.article(article.id);
      if (!t) throw new Error(`index: no stored terms for article ${article.id}`);
      terms.set(article.id, t);
    }
    return t;
  };
  const topicsOf = (article: Article): Topics => termsOf(article).topics;
  // Per article: its title, publisher, author and body, accents folded and lower-cased, and its words, to look names up in.
  // The promise is kept: questions that arrive while a large article is still being read share that work.
  const texts = new LRUCache<string, Promise<TextWords>>({ max: TEXT_CACHE });
  const textOf = (article: Article): Promise<TextWords> => {
    let t = texts.get(article.id);
    if (t === undefined) {
      t = foldedLower(`${article.title}\n${article.publisher}\n${article.author}\n${article.body}`).then((text) => TextWords.of(text, FOLD_SLICE));
      texts.set(article.id, t);
    }
    return t;
  };

  /** The text and terms of the heading of the section a passage is in (stored at index time), when it is near enough before it. */
  const headingOf = (passage: Passage, stored: PassageTerms): { text: string; terms: Set<string> } => {
    const n = stored.heading;
    const id = `${passage.articleId}#p${n}`;
    if (n === undefined || n < passage.n - HEADING_LOOKBACK) return { text: "", terms: new Set() };
    return { text: deps.index.passage(id)?.text ?? "", terms: deps.index.facts.passage(id)?.passage ?? new Set() };
  };

  return { attributionsOf, publishersOf, termsOf, topicsOf, textOf, headingOf };
}

/**
 * Every sentence of the retrieved passages that may be quoted, scored against the question, in passage order;
 * and, when the model's features are needed, the folded text around each passage.
 */
async function scoreSentences(
  q: QueryModel,
  ctx: AnswerContext,
  deps: { index: IndexData; embedder: PassageEmbedder },
  look: ArticleLookups,
  reach: { needFeatures: boolean; wide: boolean },
): Promise<{ candidates: Candidate[]; around: Map<string, string> }> {
  const { attributionsOf, termsOf, textOf, headingOf } = look;
  const { needFeatures, wide } = reach;
  const candidates: Candidate[] = [];
  // Whether each article may answer at all, asked once per article.
  const speaks = new Map<string, boolean>();
  const known = (w: string) => deps.index.lexical.documentFrequency(w) > 0;
  const checksArticle = q.entities.length > 0 || q.asksAbout !== undefined;
  const around = new Map<string, string>();
  for (const { passage } of ctx.passages) {
    if (passage.kind === "heading") continue;
    const article = ctx.article(passage.articleId);
    if (!article) continue;
    if (checksArticle && !speaks.has(article.id)) speaks.set(article.id, speaksOf(q, await textOf(article), known));
    const articleSpeaks = !checksArticle || speaks.get(article.id) === true;
    if (!articleSpeaks && !wide) continue;
    const attrs = attributionsOf(article.id);
    const stored = deps.index.facts.passage(passage.id);
    if (!stored) throw new Error(`index: no stored terms for passage ${passage.id}`);
    const heading = headingOf(passage, stored);
    if (needFeatures) around.set(passage.id, fold(`${passage.text} ${heading.text} ${article.title}`).toLowerCase());
    // The terms of passage, heading and title, in that order (what tokenising them joined gives).
    const context = new Set([...stored.passage, ...heading.terms, ...termsOf(article).title]);
    let previous = 0;
    for (const [i, s] of passage.sentences.entries()) {
      const attribution = attrs.get(s.id);
      if (!attribution || attribution.end <= attribution.start) continue;
      const stems = stored.sentences[i]!;
      const detail = evidenceDetail(q, { span: stems, context, text: s.text, source: attribution.source, vector: deps.embedder.glove?.embedText(s.text) });
      candidates.push({
        score: detail.score,
        detail,
        stems,
        context,
        caption: passage.kind === "caption",
        speaks: articleSpeaks,
        previous,
        article,
        passageId: passage.id,
        sentence: s,
        attribution,
      });
      previous = detail.score;
    }
  }
  return { candidates, around };
}

/** The abstention: the standard text, the related passages, and the sentence that came closest, if any. */
function abstention(q: QueryModel, ctx: AnswerContext, near: Candidate | undefined, trace: EvidenceTrace[] | undefined): Omit<Answer, "timings"> {
  return {
    question: ctx.query.text,
    answered: false,
    answer: ABSTAIN_TEXT,
    citations: [],
    related: related(ctx),
    confidence: 0,
    ...(near ? { closest: citationOf(near, 1, quoteSpan(near, q.type, q.questionWords)) } : {}),
    ...(trace ? { trace } : {}),
  };
}

/** The answer quoting the chosen sentences, best first; under `doubtBelow` it says it may not answer the question. */
function answerOf(
  q: QueryModel,
  ctx: AnswerContext,
  chosen: Candidate[],
  confidence: number,
  doubtBelow: number,
  trace: EvidenceTrace[] | undefined,
): Omit<Answer, "timings"> {
  const spans = chosen.map((c) => quoteSpan(c, q.type, q.questionWords));
  const citations: Citation[] = chosen.map((c, i) => citationOf(c, i + 1, spans[i]!));
  const answer = citations.map((c, i) => citationLine(c, spans[i]!.quoted)).join("\n");
  const doubt = confidence < doubtBelow ? { note: doubtNote(confidence) } : {};
  return { question: ctx.query.text, answered: true, answer, citations, related: [], confidence, ...doubt, ...(trace ? { trace } : {}) };
}

/** A sentence cited as the `n`th quote: the span of it to quote, verbatim, with whom the article credits and a deep link. */
function citationOf(c: Candidate, n: number, span: { start: number; end: number }): Citation {
  return cite(n, c.attribution.source ?? articleSource(c.article), c.article, c.passageId, span);
}

/** What an answer under the doubt bar says about itself. */
function doubtNote(confidence: number): string {
  return `This may not answer your question: the closest sentences are a weak match (confidence ${confidence.toFixed(2)}).`;
}

/** The items that pass a test, in their order, each tested when it is read. */
function* passing<T>(items: T[], test: (item: T) => boolean): Generator<T> {
  for (const item of items) if (test(item)) yield item;
}

/** The first `n` items of an iterable, reading no further. */
function take<T>(items: Iterable<T>, n: number): T[] {
  const out: T[] = [];
  if (n <= 0) return out;
  for (const item of items) {
    out.push(item);
    if (out.length >= n) break;
  }
  return out;
}

/**
 * Whether a sentence may answer at all: for a figure or a date, it states one, in the asked time, for the
 * year asked about and of what is counted; for "which company…", it names one; and it does not say that
 * the asked fact was not given.
 */
function statesAskedKind(q: QueryModel, c: Candidate): boolean {
  if (FIGURE_KINDS.has(q.type.kind) && q.years.length > 0) {
    // "…turnover in 2023" is not answered by a figure for 2024: the sentence ("in 2023", "last year" in a
    // 2024 article), its paragraph or the article's date has the year asked about…
    const relative = relativeYears(c.sentence.text, c.article.published);
    if (q.years.some((y) => !c.context.has(y) && !c.stems.has(y) && !relative.has(y) && !c.article.published.startsWith(y))) return false;
    // …and one that names other years and not the one asked about ("from 2001 to 2024" for spring 2025) is about those.
    if ([...c.stems].some((t) => YEAR_TERM.test(t) && !q.years.includes(t)) && q.years.some((y) => !c.stems.has(y) && !relative.has(y))) return false;
  }
  // "How many tonnes of mackerel" is not answered by a count of blue whiting: the sentence names what is
  // counted, next to a figure ("about 9,000 terminals", "the number of passengers rose to 2.1 million"),
  // not anywhere ("a one-on-one meeting … enabled trains to reach Armenia" counts no trains).
  if (q.type.kind === "count" && q.counted.length > 0 && !countsCounted(q, c.sentence.text)) return false;
  // "How much did the replacement cost?" is not answered by "has raised $62 million": a sum next to what it is the price of.
  if (q.type.kind === "money" && !sumOfAsked(q, c.sentence.text)) return false;
  // "…did not say how much the replacement cost": the sentence says the fact is missing.
  if (disclaimsKind(q.type, c.sentence.text, q.questionWords)) return false;
  // "Which company…" is not answered by "a Saudi club": the sentence names one (a person or an organisation).
  // "What is the name of the rocket…" is not answered by "the rocket's second stage": the sentence names
  // one. Only when a name is asked for: "which fare rise…" may be answered by "a planned fare rise".
  if (q.type.kind === "organisation" || (q.type.kind === "name" && q.asksName)) return findAnswerType(q.type, c.sentence.text, q.questionWords) !== undefined;
  return !FIGURE_KINDS.has(q.type.kind) || (!c.detail.tenseMismatch && findAnswerType(q.type, c.sentence.text, q.questionWords) !== undefined);
}

/** "Last year", "this year", "next year": how many years each lies from the article's own. */
const RELATIVE_YEAR: Record<string, number> = { last: -1, previous: -1, this: 0, next: 1, coming: 1 };

/** The years a sentence names as "last year", "this year" or "next year", from the article's date. */
function relativeYears(text: string, published: string): Set<string> {
  const out = new Set<string>();
  const year = Number(published.slice(0, 4));
  if (!Number.isFinite(year)) return out;
  for (const m of text.matchAll(/\b(last|previous|this|next|coming) year\b/gi)) out.add(String(year + RELATIVE_YEAR[m[1]!.toLowerCase()]!));
  return out;
}

/**
 * Kinds of sum, by the words that name them: a question about one ("what did it cost") is not answered
 * by a sum of another ("it raised $62 million"). Keyed by the words' terms, as `lexicalTerm` gives them.
 */
const SUM_KINDS: ReadonlyMap<string, string[]> = (() => {
  const kinds = new Map<string, string[]>();
  for (const [kind, words] of Object.entries({
    // What something costs whoever pays it: spent on it, invested in it, lost by it.
    cost: "cost price spend pay budget bill invest financing loss lose debt",
    funding: "raise fund invest financing",
    revenue: "revenue sales turnover income earn profit",
    value: "value worth valuation",
    fee: "fee salary wage compensation charge fine tariff",
  })) {
    for (const word of words.split(" ")) {
      const term = lexicalTerm(word) ?? word;
      kinds.set(term, [...(kinds.get(term) ?? []), kind]);
    }
  }
  return kinds;
})();

/**
 * Whether some sum of the text is of the kind the question asks for: the words next to it name that
 * kind, or no kind at all ("the $2.3 billion deal"). A question that names no kind takes any sum.
 */
function sumOfAsked(q: QueryModel, text: string): boolean {
  const asked = new Set(q.terms.flatMap((t) => SUM_KINDS.get(t.stem) ?? []));
  if (asked.size === 0) return true;
  for (const at of answerTypeSpans(q.type, text, q.questionWords)) {
    const near = [...wordsAround(text, at, RULE_SETTINGS.sumWindow)].flatMap((stem) => SUM_KINDS.get(stem) ?? []);
    if (near.length === 0 || near.some((k) => asked.has(k))) return true;
  }
  return false;
}

/** Stems of the words either side of a span of the text, `n` each way. */
function wordsAround(text: string, at: { start: number; end: number }, n: number): Set<string> {
  const after =
    text
      .slice(at.end)
      .match(/[\p{L}\p{N}'’-]+/gu)
      ?.slice(0, n)
      .join(" ") ?? "";
  const before =
    text
      .slice(0, at.start)
      .match(/[\p{L}\p{N}'’-]+/gu)
      ?.slice(-n)
      .join(" ") ?? "";
  return termSet(`${before} ${after}`);
}

/** Whether some figure of the text has every counted term of the question a few words after or before it. */
function countsCounted(q: QueryModel, text: string): boolean {
  for (const at of answerTypeSpans(q.type, text, q.questionWords)) {
    const near = wordsAround(text, at, RULE_SETTINGS.countedWindow);
    if (q.counted.every((i) => termCredit(q.terms[i]!, near) > 0)) return true;
  }
  return false;
}

/**
 * Whether an article names every name of the question that the corpus knows: as written or with an
 * ending ("Kudiflow's", "Macedonian" for Macedonia), as a shorter form ("Macedonia" for Macedonian), or
 * as another form of a country ("Moscow" for Russia). A name no article uses (a misspelling, a name the
 * corpus renders otherwise) tells nothing.
 */
function namesAll(q: QueryModel, text: TextWords, known: (word: string) => boolean): boolean {
  return q.entities.every((name) => {
    // "Kars-Gyumri" is two names, whatever dash the article writes between them.
    const words = lexicalTokens(name).map(([word]) => plainWord(word));
    if (!words.every(known)) return true;
    if (words.every((w) => text.startsWith(w) || shorterForm(w, text))) return true;
    return sharedBridges()
      .countryForms([name])
      .some((form) => text.has(form.join(" ")));
  });
}

/**
 * Whether an article may answer the question at all: it names every name the question gives ("Kudiflow",
 * "the Faroese"; see {@link namesAll}), and it speaks of whom a "who is the…" question asks about
 * ("Who is the premier of Alberta?" of an article that never mentions a premier), or of another word for it.
 */
function speaksOf(q: QueryModel, text: TextWords, known: (word: string) => boolean): boolean {
  const about = q.asksAbout === undefined ? undefined : q.terms[q.asksAbout];
  const said = (t: NonNullable<typeof about>) =>
    [t.stem, ...t.alternatives].some((x) => text.startsWith(x)) || t.bridges.some((b) => b.terms.every((x) => text.startsWith(x)));
  return namesAll(q, text, known) && (about === undefined || said(about));
}

/** The name less an ending is a whole word of the text ("macedonian" → macedonia), down to a few letters. */
function shorterForm(name: string, text: TextWords): boolean {
  for (let n = name.length - 1; n >= RULE_SETTINGS.nameFormMin && n >= name.length - RULE_SETTINGS.nameEndingMax; n--)
    if (text.has(name.slice(0, n))) return true;
  return false;
}

/** The answerability model's features of each sentence of the pool (the best-scored ones), set on them. */
function addFeatures(
  q: QueryModel,
  ctx: AnswerContext,
  pool: Candidate[],
  around: Map<string, string>,
  publishers: string[],
  termsOf: (a: Article) => ArticleTerms,
  rulesPass: (c: Candidate) => boolean,
): void {
  const topicsOf = (a: Article) => termsOf(a).topics;
  const rankOf = new Map(ctx.passages.map((p, i) => [p.passage.id, i]));
  // Articles in the order retrieval first meets them: the story a question is about usually comes first.
  const articleRank = new Map<string, number>();
  for (const p of ctx.passages) if (!articleRank.has(p.article.id)) articleRank.set(p.article.id, articleRank.size);
  const asked = fold(ctx.query.text).toLowerCase();
  const publisher = publishers.find((p) => hasWord(asked, p));
  const local = localWeights(q, pool);
  for (const c of pool) {
    const source = fold(c.attribution.source ?? "").toLowerCase();
    const bestInArticle = pool.find((o) => o.article.id === c.article.id && o.sentence.id !== c.sentence.id)?.score ?? 0;
    c.features = computeFeatures({
      detail: c.detail,
      bestInArticle,
      type: q.type,
      questionWords: q.questionWords,
      specifics: q.specifics,
      topical: (w) => topicsOf(c.article).has(lexicalTerm(w) ?? w),
      span: fold(c.article.body.slice(c.attribution.start, c.attribution.end)),
      sentence: fold(c.sentence.text),
      around: around.get(c.passageId) ?? "",
      spokenBy: source !== "" && q.names.some((n) => source.includes(n)),
      publisherMismatch: publisher !== undefined && fold(c.article.publisher).toLowerCase() !== publisher && !source.includes(publisher),
      rank: rankOf.get(c.passageId) ?? ctx.passages.length,
      localCoverage: localCoverage(q, local, c.stems),
      ...attribute(q, topicsOf(c.article), c),
      caption: c.caption,
      lede: c.sentence.start === 0 || /#p1\.s1$/.test(c.sentence.id),
      rulesPass: rulesPass(c),
      namesAll: c.speaks,
      previous: c.previous,
      articleCoverage: coverage(q, termsOf(c.article).words),
      titleCoverage: coverage(q, termsOf(c.article).title),
      articleRank: articleRank.get(c.article.id) ?? ctx.passages.length,
    });
  }
}

type Topics = Set<string>;

/**
 * Whether a sentence says any of what the question asks beyond its article's topic: one that meets only
 * the words every sentence of the article uses ("the Curaçao tender", "Kudiflow") talks about the story,
 * not about what is asked of it. A question whose every word is topical asks nothing more.
 */
function saysMoreThanTopic(q: QueryModel, topics: Set<string>, c: Candidate): boolean {
  const asked = q.terms.filter((t) => !topics.has(t.stem));
  return asked.length === 0 || asked.some((t) => termCredit(t, c.stems) > 0);
}

/** Coverage of the question's non-topical words in the sentence, and the rarest one missing from sentence and paragraph. */
function attribute(q: QueryModel, topics: Topics, c: Candidate): { attributeCoverage: number; attributeMissing: number } {
  let total = 0;
  let covered = 0;
  let missing = 0;
  const maxIdf = Math.log(1 + (q.documents + 0.5) / 0.5);
  for (const t of q.terms) {
    if (topics.has(t.stem)) continue;
    total += t.weight;
    const credit = termCredit(t, c.stems);
    covered += credit * t.weight;
    if (credit === 0 && termCredit(t, c.context) === 0) missing = Math.max(missing, t.idf / maxIdf);
  }
  return { attributeCoverage: total > 0 ? covered / total : 1, attributeMissing: missing };
}

/** Weighted share of the question's terms a set of terms has (with credit for alternatives and bridges). */
function coverage(q: QueryModel, stems: Set<string>): number {
  let total = 0;
  let covered = 0;
  for (const t of q.terms) {
    total += t.weight;
    covered += termCredit(t, stems) * t.weight;
  }
  return total > 0 ? covered / total : 0;
}

/** Each question term's weight times how rare it is among the pool's sentences (an IDF over the pool). */
function localWeights(q: QueryModel, pool: Candidate[]): number[] {
  return q.terms.map((t) => {
    const df = pool.filter((c) => c.stems.has(t.stem) || t.alternatives.some((a) => c.stems.has(a))).length;
    return t.weight * Math.log(1 + (pool.length + 0.5) / (df + 0.5));
  });
}

function localCoverage(q: QueryModel, weights: number[], stems: Set<string>): number {
  let total = 0;
  let covered = 0;
  q.terms.forEach((t, i) => {
    total += weights[i]!;
    if (stems.has(t.stem) || t.alternatives.some((a) => stems.has(a))) covered += weights[i]!;
  });
  return total > 0 ? covered / total : 0;
}

/**
 * What to quote of a sentence: its attributed span, unless the asked fact (a date, a figure) sits
 * outside it, as when only the words inside quotation marks would be quoted. Then the whole sentence.
 */
function quoteSpan(c: Candidate, type: AnswerType, questionWords: Set<string>): { start: number; end: number; quoted: boolean } {
  const { attribution: a, sentence: s } = c;
  if (type.kind === "other") return { start: a.start, end: a.end, quoted: a.quoted };
  const span = c.article.body.slice(a.start, a.end);
  if (findAnswerType(type, span, questionWords) || !findAnswerType(type, s.text, questionWords)) return { start: a.start, end: a.end, quoted: a.quoted };
  const text = s.text;
  let from = 0;
  let to = text.length;
  while (from < to && /\s/.test(text[from]!)) from++;
  while (to > from && /\s/.test(text[to - 1]!)) to--;
  return { start: s.start + from, end: s.start + to, quoted: false };
}

function traceOf(c: Candidate): EvidenceTrace {
  return {
    articleId: c.article.id,
    sentenceId: c.sentence.id,
    quote: c.article.body.slice(c.sentence.start, c.sentence.end),
    source: c.attribution.source ?? articleSource(c.article),
    score: c.score,
    spanStart: c.attribution.start,
    ...(c.p !== undefined ? { p: c.p } : {}),
    ...(c.features ? { features: c.features } : {}),
  };
}

function fold(text: string): string {
  return foldAccents(text);
}

/** Characters folded at once before the event loop gets a turn: a 20 MB article took a second in one go. */
const FOLD_SLICE = 1 << 20;

/**
 * `fold(text).toLowerCase()`, a slice at a time with a turn of the event loop in between, so that the
 * first question about a very large article does not hold up every other interaction. Slices end after
 * a space: folding and lowercasing never look across one, so the result is the same as in one go.
 */
async function foldedLower(text: string): Promise<string> {
  if (text.length <= FOLD_SLICE) return fold(text).toLowerCase();
  const parts: string[] = [];
  for (let at = 0; at < text.length; ) {
    const space = text.indexOf(" ", at + FOLD_SLICE);
    const end = space < 0 ? text.length : space + 1;
    parts.push(fold(text.slice(at, end)).toLowerCase());
    at = end;
    if (at < text.length) await new Promise((resolve) => setImmediate(resolve));
  }
  return parts.join("");
}

/** The first few retrieved passages (headings aside), offered as "may be related" with a decline; the LLM answerer's too. */
export function related(ctx: AnswerContext): RelatedPassage[] {
  return ctx.passages
    .filter((p) => p.passage.kind !== "heading")
    .slice(0, 3)
    .map((p) => ({ passageId: p.passage.id, articleId: p.article.id, title: p.article.title, text: p.passage.text, score: round(p.score) }));
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
