import { lexicalTerm } from "../text/terms.js";
import { DATE_KEYS, datesOf, read, sentencesOf, type Read, type Token } from "./_claim-text.js";
import { DIRECTION, quantitiesOf, type Quantity } from "./_quantities.js";
import type { Bridge, SentenceVerdict } from "./support.js";

/**
 * The claim a prose sentence makes, lined up with the claim of the evidence it paraphrases. Words alone
 * are not enough: "within the last six years, Armenia would reopen" has every word of "Turkey could
 * reopen the border within the next six months" or of its passage. So each sentence is read as a
 * claim (its quantities with their units and bounds, its dates, its direction words, its comparisons,
 * and, around each verb, the actor, the modal and any negation) and compared with the evidence
 * sentence that shares a verb and most of its words with it: the quote's whole sentence in the
 * article, so that an actor named just outside the quote still counts.
 */

/** How certain a modal makes a claim: possibility, expectation, assertion. A plain verb asserts. */
const MODAL_RANK: Record<string, number> = { can: 1, could: 1, may: 1, might: 1, should: 2, would: 2, will: 3, shall: 3, must: 3 };
const ASSERTED = 3;
/** Words that hedge a verb through "to", ranked like the modals ("able to" ~ can, "expected to" ~ would). */
const HEDGE_RANK: Record<string, number> = { able: 1, possible: 1, expected: 2, likely: 2, set: 2, due: 2, poised: 2, planned: 2, going: 3 };

/** Comparison words by the way they point; "over", "up" and the like mean too many other things to count here. */
const MORE_WORDS =
  "more higher greater larger bigger increase increased increases increasing rise rises rose risen rising grow grows grew grown growing exceed exceeded exceeds raise raised gain gained boost boosted expand expanded".split(
    " ",
  );
const LESS_WORDS =
  "less lower fewer smaller decrease decreased decreases decreasing fall falls fell fallen falling drop dropped drops decline declined declines cut cuts reduce reduced reduces shrink shrank shrunk lose lost".split(
    " ",
  );
const MORE = new Set(MORE_WORDS);
const LESS = new Set(LESS_WORDS);

/** Words that negate the verb they lead to through "to" ("yet to be made", "failed to reach"). */
export const NEGATING_TO = new Set(["yet", "fail", "fails", "failed", "unable"]);
const BE = new Set(["be", "is", "are", "was", "were", "been", "being"]);
const NEGATION = new Set("not no never neither nor none nobody nothing".split(" "));
/** Verbs that report a claim rather than make it: never the verb a claim is anchored on. */
const REPORTING = new Set(
  "say said says tell told report reported reports add added note noted state stated according announce announced confirm confirmed write wrote claim claimed suggest suggested".split(
    " ",
  ),
);
/** Where a subject stops, walking back from its verb. */
const CLAUSE_EDGE = new Set([
  ",",
  ";",
  ":",
  "“",
  "”",
  '"',
  "(",
  ")",
  "—",
  "that",
  "which",
  "who",
  "whom",
  "whose",
  "because",
  "while",
  "if",
  "when",
  "although",
  "though",
  "but",
]);

/** Words of a verb group walked back over to its subject ("could not yet have been"). */
const VERB_GROUP_WORDS = 6;
/** Longest subject read, in words. */
const SUBJECT_WORDS = 8;
/** Words after a direction word that say what it is about ("since 1993", "after the talks"). */
const DIRECTION_SCOPE = 3;
/** How far after a passive verb its "by" may come ("reopened quickly by"). */
const AGENT_WORDS = 4;

/** What surrounds a claim's verb: the modal, a negation, and who acts (names of the subject, or of a passive's "by" phrase). */
interface Predicate {
  modal: number;
  modalWord: string;
  negated: boolean;
  actors: Token[];
}

/**
 * `common`: words the evidence writes in lower case. A capitalised one is the start of a sentence,
 * not a name, even where the tagger says so ("Talks were held").
 */
function predicateAt(tokens: Token[], verb: number, common: ReadonlySet<string>): Predicate {
  let modal = ASSERTED;
  let modalWord = "";
  let negated = false;
  let k = verb - 1;
  let subjectFloor = -1;
  // Back over the verb group: auxiliaries, modals, negations, adverbs ("could not yet be", "will soon").
  for (; k >= 0 && verb - k <= VERB_GROUP_WORDS; k--) {
    const t = tokens[k]!;
    if (MODAL_RANK[t.w] !== undefined) {
      if (!modalWord) [modal, modalWord] = [MODAL_RANK[t.w]!, t.w];
      continue;
    }
    if (NEGATION.has(t.w)) {
      negated = true;
      continue;
    }
    // "have yet to be made", "failed to reach": a negation spelled as a verb.
    if (t.w === "to" && NEGATING_TO.has(tokens[k - 1]?.w ?? "")) {
      negated = true;
      k -= 1;
      continue;
    }
    // "is expected to reopen", "expected car traffic to fall": a hedge stands for a modal of its strength.
    if (t.w === "to") {
      let h = k - 1;
      while (h >= 0 && k - h <= SUBJECT_WORDS && HEDGE_RANK[tokens[h]!.w] === undefined && !CLAUSE_EDGE.has(tokens[h]!.w)) h--;
      const hedge = tokens[h];
      if (hedge && HEDGE_RANK[hedge.w] !== undefined) {
        if (!modalWord) [modal, modalWord] = [HEDGE_RANK[hedge.w]!, h === k - 1 ? `${hedge.raw} to` : `${hedge.raw} … to`];
        // The words between the hedge and "to" are who acts ("car traffic"): read them as the subject.
        if (h < k - 1) {
          [subjectFloor, k] = [h, k - 1];
          break;
        }
        k = h;
        continue;
      }
    }
    if (t.pos === "AUX" || t.pos === "PART" || t.pos === "ADV") continue;
    break;
  }
  const subject: Token[] = [];
  for (; k > subjectFloor && subject.length < SUBJECT_WORDS; k--) {
    const t = tokens[k]!;
    if (CLAUSE_EDGE.has(t.w) || REPORTING.has(t.w)) break;
    subject.unshift(t);
  }
  // Names are the actor when they head the subject ("Turkey", "Turkey and Armenia") or own it
  // ("Armenia's government"); in "the Armenia–Turkey border" they only say which border, and in
  // "officials from Ankara" where the officials are from. The head comes before any preposition.
  // A leading preposition opens the clause ("with Turkey linking …"), it does not end the head.
  while (subject[0]?.pos === "ADP") subject.shift();
  const preposition = subject.findIndex((t) => t.pos === "ADP");
  const core = preposition >= 0 ? subject.slice(0, preposition) : subject;
  const head = core.at(-1);
  const named = (t: Token) => t.pos === "PROPN" && !common.has(t.w);
  let actors = head && named(head) ? core.filter(named) : core.filter((t, i) => named(t) && core[i + 1]?.w === "'s");
  // "Nobody would pay", "No driver would pay": a negated subject negates the claim.
  if (subject.some((t) => NEGATION.has(t.w))) negated = true;
  // A passive with an agent: "could be reopened by Armenia".
  const by = tokens.findIndex((t, i) => i > verb && i <= verb + AGENT_WORDS && t.w === "by");
  if (by > 0 && tokens.slice(Math.max(0, verb - AGENT_WORDS), verb).some((t) => BE.has(t.w))) {
    const agent: Token[] = [];
    for (let a = by + 1; a < tokens.length && (tokens[a]!.pos === "PROPN" || tokens[a]!.pos === "DET" || tokens[a]!.pos === "ADJ"); a++) agent.push(tokens[a]!);
    const names = agent.filter(named);
    if (names.length > 0) actors = names;
  }
  return { modal, modalWord, negated, actors };
}

/** A verb that carries a claim: a content verb, not one that reports who said it. */
function isClaimVerb(t: Token): boolean {
  return t.pos === "VERB" && t.stem !== null && !REPORTING.has(t.w);
}

const quoted = (s: string) => `“${s}”`;

/** The distinct texts of some quantities, as "“a”" or "“a” or “b”". */
const listed = (qs: Quantity[]) => [...new Set(qs.map((q) => quoted(q.text)))].join(" or ");

/**
 * Whether the claim of `sentence` (markers and attribution may be in it) is the claim of its evidence.
 * `quotes` and `context` are the cited quotes and the corpus text around them; `bridge` says which
 * names may stand for which (Türkiye for Turkey). Fails with a reason on the first mismatch.
 */
export function checkClaim(sentence: string, evidence: { quotes: string[]; context: string[] }, bridge: Bridge): SentenceVerdict {
  const claim = read(sentence.replace(/\s*\[[\d,;\s–-]+\]/g, "").trim());
  const texts = [...evidence.quotes, ...evidence.context];
  // The quote's own sentence in the article stands for the quote: it names the actor the quote may leave out.
  const contextSentences = evidence.context.flatMap(sentencesOf);
  const quoteSentences = evidence.quotes.map((q) => contextSentences.find((c) => c.includes(q.trim())) ?? q.trim());
  const sentences = [...new Set([...quoteSentences, ...contextSentences].filter(Boolean))].map(read);
  const ofQuotes = new Set(quoteSentences);
  if (sentences.length === 0) return { supported: true };

  // Quantities: the same number must count the same thing, with the same bounds.
  const evidenceQuantities = sentences.flatMap((s) => quantitiesOf(s.tokens));
  for (const q of quantitiesOf(claim.tokens)) {
    const same = evidenceQuantities.filter((e) => e.value === q.value);
    if (same.length === 0) continue;
    const counted = same.filter((e) => (!q.unit || !e.unit || e.unit === q.unit) && (!q.rate || !e.rate || e.rate === q.rate));
    if (counted.length === 0) return { supported: false, reason: `${quoted(q.text)} counts something else than the quote's ${listed(same)}` };
    const paid = counted.filter((e) => !q.currency || !e.currency || e.currency === q.currency);
    if (paid.length === 0) return { supported: false, reason: `${quoted(q.text)} is in another currency than the quote's ${listed(counted)}` };
    if (!paid.some((e) => [...q.bounds].every((b) => e.bounds.has(b))))
      return { supported: false, reason: `${quoted(q.text)} bounds the number differently from the quote's ${listed(paid)}` };
  }

  // Dates: every part of a date the sentence states must be a part of a date in the evidence.
  const evidenceDates = texts.flatMap(datesOf);
  for (const d of datesOf(claim.text)) {
    const keys = DATE_KEYS.filter((k) => d.start.isCertain(k));
    if (keys.length === 0) continue;
    if (!evidenceDates.some((e) => keys.every((k) => e.start.get(k) === d.start.get(k))))
      return { supported: false, reason: `the date ${quoted(d.text)} is not in the cited quotes` };
  }

  // The evidence sentence the claim paraphrases: of those that share a verb with it, the one with most of its words.
  const verbs = claim.tokens.filter(isClaimVerb).map((t) => t.stem!);
  const overlap = (s: Read) => [...claim.stems].filter((x) => s.stems.has(x)).length;
  const withVerb = sentences.filter((s) => verbs.some((v) => s.stems.has(v)));
  const candidates = withVerb.length > 0 ? withVerb : sentences;
  // Most words in common; on a tie a sentence of a cited quote, then the shorter (the closer paraphrase).
  const rank = (s: Read) => [overlap(s), ofQuotes.has(s.text) ? 1 : 0, -s.tokens.length];
  const better = (a: Read, b: Read) => {
    const [x, y] = [rank(a), rank(b)];
    const i = x.findIndex((v, k) => v !== y[k]);
    return i >= 0 && x[i]! > y[i]!;
  };
  const aligned = candidates.reduce((best, s) => (better(s, best) ? s : best));

  // Direction words ("next", "after", "until") must be the aligned sentence's.
  const directions = (tokens: Token[]) => new Set(tokens.map((t) => DIRECTION[t.w]).filter((c): c is string => c !== undefined));
  const alignedDirections = directions(aligned.tokens);
  // A sentence that joins two claims may take its direction word from the other one: then that
  // sentence must have the word's class next to what the word governs ("since 1993").
  const governs = (i: number) => claim.tokens.slice(i + 1, i + 1 + DIRECTION_SCOPE).flatMap((t) => (t.stem ? [t.stem] : []));
  for (const [i, t] of claim.tokens.entries()) {
    const cls = DIRECTION[t.w];
    if (!cls || alignedDirections.has(cls)) continue;
    const scope = governs(i);
    if (sentences.some((s) => s !== aligned && directions(s.tokens).has(cls) && scope.some((x) => s.stems.has(x)))) continue;
    return { supported: false, reason: `${quoted(t.raw)} is not what the cited text says (${quoted(aligned.text)})` };
  }

  // Comparisons must point the same way.
  const points = (tokens: Token[]) => ({ more: tokens.some((t) => MORE.has(t.w)), less: tokens.some((t) => LESS.has(t.w)) });
  const claimed = points(claim.tokens);
  const cited = points(aligned.tokens);
  if ((claimed.more && cited.less && !cited.more) || (claimed.less && cited.more && !cited.less)) {
    const word = claim.tokens.find((t) => (claimed.more ? MORE : LESS).has(t.w))!;
    return { supported: false, reason: `${quoted(word.raw)} points the other way from the cited text (${quoted(aligned.text)})` };
  }

  const common = new Set(sentences.flatMap((s) => s.tokens.filter((t) => t.raw === t.w && /\p{L}/u.test(t.w)).map((t) => t.w)));
  // Each verb the claim shares with that sentence, with its modal, negation and actor; a sentence
  // without a shared content verb hangs on its copula ("would be 160 metres long").
  const shared = claim.tokens.flatMap((t, i) =>
    isClaimVerb(t) && aligned.stems.has(t.stem!) ? [[i, aligned.tokens.findIndex((u) => u.stem === t.stem)] as const] : [],
  );
  const copula = [[claim.tokens.findIndex((t) => BE.has(t.w)), aligned.tokens.findIndex((t) => BE.has(t.w))] as const];
  for (const [anchor, there] of shared.length > 0 ? shared : copula) {
    if (anchor < 0 || there < 0) continue;
    const said = claim.tokens[anchor]!;
    const mine = predicateAt(claim.tokens, anchor, common);
    const theirs = predicateAt(aligned.tokens, there, common);
    const phrase = (p: Predicate, v: Token) => (p.modalWord ? `${p.modalWord} ${v.raw}` : v.raw);
    if (mine.modal > theirs.modal)
      return { supported: false, reason: `${quoted(phrase(mine, said))} is more certain than the cited ${quoted(phrase(theirs, aligned.tokens[there]!))}` };
    if (mine.negated !== theirs.negated)
      return {
        supported: false,
        reason: mine.negated ? `negates ${quoted(said.raw)}, which the cited text does not` : `drops the negation of ${quoted(said.raw)} in the cited text`,
      };
    if (mine.actors.length > 0 && theirs.actors.length > 0) {
      const names = new Set(theirs.actors.map((t) => t.stem ?? t.w));
      const known = (t: Token) => names.has(t.stem ?? t.w) || [...bridge(t.w, "name")].some((alt) => names.has(lexicalTerm(alt) ?? alt));
      const stranger = mine.actors.find((t) => !known(t));
      if (stranger)
        return {
          supported: false,
          reason: `${stranger.raw} acts (${quoted(said.raw)}), where the cited text has ${theirs.actors.map((t) => t.raw).join(" ")}`,
        };
    }
  }
  return { supported: true };
}
