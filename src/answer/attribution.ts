import { hasLostLetters } from "../corpus/mojibake.js";
import type { Passage, Sentence } from "../passages/passage.js";

/** Who a sentence's claim belongs to, and the verbatim span to quote (offsets into the article body). */
export interface Attribution {
  /** Speaker or outlet named by the text; undefined when no one is named. */
  source: string | undefined;
  start: number;
  end: number;
  /** The span sat inside quotation marks in the article (render it with quote marks). */
  quoted: boolean;
}

const VERBS = "said|says|stated|noted|added|reported|reports|announced|highlighted|stressed|emphasized|emphasised|confirmed|warned|hinted|explained|wrote|argued|insisted|told";
const PRONOUNS = new Set(["he", "she", "they"]);
const CONNECTORS = new Set(["of", "the", "for", "and", "de", "al", "von"]);
const OPEN = "“\"";
const CLOSE = "”\"";

/**
 * Attribute every sentence of an article, in order, so pronouns ("He noted…") resolve to the last
 * named speaker and generic mentions ("the ministry") to the last matching named one.
 */
export function attributeArticle(passages: Passage[]): Map<string, Attribution> {
  const out = new Map<string, Attribution>();
  const named: string[] = [];
  const titles = titledNames(passages.map((p) => p.text).join("\n"));
  for (const p of passages) {
    const quoteSpeaker = paragraphQuoteSpeaker(p);
    p.sentences.forEach((s, i) => {
      const a = attributeSentence(s, named, p.kind === "paragraph" ? quoteSpeaker : undefined, i, p);
      // "Ye?il I?d?r": a name whose letters were lost before import would be shown misspelt as a
      // speaker; the claim stays the article's own.
      if (a.source && hasLostLetters(a.source)) a.source = undefined;
      if (a.source) a.source = titles.get(a.source.toLowerCase().replace(/^the\s+/, "")) ?? a.source;
      if (a.source && !PRONOUNS.has(a.source.toLowerCase()) && /^(?:the\s+)?[A-Z\u00C0-\u024F]/.test(a.source)) named.push(a.source);
      out.set(s.id, a);
    });
  }
  return out;
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
const THAT_CLAUSE = new RegExp(`^(?<lead>(?:[^,“”"]{0,80},\\s+)?)(?<subj>[^,“”"]{1,90}?)\\s+(?:also\\s+|in turn,?\\s+|later\\s+)?(?:${VERBS})\\b(?<mid>[^,.“”"]{0,40}?)\\s+that\\s+(?<rest>.+)$`);
// `The ministry said the discussions were held …`, `Putin, in turn, emphasized the potential …`
const PLAIN = new RegExp(`^(?<lead>(?:[^,“”"]{0,80},\\s+)?)(?<subj>[^,“”"]{1,60}?)(?:,\\s*in turn,)?\\s+(?:also\\s+)?(?:${VERBS})\\s+(?<rest>[a-z].+)$`);
// `…,” said Anna Petrov, the mayor.`
const TRAILING_INVERTED = new RegExp(`[”"]\\s*,?\\s*(?:${VERBS})\\s+(?<who>[A-Z][\\p{L}'’-]+(?:\\s+[A-Z][\\p{L}'’-]+){0,3})\\s*(?:,[^“”"]*)?[.!]?$`, "u");
// `Mevlut Cavusoglu, Turkey's foreign minister, said on Monday that …`
const APPOSITIVE = new RegExp(`^(?<subj>[A-Z][\\p{L}'’-]+(?:\\s+[A-Z][\\p{L}'’-]+){0,3}),\\s+[^,“”"]{2,80},\\s+(?:also\\s+)?(?:${VERBS})\\b(?:[^,.“”"]{0,40}?\\s+that\\s+|\\s+)(?<rest>.+)$`, "u");
// `The service expects the programme to cost 3.3 billion euros, Doyle said.`
const TRAILING_PLAIN = /^(?<rest>[^“”"]+?),\s+(?<who>[A-Z][\p{L}'’-]+(?:\s+[A-Z][\p{L}'’-]+){0,3}|[Hh]e|[Ss]he|[Tt]hey)\s+(?:said|says|added|noted|stated|told reporters)\.$/u;
// `According to the Foreign Ministry, representatives … met …`
const ACCORDING = /^According to (?<who>[^,]{2,80}),\s+(?<rest>.+)$/;
// `…, Erdogan said, “God willing, …,” emphasizing …`
const SAID_OPEN = new RegExp(`(?<subj>[A-Z][^,“”"]{0,60}?)\\s+(?:${VERBS}),?\\s+[“"](?<q>[^”"]+)[”"]`);

function attributeSentence(
  s: Sentence,
  named: string[],
  paragraphSpeaker: { who: string; until: number } | undefined,
  index: number,
  p: Passage,
): Attribution {
  const whole = (source: string | undefined, quoted = false): Attribution => ({ source, ...trimSpan(s.text, s.start, 0, s.text.length), quoted });
  const text = s.text;

  const trailing = TRAILING.exec(text);
  if (trailing) {
    const close = trailing.index;
    const open = lastOpenBefore(text, close);
    const from = open >= 0 ? open + 1 : 0;
    const span = trimSpan(text, s.start, from, close);
    return { source: resolve(trailing.groups!["who"]!, named), ...span, quoted: true };
  }
  const inverted = TRAILING_INVERTED.exec(text);
  if (inverted) {
    const close = inverted.index;
    const open = lastOpenBefore(text, close);
    return { source: resolve(inverted.groups!["who"]!, named), ...trimSpan(text, s.start, open >= 0 ? open + 1 : 0, close), quoted: true };
  }
  if (paragraphSpeaker && index < paragraphSpeaker.until) {
    return { source: resolve(paragraphSpeaker.who, named), ...trimSpan(text, s.start, 0, text.length), quoted: true };
  }
  const saidOpen = SAID_OPEN.exec(text);
  if (saidOpen) {
    const qStart = saidOpen.index + saidOpen[0].indexOf(saidOpen.groups!["q"]!);
    const who = subject(saidOpen.groups!["subj"]!);
    if (who) return { source: resolve(who, named), ...trimSpan(text, s.start, qStart, qStart + saidOpen.groups!["q"]!.length), quoted: true };
  }
  const plainTrailing = TRAILING_PLAIN.exec(text);
  if (plainTrailing) {
    const rest = plainTrailing.groups!["rest"]!;
    return { source: resolve(plainTrailing.groups!["who"]!, named), ...trimSpan(text, s.start, 0, rest.length), quoted: false };
  }
  const appositive = APPOSITIVE.exec(text);
  if (appositive) {
    const rest = appositive.groups!["rest"]!;
    return { source: resolve(appositive.groups!["subj"]!, named), ...trimSpan(text, s.start, text.length - rest.length, text.length), quoted: false };
  }
  const according = ACCORDING.exec(text);
  if (according) {
    const rest = according.groups!["rest"]!;
    return { source: resolve(according.groups!["who"]!, named), ...trimSpan(text, s.start, text.length - rest.length, text.length), quoted: false };
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
    return { source: resolve(who, named), ...span, quoted: false };
  }
  void p;
  return whole(undefined);
}

const TITLE = /\b((?:[A-Z][a-z]+\s+){0,2}(?:President|Prime Minister|Foreign Minister|Minister|Governor|Chancellor|Ambassador|Mayor|Secretary))\s+((?:[A-Z][\p{L}'’-]+\s+){0,3}([A-Z][\p{L}'’-]+))/gu;

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

/** Pronouns → last named speaker; "the ministry" → the last named "… Ministry". */
function resolve(who: string, named: string[]): string {
  const w = who.trim();
  if (PRONOUNS.has(w.toLowerCase())) return named[named.length - 1] ?? w;
  const generic = /^the\s+(.+)$/i.exec(w);
  if (generic) {
    const noun = generic[1]!.toLowerCase();
    const head = noun.split(/\s+/).pop()!;
    for (let i = named.length - 1; i >= 0; i--) {
      const n = named[i]!.toLowerCase();
      if (n.endsWith(head)) return named[i]!;
    }
    return `the ${generic[1]}`;
  }
  return w;
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
