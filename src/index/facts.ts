import type Database from "better-sqlite3";
import type { Article } from "../corpus/article.js";
import type { Passage } from "../passages/passage.js";
import { separatesWords, termSet } from "../text/terms.js";

/**
 * Facts of the corpus that depend on nothing a question says, computed once per article when it is
 * indexed (in the prepare threads) and read from the store by the answerers: the terms of every
 * sentence and passage, each passage's section heading, and the article's topic.
 */

/** An article's topic: the terms of its title and of at least this share of its sentences… */
const TOPIC_SHARE = 0.15;
/** …and of at least this many sentences. */
const TOPIC_MIN_SENTENCES = 3;

/** What the answerer reads of a whole article: its topic, every term it uses, and its title's terms. */
export interface ArticleTerms {
  /** The title's terms and those used in many of its sentences (`TOPIC_SHARE`): what the article is about. */
  topics: Set<string>;
  words: Set<string>;
  title: Set<string>;
}

/** What the answerer reads of one passage. */
export interface PassageTerms {
  /** Terms of each sentence, in order. */
  sentences: Array<Set<string>>;
  /** Terms of the whole passage text. */
  passage: Set<string>;
  /** Number (`Passage.n`) of the last heading before the passage: the section it is in. */
  heading: number | undefined;
}

/** An article's facts as a prepare thread hands them to the build: space-joined terms, one row per passage. */
export interface PreparedFacts {
  topics: string;
  words: string;
  title: string;
  /**
   * Per passage: `terms`, the terms of each sentence, a line each, then a line with the passage's own
   * terms when they are not simply the sentences' in order (text outside every sentence), else empty.
   */
  passages: Array<{ heading: number | null; terms: string }>;
}

/** Compute an article's facts from its passages (`splitArticle`). */
export function articleFacts(article: Article, passages: Passage[]): PreparedFacts {
  const counts = new Map<string, number>();
  let sentences = 0;
  let heading: number | null = null;
  const rows = passages.map((p) => {
    const lines: string[] = [];
    const union = new Set<string>();
    const ofSentences = p.sentences.map((s) => termSet(s.text));
    for (const terms of ofSentences) {
      sentences++;
      for (const t of terms) {
        counts.set(t, (counts.get(t) ?? 0) + 1);
        union.add(t);
      }
      lines.push(joined(terms));
    }
    const own = passageTerms(p, ofSentences);
    lines.push(sameOrder(own, union) ? "" : joined(own));
    const row = { heading, terms: lines.join("\n") };
    if (p.kind === "heading") heading = p.n;
    return row;
  });
  const floor = Math.max(TOPIC_MIN_SENTENCES, sentences * TOPIC_SHARE);
  const title = termSet(article.title);
  const topics = new Set(title);
  for (const [t, n] of counts) if (n >= floor) topics.add(t);
  return { topics: joined(topics), words: joined(new Set([...counts.keys(), ...title])), title: joined(title), passages: rows };
}

/**
 * A passage's terms (`termSet(p.text)`) from its sentences' and the text between them: tokenising the
 * passage again cost as much as its sentences. Where a sentence does not start and end between words,
 * the pieces would not tokenise as the whole does, and the passage is tokenised whole.
 */
function passageTerms(p: Passage, ofSentences: Array<Set<string>>): Set<string> {
  const out = new Set<string>();
  const addText = (from: number, to: number) => {
    if (to > from) for (const t of termSet(p.text.slice(from, to))) out.add(t);
  };
  let at = 0;
  for (const [i, s] of p.sentences.entries()) {
    const start = s.start - p.start;
    const end = s.end - p.start;
    if (start < at || end > p.text.length || p.text.slice(start, end) !== s.text || splitsWord(p.text, start) || splitsWord(p.text, end))
      return termSet(p.text);
    addText(at, start);
    for (const t of ofSentences[i]!) out.add(t);
    at = end;
  }
  addText(at, p.text.length);
  return out;
}

/** Whether offset `i` of `text` falls inside a word. */
const splitsWord = (text: string, i: number) => i > 0 && i < text.length && !separatesWords(text[i - 1]!) && !separatesWords(text[i]!);

function sameOrder(a: Set<string>, b: Set<string>): boolean {
  if (a.size !== b.size) return false;
  const other = b.values();
  for (const t of a) if (other.next().value !== t) return false;
  return true;
}

const joined = (terms: Set<string>) => [...terms].join(" ");
const split = (terms: string) => new Set(terms === "" ? [] : terms.split(" "));

/** The facts' tables: one row per passage (by label) and per article. */
export const FACTS_SCHEMA = `
-- Corpus facts computed at index time (facts.ts): terms are lexicalTokens' terms, space-joined.
-- heading: n of the last heading passage before this one; terms: a line of terms per sentence, then the passage's own (empty: the same).
CREATE TABLE passage_facts (label INTEGER PRIMARY KEY, heading INTEGER, terms TEXT NOT NULL) STRICT;
CREATE TABLE article_facts (id TEXT PRIMARY KEY, topics TEXT NOT NULL, words TEXT NOT NULL, title TEXT NOT NULL) STRICT;
`;

const writers = new WeakMap<Database.Database, ReturnType<typeof writeStatements>>();

function writeStatements(db: Database.Database) {
  return {
    passage: db.prepare<[number, number | null, string]>("INSERT INTO passage_facts(label, heading, terms) VALUES (?, ?, ?)"),
    article: db.prepare<[string, string, string, string]>("INSERT INTO article_facts(id, topics, words, title) VALUES (?, ?, ?, ?)"),
    dropPassages: db.prepare<[string]>("DELETE FROM passage_facts WHERE label IN (SELECT label FROM passages WHERE article_id = ?)"),
    dropArticle: db.prepare<[string]>("DELETE FROM article_facts WHERE id = ?"),
  };
}

function writer(db: Database.Database) {
  let w = writers.get(db);
  if (!w) writers.set(db, (w = writeStatements(db)));
  return w;
}

/** Store an article's facts; `labels`: its passages' labels, in order. */
export function writeFacts(db: Database.Database, articleId: string, facts: PreparedFacts, labels: number[]): void {
  const w = writer(db);
  w.article.run(articleId, facts.topics, facts.words, facts.title);
  facts.passages.forEach((p, i) => w.passage.run(labels[i]!, p.heading, p.terms));
}

/** Remove an article's facts; before its passages go (they map its labels). */
export function dropFacts(db: Database.Database, articleId: string): void {
  const w = writer(db);
  w.dropPassages.run(articleId);
  w.dropArticle.run(articleId);
}

/** Reads the stored facts of a build. */
export class StoredFacts {
  private readonly stmts;

  constructor(db: Database.Database) {
    this.stmts = {
      passage: db.prepare<[string], { heading: number | null; terms: string }>(
        "SELECT f.heading, f.terms FROM passages p JOIN passage_facts f ON f.label = p.label WHERE p.id = ?",
      ),
      heading: db.prepare<[string], number | null>("SELECT f.heading FROM passages p JOIN passage_facts f ON f.label = p.label WHERE p.id = ?").pluck(),
      article: db.prepare<[string], { topics: string; words: string; title: string }>("SELECT topics, words, title FROM article_facts WHERE id = ?"),
    };
  }

  /** A passage's terms and section heading. */
  passage(passageId: string): PassageTerms | undefined {
    const row = this.stmts.passage.get(passageId);
    if (!row) return undefined;
    const lines = row.terms.split("\n");
    const sentences = lines.slice(0, -1).map(split);
    const own = lines.at(-1)!;
    const passage = own === "" ? new Set(sentences.flatMap((s) => [...s])) : split(own);
    return { sentences, passage, heading: row.heading ?? undefined };
  }

  /** Number of the last heading before a passage (`PassageTerms.heading`) alone. */
  heading(passageId: string): number | undefined {
    return this.stmts.heading.get(passageId) ?? undefined;
  }

  /** An article's topic, terms and title terms. */
  article(articleId: string): ArticleTerms | undefined {
    const row = this.stmts.article.get(articleId);
    return row && { topics: split(row.topics), words: split(row.words), title: split(row.title) };
  }
}
