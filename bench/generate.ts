import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import matter from "gray-matter";
import { GloveEmbeddings } from "../src/embeddings/glove.js";
import { loadGloveCache } from "../src/embeddings/glove-cache.js";
import { CAPTIONS, COUNTRIES, CITIES, FIRST_NAMES, GENERAL_SENTENCES, LAST_NAMES, MONTHS, PUBLISHERS, QUOTES, ROLES, TOPICS, WEEKDAYS } from "./_vocabulary.js";

/**
 * A deterministic synthetic news corpus for benchmarks: articles of 400–1,200 words in wire-copy
 * phrasing (paragraphs, section headings, captions, quotes with several attribution styles), each
 * stating three facts of its own, and questions whose answers are those facts. Between the templated
 * sentences go sentences of words drawn Zipf-distributed from GloVe's vocabulary in its frequency
 * order, so that term statistics look like news: tens of thousands of distinct terms, a few very
 * common ones and a long tail.
 */

/** Words the Zipf sentences draw from: GloVe's most frequent alphabetic words, in frequency order. */
export const ZIPF_VOCABULARY = 60_000;
/** Zipf exponent (word frequencies in English text are close to 1). */
export const ZIPF_EXPONENT = 1.0;
/** Share of a paragraph's sentences that are drawn from the Zipf vocabulary. */
const ZIPF_SENTENCE_SHARE = 0.5;

const CACHE_DIR = path.resolve(import.meta.dirname, "..", ".data", "cache");
let vocabulary: { words: string[]; cumulative: Float64Array } | undefined;

/**
 * The Zipf vocabulary, from the word-vector cache: only ranks under the cache's fixed size (100,000),
 * so corpus words added to a shared cache never change it.
 */
export function zipfVocabulary(cacheDir = CACHE_DIR): { words: string[]; cumulative: Float64Array } {
  if (vocabulary) return vocabulary;
  let table = loadGloveCache(cacheDir);
  if (!table) {
    GloveEmbeddings.open({ cacheDir });
    table = loadGloveCache(cacheDir)!;
  }
  const ranked = table.words.map((w, i) => [w, table.rank[i]!] as const).filter(([w, r]) => r < 100_000 && /^[a-z]{2,}$/.test(w));
  ranked.sort((a, b) => a[1] - b[1]);
  const words = ranked.slice(0, ZIPF_VOCABULARY).map(([w]) => w);
  const cumulative = new Float64Array(words.length);
  let sum = 0;
  for (let k = 0; k < words.length; k++) cumulative[k] = sum += 1 / (k + 1) ** ZIPF_EXPONENT;
  for (let k = 0; k < words.length; k++) cumulative[k]! /= sum;
  vocabulary = { words, cumulative };
  return vocabulary;
}

/** A sentence of 8–22 Zipf-drawn words. */
function zipfSentence(r: () => number, int: (lo: number, hi: number) => number): string {
  const { words, cumulative } = zipfVocabulary();
  const out: string[] = [];
  for (let n = int(8, 22); n > 0; n--) {
    const u = r();
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < u) lo = mid + 1;
      else hi = mid;
    }
    out.push(words[lo]!);
  }
  const text = out.join(" ");
  return `${text[0]!.toUpperCase()}${text.slice(1)}.`;
}

/** mulberry32: small, fast, seedable. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A question with a known answer: the article that states it, a verbatim fact and who the article says said it. */
export interface GeneratedQuestion {
  question: string;
  articleId: string;
  /** Verbatim substring of the article body that a correct citation quotes. */
  fact: string;
  /** The speaker the article attributes the fact to (a full name, a surname or "the <organisation>"). */
  source: string;
  /** Which of the article's facts: the counted facilities, the cost, or a figure in a quote. */
  factKind: "count" | "cost" | "quote";
  /** Worded with other words than the article's (e.g. "build" for "open", "price tag" for "cost"). */
  paraphrased: boolean;
}

export interface GeneratedCorpus {
  dir: string;
  articles: number;
  questions: GeneratedQuestion[];
}

/** Write `count` articles (`art-000000.md`, …) into `dir`, replacing it. Same seed, same corpus and questions. */
export function generateCorpus(dir: string, count: number, seed = 1): GeneratedCorpus {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const questions: GeneratedQuestion[] = [];
  for (let i = 0; i < count; i++) {
    const article = generateArticle(i, seed);
    writeFileSync(path.join(dir, `${article.id}.md`), article.markdown);
    questions.push(...article.questions);
  }
  return { dir, articles: count, questions };
}

/** Article `i` of the corpus for `seed`, independent of every other article. */
export function generateArticle(i: number, seed = 1): { id: string; markdown: string; body: string; questions: GeneratedQuestion[] } {
  const r = rng(Math.imul(seed, 1_000_003) + i);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
  const id = `art-${String(i).padStart(6, "0")}`;
  const topic = pick(TOPICS);
  const person = () => `${pick(FIRST_NAMES)} ${pick(LAST_NAMES)}`;
  const publisher = pick(PUBLISHERS);

  // The article's own facts.
  const speaker = person();
  const surname = speaker.split(" ")[1]!;
  const country = pick(COUNTRIES);
  const city = pick(CITIES);
  const org = `${pick([...CITIES, ...COUNTRIES])} ${pick(topic.orgKinds)}`;
  const facility = pick(topic.facilities);
  const n = int(3, 99);
  const due = `${pick(MONTHS)} ${int(2026, 2030)}`;
  const amount = `${(int(10, 990) / 10).toFixed(1)} billion`;
  const cost = `cost ${amount}`;
  const currency = pick(["euros", "dollars", "pounds"]);
  const measureSpeaker = person();
  const measureRole = pick(ROLES);
  const x = int(4, 60);

  const fill = (template: string): string => {
    const nouns = [...topic.nouns];
    const noun = () => nouns.splice(Math.floor(r() * nouns.length), 1)[0]!;
    let pct = int(2, 90);
    while (pct === x) pct = int(2, 90);
    return template
      .replace(/\{t1\}/g, () => noun())
      .replace(/\{t2\}/g, () => noun())
      .replace(/\{person\}/g, person)
      .replace(/\{role\}/g, () => pick(ROLES))
      .replace(/\{org\}/g, () => `the ${pick([...CITIES, ...COUNTRIES])} ${pick(topic.orgKinds)}`)
      .replace(/\{agency\}/g, () => `${pick(CITIES)} ${pick(topic.orgKinds)}`)
      .replace(/\{city\}/g, city)
      .replace(/\{city2\}/g, () => pick(CITIES.filter((c) => c !== city)))
      .replace(/\{country\}/g, () => pick(COUNTRIES.filter((c) => c !== country)))
      .replace(/\{day\}/g, () => pick(WEEKDAYS))
      .replace(/\{month\}/g, () => pick(MONTHS))
      .replace(/\{year\}/g, () => String(int(2019, 2024)))
      .replace(/\{publisher\}/g, publisher)
      .replace(/\{pct\}/g, String(pct));
  };

  const leadRole = pick(topic.leadRoles);
  const day = pick(WEEKDAYS);
  const countFact = `${n} new ${facility}`;
  const lead = pick([
    `${speaker}, the ${leadRole} of ${country}, said on ${day} that the ${org} will open ${countFact} in ${city} by ${due}.`,
    `The ${org} will open ${countFact} in ${city} by ${due}, ${speaker}, the ${leadRole} of ${country}, said on ${day}.`,
    `${country}'s ${leadRole}, ${speaker}, announced on ${day} that the ${org} would open ${countFact} in ${city} by ${due}.`,
  ]);
  const costByOrg = r() < 0.4;
  const costSentence = costByOrg
    ? `According to the ${org}, the ${facility} will ${cost} ${currency} in total.`
    : `The programme is expected to ${cost} ${currency}, ${surname} said.`;
  const measureFact = `by ${x} percent`;
  const measureSentence = `“${topic.measure.sentence.replace("{city}", city).replace("{x}", String(x)).replace("{month}", pick(MONTHS))}${pick([", and we expect that to continue", ", which shows why this matters", ", more than anyone predicted"])},” said ${measureSpeaker}, the ${measureRole}.`;

  // Body: lead, then paragraphs of shuffled sentences and quotes, the other two facts placed inside.
  const words = int(400, 1200);
  const statements = [...topic.sentences, ...GENERAL_SENTENCES];
  const deck = shuffled([...statements], r);
  const quotes = shuffled([...QUOTES], r);
  const next = (pool: string[], source: readonly string[]) => {
    if (source === statements && r() < ZIPF_SENTENCE_SHARE) return zipfSentence(r, int);
    if (pool.length === 0) pool.push(...shuffled([...source], r));
    return fill(pool.pop()!);
  };
  const blocks: string[] = [];
  if (r() < 0.3) blocks.push(`Caption: ${fill(pick(CAPTIONS))}`);
  blocks.push(r() < 0.5 ? lead : `${lead} ${next(deck, statements)}`);
  const costAt = int(1, 4);
  const measureAt = int(5, 9);
  const headings = shuffled([...topic.headings], r).slice(0, int(0, 2));
  let count = blocks.join(" ").split(/\s+/).length;
  for (let p = 1; count < words || p <= measureAt; p++) {
    const sentences: string[] = [];
    if (r() < 0.35) {
      sentences.push(next(quotes, QUOTES));
      if (r() < 0.5) sentences.push(next(deck, statements));
    } else {
      for (let s = int(2, 4); s > 0; s--) sentences.push(next(deck, statements));
    }
    if (p === costAt) sentences.splice(1, 0, costSentence);
    if (p === measureAt) sentences.unshift(measureSentence);
    if (headings.length > 0 && p > 2 && r() < 0.15) blocks.push(`## ${headings.pop()!}`);
    const paragraph = sentences.join(" ");
    blocks.push(paragraph);
    count += paragraph.split(/\s+/).length;
  }
  const body = `${blocks.join("\n\n")}\n`;

  const month = int(1, 12);
  const published = `2025-${pad(month)}-${pad(int(1, 28))}T${pad(int(6, 21))}:${pad(int(0, 59))}:00+00:00`;
  const title = pick([
    `${org} to open ${n} ${facility} in ${city}`,
    `${city} to get ${n} new ${facility} by ${due}`,
    `${country} plans ${n} ${facility} for ${city}`,
  ]);
  const markdown = matter.stringify(body, { id, title, publisher, url: `https://news.example/${topic.section}/${id}`, published, author: person() });

  const costSource = costByOrg ? `the ${org}` : surname;
  const measureQuestion = topic.measure.question.replace("{city}", city).replace("{who}", measureSpeaker);
  const questions: GeneratedQuestion[] = [
    r() < 0.5
      ? {
          question: `How many new ${facility} will the ${org} open in ${city}, according to ${speaker}?`,
          articleId: id,
          fact: countFact,
          source: speaker,
          factKind: "count",
          paraphrased: false,
        }
      : {
          question: `How many ${facility} is the ${org} planning to build in ${city}, according to ${speaker}?`,
          articleId: id,
          fact: countFact,
          source: speaker,
          factKind: "count",
          paraphrased: true,
        },
    r() < 0.5
      ? {
          question: `How much will the ${n} new ${facility} in ${city} cost?`,
          articleId: id,
          fact: cost,
          source: costSource,
          factKind: "cost",
          paraphrased: false,
        }
      : {
          question: `What is the price tag of the ${org}'s plan for ${n} ${facility} in ${city}?`,
          articleId: id,
          fact: cost,
          source: costSource,
          factKind: "cost",
          paraphrased: true,
        },
    { question: measureQuestion, articleId: id, fact: measureFact, source: measureSpeaker, factKind: "quote", paraphrased: false },
  ];
  return { id, markdown, body, questions };
}

function shuffled<T>(xs: T[], r: () => number): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [xs[i], xs[j]] = [xs[j]!, xs[i]!];
  }
  return xs;
}

const pad = (v: number) => String(v).padStart(2, "0");
