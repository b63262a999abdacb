import { stem, STOP_WORDS, wordTokens } from "../text/terms.js";

/** What resolving a follow-up needs to know of an earlier turn. */
export interface PreviousTurn {
  question: string;
  /** The earlier turn's own resolved query (so references chain over several turns). */
  query: string;
  answered: boolean;
  /** The answer as shown (an LLM answerer gets it as context). */
  answer?: string;
  citations: Array<{ passageId: string; articleId: string; source: string; quote: string }>;
}

/** A follow-up made searchable on its own. */
export interface Resolution {
  /** The text to search and answer: the question with pronouns replaced and earlier focus terms added. */
  query: string;
  /** Whether the question leaned on earlier turns (a pronoun, an ellipsis, "the talks" from before). */
  followUp: boolean;
  /** Words brought in from earlier turns, in the order added. */
  carried: string[];
  /** What retrieval should favour: the passages earlier answers cited and their articles. */
  prefer: { passageIds: string[]; articleIds: string[] };
}

/** Options of `resolveFollowUp`, each with its default. */
export interface FollowUpOptions {
  /** Most words carried over from the previous question. Default 5. */
  maxCarried?: number;
  /** Most names carried over from the previous answer's first quote. Default 2. */
  maxAnswerNames?: number;
  /** Earlier turns whose citations are preferred. Default 2. */
  preferTurns?: number;
}

const LEADING = /^(?:and|but|so|also|ok(?:ay)?|then|well|right|hmm+)\b[,\s]*/i;
const QUESTION_START =
  /^(?:who|whom|whose|what|when|where|why|how|which|is|are|was|were|do|does|did|can|could|will|would|has|have|had|should|shall|may|might)\b/i;
const PERSON = new Set(["he", "she", "him", "his", "her", "hers", "himself", "herself"]);
const THING = new Set(["it", "its", "itself", "they", "them", "their", "theirs", "there", "then"]);
/** A question about what someone said: its subject is a speaker, not a topic. */
const REPORTING =
  /\b(?:say|said|says|report|reported|reports|tell|told|describe|described|call|called|claim|claimed|announce|announced|hint|hinted|stress|stressed|note|noted|think|thinks)\b/i;
/** "that", "this line": a demonstrative points back, as a pronoun or before a noun. */
const DEMONSTRATIVE = new Set(["that", "this", "these", "those"]);
const WH = new Set(["who", "whom", "whose", "what", "when", "where", "why", "how", "which"]);
/** Words of a question that carry no topic of their own. */
const GENERIC = new Set([
  "report",
  "reported",
  "reports",
  "describe",
  "described",
  "call",
  "called",
  "bring",
  "brought",
  "ask",
  "asked",
  "do",
  "done",
  "mention",
  "mentioned",
  "hint",
  "hinted",
  "happen",
  "happened",
  "take",
  "took",
  "place",
  "mean",
  "means",
  "about",
  "think",
  "know",
  "long",
  "far",
  "soon",
  "exactly",
  "else",
  "other",
  "more",
  "exact",
  "date",
  "time",
  "year",
  "happening",
  "plan",
  "planned",
  "expected",
  "expect",
]);

/**
 * Resolve a follow-up question against the turns before it (pure). Ellipsis ("and Pashinyan?",
 * "what about Russia?") reuses the previous query with the new name in place of the old; pronouns
 * ("he", "his") become the previous turn's speaker; "it", "that", "they" or a definite noun the
 * previous turn used ("the talks") bring in the previous turn's focus words and the names its answer
 * quoted. A question that stands on its own is returned as it is, still preferring what was cited.
 */
export function resolveFollowUp(question: string, turns: PreviousTurn[], opts: FollowUpOptions = {}): Resolution {
  const maxCarried = opts.maxCarried ?? 5;
  const maxAnswerNames = opts.maxAnswerNames ?? 2;
  const prev = turns.at(-1);
  const prefer = preferred(turns.slice(-(opts.preferTurns ?? 2)));
  let q = question.trim();
  if (!prev) return { query: q, followUp: false, carried: [], prefer };
  while (LEADING.test(q)) q = q.replace(LEADING, "");
  q = q.charAt(0).toUpperCase() + q.slice(1);

  // "on what date?", "under what kind of deal?": the wh-word leads, so the answer type is read from it.
  q = q.replace(/^(?:on|in|at|to|for|from|under|with|by|since|until|about)\s+(?=(?:what|which|whom|whose|when|where|how)\b)/i, "");
  q = q.charAt(0).toUpperCase() + q.slice(1);
  const words = wordTokens(q);
  const content = words.filter((w) => !STOP_WORDS.has(w) && !WH.has(w) && !GENERIC.has(w) && w.length > 1);
  const hasWh = words.some((w) => WH.has(w));

  // Ellipsis: a fragment with no question word of its own ("and Pashinyan?", "and this year so far?")
  // borrows the previous question, with the new name in place of the old.
  const about = /^(?:what|how)\s+about\s+(.+?)\s*\??$/i.exec(q);
  const fragment = about?.[1] ?? (!QUESTION_START.test(q) && !hasWh && content.length <= 3 ? q.replace(/\s*\?+$/, "") : undefined);
  if (fragment) {
    const newNames = names(fragment, true);
    const oldNames = names(prev.query, false);
    let query: string;
    if (newNames.length && oldNames.length) {
      query = prev.query.replace(oldNames[0]!, newNames.join(" "));
    } else query = `${prev.query.replace(/\s*\?+$/, "")} ${fragment}?`;
    return { query, followUp: true, carried: wordTokens(query).filter((w) => !wordTokens(fragment).includes(w) && !STOP_WORDS.has(w)), prefer };
  }

  let referred = false;
  // "he said" → the person the previous turn was about.
  const speaker = speakerOf(prev);
  if (speaker && words.some((w) => PERSON.has(w))) {
    q = q
      .replace(/\b(he|she|him|himself|herself)\b/gi, speaker)
      .replace(/\b(his|hers)\b/gi, `${speaker}'s`)
      .replace(/\bher\b/gi, speaker);
    referred = true;
  }
  if (words.some((w) => THING.has(w) || DEMONSTRATIVE.has(w))) referred = true;
  // "the talks", "the railway": a definite noun the previous turn spoke of.
  const before = new Set(wordTokens(`${prev.query} ${prev.citations.map((c) => c.quote).join(" ")}`).map(stem));
  for (const m of q.matchAll(/\bthe\s+([\p{L}-]+)/giu)) if (before.has(stem(m[1]!)) && !STOP_WORDS.has(m[1]!.toLowerCase())) referred = true;
  // "Appointed for what?", "who supplied the photo?": too little of its own to stand alone.
  if (content.length <= 1 || (content.length <= 2 && names(q, false).length === 0) || !QUESTION_START.test(q)) referred = true;
  if (!referred) return { query: q, followUp: false, carried: [], prefer };

  const have = new Set(wordTokens(q).map(stem));
  const carried: string[] = [];
  const add = (w: string) => {
    const s = stem(w);
    if (have.has(s) || STOP_WORDS.has(w.toLowerCase()) || WH.has(w.toLowerCase()) || GENERIC.has(w.toLowerCase())) return;
    have.add(s);
    carried.push(w);
  };
  // Names first (they say what the conversation is about), then the other content words, in order.
  // After "what did Bloomberg report…", the speaker is who said it, not what it was about: it comes
  // in only for "he" or "she".
  if (REPORTING.test(prev.query))
    for (const c of prev.citations) for (const w of surfaceWords(c.source)) if (!words.includes(w.toLowerCase())) have.add(stem(w));
  const prevWords = surfaceWords(prev.query);
  for (const w of prevWords.filter(isName)) if (carried.length < maxCarried) add(w);
  for (const w of prevWords.filter((x) => !isName(x))) if (carried.length < maxCarried) add(w);
  // "Who runs it?" after an answer naming a company: the answer's names are what "it" may be.
  const quote = prev.answered ? prev.citations[0]?.quote : undefined;
  if (quote) {
    let n = 0;
    for (const w of names(quote, false)) {
      if (n >= maxAnswerNames || have.has(stem(w))) continue;
      add(w);
      n++;
    }
  }
  const query = carried.length ? `${q.replace(/\s*$/, "")} ${carried.join(" ")}` : q;
  return { query, followUp: true, carried, prefer };
}

function preferred(turns: PreviousTurn[]): Resolution["prefer"] {
  const passageIds = new Set<string>();
  const articleIds = new Set<string>();
  for (const t of turns) {
    for (const c of t.citations) {
      passageIds.add(c.passageId);
      articleIds.add(c.articleId);
    }
  }
  return { passageIds: [...passageIds], articleIds: [...articleIds] };
}

/** Words as written (case kept), without punctuation. */
function surfaceWords(text: string): string[] {
  return text.match(/[\p{L}\p{N}]+(?:[’'‐–-][\p{L}\p{N}]+)*/gu)?.map((w) => w.replace(/[’']s$/u, "")) ?? [];
}

const isName = (w: string) => /^\p{Lu}/u.test(w) && !QUESTION_START.test(w) && !STOP_WORDS.has(w.toLowerCase());

/** Capitalised words, skipping the first word of the text unless `all`. */
function names(text: string, all: boolean): string[] {
  const ws = surfaceWords(text);
  return ws.filter((w, i) => (all || i > 0) && isName(w));
}

/**
 * Who "he" or "she" is: the speaker the previous answer quoted (attribution already resolved "the
 * Russian president" to a name), preferring one the previous question named; else a name in the question.
 */
function speakerOf(prev: PreviousTurn): string | undefined {
  // A citation with no named speaker falls back to the publisher or the article id: not a person.
  const sources = prev.citations.filter((c) => c.source && c.source !== c.articleId && !/^the\s/i.test(c.source)).map((c) => c.source);
  const asked = names(prev.query, false);
  return sources.find((s) => asked.some((n) => s.includes(n))) ?? sources[0] ?? asked[0];
}
