import type { PassageEmbedder } from "../embeddings/provider.js";
import { answerTypeOf, cueKindOf, type AnswerType, type CueKind } from "../lexicon/answer-type.js";
import { foldAccents } from "../text/normalize.js";
import { letterRuns, lexicalTerm, lexicalTokens } from "../text/terms.js";
import type { QueryExpander } from "./expand.js";

/**
 * A question as every layer reads it, worked out once by the service (`AnswerService.ask` and `search`)
 * and handed down to retrieval, the answerers and the LLM path: nothing downstream tokenises, expands,
 * embeds or types the question again.
 */
export interface Query {
  /** The question as searched and answered: cleaned (see `prepareQuestion`), a follow-up with its references resolved. */
  text: string;
  /** Its words as the lexical index reads them, in order: `[word, term]`, stop words out (`lexicalTokens`). */
  tokens: Array<[string, string]>;
  /** Its distinct terms: what BM25 searches. */
  terms: string[];
  /** Its lowercased runs of letters and digits (`letterRuns`): what a sentence echoes of it, as written. */
  words: Set<string>;
  /** The same with accents folded, as the answer-type rules compare them. */
  foldedWords: Set<string>;
  /** Its capitalised words, lowercased ("putin", "kars-gyumri"): names, whose word-vector neighbours are other entities, never synonyms. */
  names: Set<string>;
  /**
   * Query expansion (`QueryExpander.expand`): word-vector neighbours of the words the corpus never uses,
   * as terms, never one of the question's own; BM25 adds them at a lower weight. Empty without expansion.
   */
  expansions: string[];
  /** The neighbours of each word of `tokens` that is no name and all letters, as terms, by word: the evidence score's alternatives. Empty without expansion. */
  neighbours: Map<string, string[]>;
  /** Its vector from the index's embedder (all zeros when it knows none of its words); empty when it was not embedded. */
  vector: number[];
  /** What kind of fact it asks for, read with accents folded (`answerTypeOf`). */
  type: AnswerType;
  /** The coarser kind its wh-word asks for, whose cue the evidence score looks for in a sentence (`cueKindOf`). */
  cue: CueKind;
  /** A follow-up resolved for search: the question as the user wrote it, read the same way (not expanded, not embedded). Absent otherwise. */
  asked?: Query;
}

/** What a query is built with: the expander (none: no expansion), the embedder (none: no vector), and the question as asked. */
export interface QueryTools {
  expander?: QueryExpander | undefined;
  embedder?: PassageEmbedder | undefined;
  /** The question as the user wrote it, when `text` is a follow-up resolved for search. */
  asked?: string | undefined;
}

/** Capitalised words: names ("Putin", "Kars-Gyumri", "Armenia's"). */
const NAME = /(?<![\p{L}\p{N}])\p{Lu}[\p{L}'’-]*/gu;

/** The query of a text: everything but its vector (see {@link buildQuery}). */
export function queryOf(text: string, tools: Omit<QueryTools, "embedder"> = {}): Query {
  const tokens = lexicalTokens(text);
  const names = new Set((text.match(NAME) ?? []).map((w) => w.toLowerCase()));
  const { expander } = tools;
  const neighbours = new Map<string, string[]>();
  if (expander)
    for (const [word] of tokens) if (!neighbours.has(word) && !names.has(word) && /^\p{L}+$/u.test(word)) neighbours.set(word, termsOf(expander.expand(word)));
  const asked = tools.asked !== undefined && tools.asked !== text ? queryOf(tools.asked) : undefined;
  const folded = foldAccents(text);
  return {
    text,
    tokens,
    terms: [...new Set(tokens.map(([, t]) => t))],
    words: letterRuns(text),
    foldedWords: letterRuns(folded),
    names,
    expansions: expander ? termsOf(expander.expand(text)) : [],
    neighbours,
    vector: [],
    type: answerTypeOf(folded),
    cue: cueKindOf(text),
    ...(asked ? { asked } : {}),
  };
}

/** The query of a (cleaned) question, embedded with the index's embedder: built once per question, by the service. */
export async function buildQuery(text: string, tools: QueryTools): Promise<Query> {
  const query = queryOf(text, tools);
  if (tools.embedder) query.vector = await tools.embedder.embeddings.embedQuery(text);
  return query;
}

function termsOf(words: string[]): string[] {
  return words.map(lexicalTerm).filter((t): t is string => t !== null);
}
