import { outsideQuotes, quotePieces } from "./_quotes.js";
import { firstMention, fullNames, garbled, isOrganisation, type Mention, roleHolders, roleKey, speakerMention } from "./_speakers.js";
import type { Passage, Sentence } from "./passage.js";

/** Who a sentence's claim belongs to, and the verbatim span to quote (offsets into the article body). */
export interface Attribution {
  /** Speaker or outlet named by the text; undefined when no one is named. */
  source: string | undefined;
  start: number;
  end: number;
  /** The span sat inside quotation marks in the article (render it with quote marks). */
  quoted: boolean;
}

const VERBS =
  "said|says|stated|noted|added|reported|reports|announced|highlighted|stressed|emphasized|emphasised|confirmed|warned|hinted|explained|wrote|argued|insisted|told";
const PRONOUNS = new Set(["he", "she", "they"]);
const CONNECTORS = new Set(["of", "the", "for", "and", "de", "al", "von"]);
const OPEN = '“"';
const CLOSE = '”"';

/**
 * Attribute every sentence of an article, in order. A sentence that quotes someone is credited to the
 * speaker its own words name ("…,” X said", "X said: “…", "said X", "according to X"); else to the
 * speaker of the quotation it continues (over sentences and paragraphs); else, when it opens with a
 * quotation, to whoever the sentence before names, then the paragraph's first sentence. "He", "she",
 * "they" and "it" resolve to the last named person or body of that kind; a role ("the company's chief
 * executive") to the person the article names holding it, else it stays the role. Other sentences
 * keep the reported-speech rules below ("X said that …", "according to X, …"). Linear in the text.
 */
export function attributeArticle(passages: Passage[]): Map<string, Attribution> {
  const out = new Map<string, Attribution>();
  const named: string[] = [];
  const titles = titledNames(passages.map((p) => p.text).join("\n"));
  const holders = new Map<string, Array<{ at: number; name: string }>>();
  for (const p of passages) roleHolders(p.text, p.start, holders);
  const quotes = quotePieces(passages);
  const sentences = passages.flatMap((p) => p.sentences.map((s, i) => ({ p, s, i, pieces: quotes.get(s.id) ?? [] })));
  // Surnames of everyone the article names in full, so "Ahlgren said" is a name and "Having argued" is not.
  const names = sentences.map(({ s }) => fullNames(s.text));
  const known = new Set(names.flatMap((list) => list.map((n) => n.split(/\s+/).pop()!)));
  const own = sentences.map(({ s, pieces }) => (pieces.length ? speakerMention(outsideQuotes(s.text, s.start, pieces), known) : undefined));
  // Where each quotation's speaker is named, if anywhere: "“A. B. C,” she said." names it last.
  const runNamed = new Map<number, number>();
  sentences.forEach(({ pieces }, k) => {
    if (own[k]) for (const q of pieces) if (!runNamed.has(q.run)) runNamed.set(q.run, k);
  });
  const state = new Speakers(named, titles, holders);
  const runSpeaker = new Map<number, string | undefined>();
  let previous: { source: string | undefined; mention: string | undefined } = { source: undefined, mention: undefined };
  let paragraphFirst = previous;
  let quoteSpeaker: { who: string; until: number } | undefined;
  sentences.forEach(({ p, s, i, pieces }, k) => {
    if (i === 0) quoteSpeaker = p.kind === "paragraph" ? paragraphQuoteSpeaker(p) : undefined;
    const legacy = attributeSentence(s, (who) => state.resolveText(who, s.start), quoteSpeaker, i);
    let source = legacy.source;
    if (pieces.length > 0) {
      const mention =
        own[k] ??
        pieces
          .map((q) => runNamed.get(q.run))
          .filter((j) => j !== undefined && j > k)
          .map((j) => own[j!])[0];
      const fromRun = pieces.map((q) => runSpeaker.get(q.run)).find((w) => w !== undefined);
      // A quoted heading is a section title, not anyone's words continued.
      const opens = p.kind !== "heading" && (/^[“"‘'„«]/.test(s.text) || pieces.some((q) => runSpeaker.has(q.run)));
      source = mention ? state.resolve(mention, s.start) : fromRun;
      if (!source && opens)
        source =
          previous.source ?? previous.mention ?? (i > 1 ? (paragraphFirst.source ?? paragraphFirst.mention) : undefined) ?? state.resolveText("he", s.start);
      // A phrase quoted inside narration ("Holt called the repairs “overdue but sound”") is its subject's.
      if (!source && !opens && p.kind !== "heading") source = state.resolveMention(firstMention(outsideQuotes(s.text, s.start, pieces), state.known), s.start);
      for (const q of pieces) if (!runSpeaker.has(q.run) || runSpeaker.get(q.run) === undefined) runSpeaker.set(q.run, source);
    }
    // "They said:" introduces the quotation of the next paragraph.
    if (!source && pieces.length === 0 && /:\s*$/.test(s.text)) source = state.resolveMention(speakerMention(s.text, known), s.start);
    if (source) source = titles.get(source.toLowerCase().replace(/^the\s+/, "")) ?? source;
    if (source && garbled(source)) source = undefined;
    // Headings are written in title case: their capitalised words are no names to remember.
    const mention =
      p.kind === "heading" ? undefined : state.observe(source, pieces.length ? outsideQuotes(s.text, s.start, pieces) : s.text, s.start, names[k]!);
    if (source && /^(?:the\s+)?[A-Z\u00C0-\u024F]/.test(source)) named.push(source);
    out.set(s.id, { ...legacy, source });
    previous = { source, mention };
    if (i === 0) paragraphFirst = previous;
  });
  return out;
}

/** How far (in characters) a role holder's naming may sit from the sentence it is found in. */
const HOLDER_REACH = 400;

/** Nouns that stand for an organisation named earlier: "the company said" is the company last named. */
const BODY_NOUNS = new Set(
  "company firm agency ministry department organisation organization group bank court government board committee council union club team museum network outlet newspaper paper daily regulator airline carrier retailer lender insurer automaker operator association charity city district office watchdog authority service commission party league federation university school hospital police army".split(
    " ",
  ),
);

/** The running memory of who was last named, for pronouns, roles and generic mentions. */
class Speakers {
  private lastPerson: string | undefined;
  private lastBody: string | undefined;
  private lastWasBody = false;
  private readonly surnames = new Set<string>();
  /** Surnames of the people named in full so far: a later "Ahlgren" is a person. */
  readonly known: ReadonlySet<string> = this.surnames;

  constructor(
    private readonly named: string[],
    private readonly titles: Map<string, string>,
    private readonly holders: Map<string, Array<{ at: number; name: string }>>,
  ) {}

  /** A mention as words ("he", "the ministry", "Doyle") to the speaker it stands for. */
  resolveText(who: string, at: number): string | undefined {
    const w = who.trim();
    const lower = w.toLowerCase();
    if (lower === "he" || lower === "she" || lower === "they" || lower === "it") return this.resolve({ kind: "pronoun", text: lower }, at);
    if (/^the\s/i.test(w)) return this.resolve({ kind: "role", text: w }, at);
    return this.resolve({ kind: "name", text: w }, at);
  }

  resolveMention(m: Mention | undefined, at: number): string | undefined {
    return m ? this.resolve(m, at) : undefined;
  }

  resolve(m: Mention, at: number): string | undefined {
    if (m.kind === "name") return garbled(m.text) ? undefined : m.text;
    if (m.kind === "pronoun") {
      if (m.text === "it") return this.lastBody;
      // Singular "they" is as common in news as the plural: whoever was named last.
      if (m.text === "they") return this.lastWasBody ? this.lastBody : (this.lastPerson ?? this.lastBody);
      return this.lastPerson;
    }
    const title = this.titles.get(m.text.toLowerCase().replace(/^the\s+/, ""));
    if (title) return title;
    const key = roleKey(m.text);
    const list = key ? this.holders.get(key) : undefined;
    if (list?.length) return (list.filter((h) => h.at < at).at(-1) ?? list[0]!).name;
    // "the agency's order", "the company's statement": the words are its owner's.
    const owner =
      /^(the\s+[\p{L}\s-]+?)(?:’s|'s)\s+(?:statement|order|report|letter|website|post|release|filing|ruling|decision|opinion|notice|memo|announcement|account)$/iu.exec(
        m.text,
      );
    const generic = /^the\s+(.+)$/i.exec(owner?.[1] ?? m.text);
    if (generic) {
      const head = generic[1]!.toLowerCase().split(/\s+/).pop()!;
      for (let i = this.named.length - 1; i >= 0; i--) if (this.named[i]!.toLowerCase().endsWith(head)) return this.named[i]!;
      // "the Harbour committee" says which body it is; "the company" leans on the last one named.
      if (BODY_NOUNS.has(head) && this.lastBody && !/\p{Lu}/u.test(generic[1]!)) return this.lastBody;
      return `the ${generic[1]}`;
    }
    return m.text;
  }

  /** Remember who a sentence credits, else whom it names first; returns that first mention, resolved. */
  observe(source: string | undefined, outside: string, at: number, names: string[]): string | undefined {
    for (const name of names) this.surnames.add(name.split(/\s+/).pop()!);
    // A person the article gives a role ("CEO Tomas Vell") is who a later "he" means, more than
    // whatever capitalised words open the sentence ("Ferry Cuts: Staff at Northsea…").
    const holder = names.find((n) => this.holds(n, at));
    const first: Mention | undefined = holder ? { kind: "name", text: holder } : firstMention(outside, this.surnames);
    let mention: string | undefined;
    if (first?.kind === "name") {
      const words = first.text.split(/\s+/);
      if (isOrganisation(first.text)) mention = first.text;
      else if (words.length > 1 || this.surnames.has(first.text)) mention = first.text;
    } else if (first) mention = this.resolve(first, at);
    this.remember(mention);
    this.remember(source);
    return mention;
  }

  /** Whether the article names `name` as holding a role near `at` (within the sentence). */
  private holds(name: string, at: number): boolean {
    for (const list of this.holders.values()) for (const h of list) if (h.name === name && Math.abs(h.at - at) < HOLDER_REACH) return true;
    return false;
  }

  private remember(who: string | undefined): void {
    if (!who || /^(?:he|she|they|it)$/i.test(who)) return;
    // "the first nonbinary artist" is a person left as its role; "the ministry" is a body.
    this.lastWasBody = isOrganisation(who) && !roleKey(who);
    if (this.lastWasBody) this.lastBody = who;
    else {
      this.lastPerson = who;
      this.surnames.add(who.split(/\s+/).pop()!);
    }
  }
}

/** A paragraph that opens a quotation closed later by `…,” X said.` belongs to X throughout. */
function paragraphQuoteSpeaker(p: Passage): { who: string; until: number } | undefined {
  if (!OPEN.includes(p.text[0] ?? "")) return undefined;
  for (let i = 0; i < p.sentences.length; i++) {
    const trailing = TRAILING.exec(p.sentences[i]!.text);
    if (trailing) return { who: trailing.groups!["who"]!, until: i };
  }
  return undefined;
}

// `…underway,” Pashinyan said.`
const TRAILING = new RegExp(`[”"]\\s*,?\\s*(?<who>[A-Z][^,.“”"]{0,60}?|[Hh]e|[Ss]he|[Tt]hey)\\s+(?:${VERBS})\\b[^“”"]{0,40}$`);
// `Bloomberg reported earlier this month that …`, `During the meeting, Putin stated that …`
const THAT_CLAUSE = new RegExp(
  `^(?<lead>(?:[^,“”"]{0,80},\\s+)?)(?<subj>[^,“”"]{1,90}?)\\s+(?:also\\s+|in turn,?\\s+|later\\s+)?(?:${VERBS})\\b(?<mid>[^,.“”"]{0,40}?)\\s+that\\s+(?<rest>.+)$`,
);
// `The ministry said the discussions were held …`, `Putin, in turn, emphasized the potential …`
const PLAIN = new RegExp(`^(?<lead>(?:[^,“”"]{0,80},\\s+)?)(?<subj>[^,“”"]{1,60}?)(?:,\\s*in turn,)?\\s+(?:also\\s+)?(?:${VERBS})\\s+(?<rest>[a-z].+)$`);
// `…,” said Anna Petrov, the mayor.`
const TRAILING_INVERTED = new RegExp(`[”"]\\s*,?\\s*(?:${VERBS})\\s+(?<who>[A-Z][\\p{L}'’-]+(?:\\s+[A-Z][\\p{L}'’-]+){0,3})\\s*(?:,[^“”"]*)?[.!]?$`, "u");
// `Mevlut Cavusoglu, Turkey's foreign minister, said on Monday that …`
const APPOSITIVE = new RegExp(
  `^(?<subj>[A-Z][\\p{L}'’-]+(?:\\s+[A-Z][\\p{L}'’-]+){0,3}),\\s+[^,“”"]{2,80},\\s+(?:also\\s+)?(?:${VERBS})\\b(?:[^,.“”"]{0,40}?\\s+that\\s+|\\s+)(?<rest>.+)$`,
  "u",
);
// `The service expects the programme to cost 3.3 billion euros, Doyle said.`
const TRAILING_PLAIN =
  /^(?<rest>[^“”"]+?),\s+(?<who>[A-Z][\p{L}'’-]+(?:\s+[A-Z][\p{L}'’-]+){0,3}|[Hh]e|[Ss]he|[Tt]hey)\s+(?:said|says|added|noted|stated|told reporters)\.$/u;
// `According to the Foreign Ministry, representatives … met …`
const ACCORDING = /^According to (?<who>[^,]{2,80}),\s+(?<rest>.+)$/;
// `…, Erdogan said, “God willing, …,” emphasizing …`
const SAID_OPEN = new RegExp(`(?<subj>[A-Z][^,“”"]{0,60}?)\\s+(?:${VERBS}),?\\s+[“"](?<q>[^”"]+)[”"]`);

function attributeSentence(
  s: Sentence,
  resolve: (who: string) => string | undefined,
  paragraphSpeaker: { who: string; until: number } | undefined,
  index: number,
): Attribution {
  const whole = (source: string | undefined, quoted = false): Attribution => ({ source, ...trimSpan(s.text, s.start, 0, s.text.length), quoted });
  const text = s.text;

  const trailing = TRAILING.exec(text);
  if (trailing) {
    const close = trailing.index;
    const open = lastOpenBefore(text, close);
    const from = open >= 0 ? open + 1 : 0;
    const span = trimSpan(text, s.start, from, close);
    return { source: resolve(trailing.groups!["who"]!), ...span, quoted: true };
  }
  const inverted = TRAILING_INVERTED.exec(text);
  if (inverted) {
    const close = inverted.index;
    const open = lastOpenBefore(text, close);
    return { source: resolve(inverted.groups!["who"]!), ...trimSpan(text, s.start, open >= 0 ? open + 1 : 0, close), quoted: true };
  }
  if (paragraphSpeaker && index < paragraphSpeaker.until) {
    return { source: resolve(paragraphSpeaker.who), ...trimSpan(text, s.start, 0, text.length), quoted: true };
  }
  const saidOpen = SAID_OPEN.exec(text);
  if (saidOpen) {
    const qStart = saidOpen.index + saidOpen[0].indexOf(saidOpen.groups!["q"]!);
    const who = subject(saidOpen.groups!["subj"]!);
    if (who) return { source: resolve(who), ...trimSpan(text, s.start, qStart, qStart + saidOpen.groups!["q"]!.length), quoted: true };
  }
  const plainTrailing = TRAILING_PLAIN.exec(text);
  if (plainTrailing) {
    const rest = plainTrailing.groups!["rest"]!;
    return { source: resolve(plainTrailing.groups!["who"]!), ...trimSpan(text, s.start, 0, rest.length), quoted: false };
  }
  const appositive = APPOSITIVE.exec(text);
  if (appositive) {
    const rest = appositive.groups!["rest"]!;
    return { source: resolve(appositive.groups!["subj"]!), ...trimSpan(text, s.start, text.length - rest.length, text.length), quoted: false };
  }
  const according = ACCORDING.exec(text);
  if (according) {
    const rest = according.groups!["rest"]!;
    return { source: resolve(according.groups!["who"]!), ...trimSpan(text, s.start, text.length - rest.length, text.length), quoted: false };
  }
  for (const re of [THAT_CLAUSE, PLAIN]) {
    const m = re.exec(text);
    if (!m) continue;
    const who = subject(m.groups!["subj"]!);
    if (!who) continue;
    const rest = m.groups!["rest"]!;
    const restStart = text.length - rest.length;
    // A plain "X said the talks…" keeps the whole sentence: the claim reads wrong without its verb.
    const span = re === THAT_CLAUSE ? trimSpan(text, s.start, restStart, text.length) : trimSpan(text, s.start, 0, text.length);
    return { source: resolve(who), ...span, quoted: false };
  }
  return whole(undefined);
}

const TITLE =
  /\b((?:[A-Z][a-z]+\s+){0,2}(?:President|Prime Minister|Foreign Minister|Minister|Governor|Chancellor|Ambassador|Mayor|Secretary))\s+((?:[A-Z][\p{L}'’-]+\s+){0,3}([A-Z][\p{L}'’-]+))/gu;

/**
 * "Russian President Vladimir Putin" lets "the Russian president" and "Russian President Vladimir
 * Putin" both resolve to "Putin"; keyed by the lowercased title and by the full name.
 */
function titledNames(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of text.matchAll(TITLE)) {
    const title = m[1]!.toLowerCase();
    const surname = m[3]!;
    if (!out.has(title)) out.set(title, surname);
    out.set(`${m[1]} ${m[2]}`.toLowerCase(), surname);
  }
  return out;
}

/** The speaker at the end of the text before a speech verb: a run of capitalised words, a pronoun, or "the X". */
function subject(before: string): string | undefined {
  const words = before.trim().split(/\s+/);
  const last = words[words.length - 1] ?? "";
  if (words.length === 1 && PRONOUNS.has(last.toLowerCase())) return last;
  const run: string[] = [];
  for (let i = words.length - 1; i >= 0; i--) {
    const w = words[i]!;
    if (/^[A-Z\u00C0-\u024F]/.test(w)) run.unshift(w);
    else if (CONNECTORS.has(w) && run.length > 0 && i > 0 && /^[A-Z]/.test(words[i - 1]!)) run.unshift(w);
    else break;
  }
  if (run.length > 0 && run.length === words.length) return run.join(" ");
  if (run.length > 0 && run.length < words.length) {
    // "Turkish media outlet Reuters": the name is the trailing run.
    return run.join(" ");
  }
  // "The ministry", "the Russian president"
  if (/^the$/i.test(words[0] ?? "") && words.length <= 4) return words.join(" ");
  return undefined;
}

function lastOpenBefore(text: string, at: number): number {
  for (let i = at - 1; i >= 0; i--) if (OPEN.includes(text[i]!)) return i;
  return -1;
}

/** Trim whitespace, stray quote marks and a trailing comma from a span; offsets into the body. */
function trimSpan(text: string, base: number, from: number, to: number): { start: number; end: number } {
  let a = from;
  let b = to;
  while (a < b && /[\s“”"‘’]/.test(text[a]!) && !(text[a] === "’" && a > 0)) a++;
  while (b > a && /[\s,;]/.test(text[b - 1]!)) b--;
  if (b > a && CLOSE.includes(text[b - 1]!) && !text.slice(a, b - 1).match(/[“"]/)) b--;
  while (b > a && /[\s,;]/.test(text[b - 1]!)) b--;
  return { start: base + a, end: base + b };
}
