import { QUOTED } from "./_quotes.js";

/**
 * How news writing names who spoke: the speech verbs, the phrases that introduce a speaker, and the
 * person/organisation/role kinds a later "he", "it" or "the company's chief executive" resolves to.
 * Pure string work over one sentence at a time; linear in its length.
 */

/** A speaker as the sentence names it, before pronouns and roles are resolved. */
export type Mention = { kind: "name"; text: string } | { kind: "pronoun"; text: string } | { kind: "role"; text: string };

const VERB_WORDS = [
  "said",
  "says",
  "say",
  "added",
  "adds",
  "told",
  "tells",
  "wrote",
  "writes",
  "argued",
  "argues",
  "stated",
  "states",
  "noted",
  "notes",
  "explained",
  "explains",
  "warned",
  "warns",
  "claimed",
  "claims",
  "declared",
  "insisted",
  "insists",
  "continued",
  "asked",
  "replied",
  "responded",
  "tweeted",
  "posted",
  "announced",
  "acknowledged",
  "admitted",
  "conceded",
  "stressed",
  "emphasized",
  "emphasised",
  "highlighted",
  "confirmed",
  "reported",
  "urged",
  "pledged",
  "promised",
  "vowed",
  "predicted",
  "recalled",
  "remarked",
  "observed",
  "cautioned",
  "complained",
  "described",
  "called",
  "concluded",
  "joked",
  "quipped",
  "testified",
  "reads",
  "read",
  "went on",
  "put it",
  "agreed",
  "countered",
  "suggested",
  "accused",
  "praised",
  "thanked",
  "recounted",
  "shouted",
  "chanted",
  "summed up",
  "hinted",
  "reports",
  "report",
  "exclaimed",
  "calls",
  "call",
  "encouraged",
  "advised",
  "appealed",
  "demanded",
  "criticised",
  "criticized",
  "blamed",
  "welcomed",
  "hailed",
  "dismissed",
  "denied",
  "defended",
  "condemned",
  "pointed out",
  "mused",
  "wondered",
  "estimated",
  "forecast",
];
const PARTICIPLES = [
  "saying",
  "adding",
  "telling",
  "writing",
  "noting",
  "warning",
  "arguing",
  "calling",
  "declaring",
  "insisting",
  "describing",
  "explaining",
  "stressing",
  "urging",
  "asking",
  "vowing",
  "promising",
];
const VERB = new RegExp(`\\b(?:${[...VERB_WORDS, ...PARTICIPLES].map((v) => v.replace(" ", "\\s+")).join("|")})\\b`, "g");
const PARTICIPLE = new Set(PARTICIPLES);

/** Degrees and honours after a name: "Lena Holt, M.D., Ph.D., said". */
const DEGREE = /^(?:(?:[A-Z][A-Za-z]{0,3}\.)+|Jr\.?|Sr\.?|KC|QC|OBE|MBE|CBE|PhD)$/;
/** Words between a speaker and the speech verb: "Vell soon claimed", "Quist has told". */
const BETWEEN =
  /\s+(?:has|had|have|did|does|do|would|could|will|may|might|were|are|been|being|also|later|then|again|once|previously|soon|further|was|is|already|repeatedly|recently|publicly|separately|\p{Ll}+ly)$/u;
/** Capitalised words that open sentences and clauses but name no one. */
const FUNCTION_WORDS = new Set(
  "The A An In On At By For From To As But And Or So If When While After Before Since During Despite Although Though However Meanwhile Still Yet Last This That These Those Then Now Today Yesterday Speaking Writing Asked According It He She They We I You His Her Their Our Its There Here Mr Mrs Ms Dr Sir Dame Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July August September October November December".split(
    " ",
  ),
);
const PRONOUNS = new Set(["he", "she", "they", "it"]);
/** Heads of roles a person holds; a role resolves to the person the article names holding it. */
const ROLE_HEADS =
  "president|vice president|prime minister|minister|chancellor|secretary|chief executive|executive|ceo|cfo|coo|chair|chairman|chairwoman|chairperson|judge|justice|governor|mayor|spokesperson|spokesman|spokeswoman|director|coach|manager|commissioner|senator|leader|founder|officer|head|chief|captain|ambassador|lawyer|attorney|prosecutor|sheriff|superintendent|principal|owner|analyst|economist|strategist|scientist|researcher|professor|author|astronaut|administrator|representative|official|officials|premier|king|queen|pope|curator|priest|bishop|archbishop|actor|actress|singer|player|artist|writer|novelist|poet|pastor|resident|teacher|doctor|nurse|detective|inspector|councillor|councilor|lawmaker|candidate|activist|campaigner|expert|historian|meteorologist|forecaster|engineer|pilot|editor|producer|filmmaker|organiser|organizer|trustee|adviser|advisor|partner|investor|sister|brother|wife|husband|son|daughter|mother|father|widow|widower|friend";
const ROLE_TAIL = new RegExp(`(?:^|\\s)((?:the|a|an|its|his|her|their|[A-Z][\\p{L}.&-]*(?:’s|'s))\\s+(?:[\\p{L}.&’'-]+\\s+){0,5}?(?:${ROLE_HEADS}))$`, "iu");
/** What a body publishes: its words are the body's. */
const DOCUMENTS = "statement|report|letter|release|order|filing|post|memo|ruling|decision|opinion|notice|announcement|website";
/** "the ministry", "the state court", "the company": a body named earlier, or left as the article words it. */
const GENERIC_TAIL = /(?:^|\s)(the\s+(?:[\p{L}.’'-]+\s+){0,3}[\p{Ll}-]+(?:\s+of\s+[^,;]{1,40})?)$/u;
const NAME_WORD = "(?:[A-Z\\u00C0-\\u024F][\\p{L}\\p{M}.’'-]*|[A-Z]\\.)";
const NAME_TAIL = new RegExp(
  `(${NAME_WORD}(?:\\s+(?:${NAME_WORD}|of|the|for|and|de|da|del|der|van|von|al|bin|la|le|du))*?(?:\\s+${NAME_WORD})?)(?:’s|'s)?$`,
  "u",
);
const NAME_RUNS = new RegExp(`${NAME_WORD}(?:\\s+(?:(?:of|the|for|de|da|del|der|van|von|al|bin|la|le|du)\\s+)?${NAME_WORD})*`, "gu");
const ORG_WORDS =
  /\b(?:Ministry|Department|Court|Council|Company|Corp|Corporation|Inc|Ltd|LLC|Bank|Agency|Service|Office|Committee|Commission|Board|Party|Union|Association|Institute|University|Army|Police|Government|Administration|Parliament|Congress|Senate|House|Federation|League|Club|Group|Authority|Organization|Organisation|Fund|Reserve|Foundation|Network|News|Times|Post|Journal|Press|Reuters|Bloomberg|Airlines|Motors|Systems|Technologies|Labs|Center|Centre|Hospital|School|Church|Assembly|Cabinet|Kremlin|Pentagon|Forces|Guard|Navy|Coalition|Alliance|Movement|Team|Federal|National|Nations|Union|Industries|Holdings|Partners|Capital|Media|Agency|Bureau|Directorate|Secretariat|Tribunal|Prosecutor|Statement|Report)\b/;

/** Any role's head word: a text without one names no role, and its costlier role patterns need not run. */
const ROLE_WORD = new RegExp(`\\b(?:${[...new Set(ROLE_HEADS.split("|").map((r) => r.split(" ").pop()!))].join("|")})\\b`, "i");
const mayNameRole = (text: string): boolean => ROLE_WORD.test(text);

/** Compiled once: these run for every sentence of every article at index time. */
const ROLE_AT_END = new RegExp(`(?:${ROLE_HEADS})$`, "i");
const DOCUMENT_TAIL = new RegExp(`(${NAME_WORD}(?:\\s+${NAME_WORD}){0,4})(?:’s|'s)?\\s+(?:${DOCUMENTS})$`, "u");
const PLURAL_TAIL = new RegExp(
  `(?:^|\\s)((?:[\\p{L}-]+\\s+){0,2}(?:${ROLE_HEADS}|critics|officials|residents|analysts|experts|organisers|organizers|protesters|witnesses|police|scientists|researchers|economists|investors|traders|lawmakers|leaders|campaigners|fans|parents|families|neighbours|neighbors|locals)s?)$`,
  "iu",
);
const INVERTED_NAME = new RegExp(`^\\s+(?:by\\s+)?(?:the\\s+(?:\\p{Ll}+\\s+){1,3})?(${NAME_WORD}(?:\\s+${NAME_WORD}){0,4})`, "u");
const INVERTED_ROLE = new RegExp(`^\\s+((?:the|a|an)\\s+(?:[\\p{L}.&’'-]+\\s+){0,4}?(?:${ROLE_HEADS})|(?:[\\p{L}-]+\\s+){0,2}(?:${ROLE_HEADS})s)\\b`, "iu");
const ROLE_MENTION = new RegExp(`(?:^|[\\s,])((?:the|[A-Z][\\p{L}.&-]*(?:’s|'s))\\s+(?:[\\p{L}.&’'-]+\\s+){0,3}?(?:${ROLE_HEADS}))\\b`, "iu");

/** A garbled token ("Ye?il I?d?r") is a decoding accident, never a name. */
export const garbled = (s: string): boolean => /\p{L}\?+\p{L}|\p{L}\?\s|\?\p{L}/u.test(s);

/** An organisation rather than a person: an organisation word, or an acronym ("FDIC"). */
export function isOrganisation(name: string): boolean {
  return ORG_WORDS.test(name) || /^(?:the\s+)?(?!(?:CEO|CFO|COO|CTO|MP|MEP|PM|DJ|MC)\b)[A-Z]{2,5}(?:\s|$)/.test(name) || /^the\s/i.test(name);
}

/** The canonical key of a role ("chief executive officer" and "CEO" are one role). */
export function roleKey(role: string): string | undefined {
  const m = ROLE_AT_END.exec(role.trim());
  if (!m) return undefined;
  const head = m[0].toLowerCase();
  if (/^(?:chief executive|executive|ceo)$/.test(head)) return "ceo";
  if (/^chair/.test(head)) return "chair";
  if (/^spokes/.test(head)) return "spokesperson";
  if (head === "justice") return "judge";
  return head;
}

/** Trim function words off a capitalised run: "The Senate" keeps "Senate"; "In Norland" keeps "Norland". */
function cleanName(run: string): string | undefined {
  const words = run.trim().split(/\s+/);
  while (words.length > 0 && FUNCTION_WORDS.has(words[0]!.replace(/[.’']+$/, ""))) words.shift();
  while (words.length > 0 && /^(?:of|the|for|and|de|da|del|der|van|von|al|bin|la|le|du)$/.test(words[words.length - 1]!)) words.pop();
  // A sentence's full stop is no initial: "said Green." names Green.
  let name = words.join(" ").replace(/(?:’s|'s|’)$/, "");
  if (name.endsWith(".") && !/(?:^|[\s.])\p{L}\.$/u.test(name)) name = name.slice(0, -1);
  if (!name || garbled(name) || !/\p{Lu}/u.test(name[0]!)) return undefined;
  return name;
}

/** What names the speaker at the end of `before` (the words ahead of a speech verb), if anything. */
function tailMention(before: string): Mention | undefined {
  // "A Transport Ministry note cited by a news agency said": the note spoke; the agency only passed it on.
  let seg = before.trimEnd().replace(/\s+(?:cited|quoted|reported|carried)\s+by\s+.{1,60}$/, "");
  for (let m = BETWEEN.exec(seg); m; m = BETWEEN.exec(seg)) seg = seg.slice(0, m.index);
  seg = seg.trim();
  if (!seg) return undefined;
  const last = seg.split(/\s+/).pop()!;
  if (PRONOUNS.has(last.toLowerCase())) {
    return { kind: "pronoun", text: last.toLowerCase() };
  }
  const role = ROLE_TAIL.exec(seg);
  if (role) return { kind: "role", text: role[1]! };
  // "a Transport Ministry statement", "the council's report": the words are the named body's.
  const document = DOCUMENT_TAIL.exec(seg);
  if (document) {
    const clean = cleanName(document[1]!);
    if (clean) return { kind: "name", text: clean };
  }
  // "critics were saying", "officials said", "coastal town mayors": unnamed, but someone.
  const plural = PLURAL_TAIL.exec(seg);
  // A capitalised plural is a name ("Port Officials") unless it opens the sentence ("Officials said").
  if (plural && !/^the\s/i.test(plural[1]!) && (/^\p{Ll}/u.test(plural[1]!.split(/\s+/).at(-1)!) || plural[1] === seg)) {
    // "during which critics": the clause's own words are not part of who spoke.
    const who = plural[1]!.replace(/^(?:(?:during|which|who|that|and|but|as|while|when|of|in|on|at|for|with|by|some|many|most|other|several)\s+)+/i, "");
    return { kind: "role", text: who };
  }
  const name = NAME_TAIL.exec(seg);
  if (name) {
    const clean = cleanName(name[1]!);
    if (clean) return { kind: "name", text: clean };
  }
  const generic = GENERIC_TAIL.exec(seg);
  if (generic && seg.split(/\s+/).length <= 5) return { kind: "role", text: generic[1]! };
  return undefined;
}

/** The speaker named after an inverted verb: `…,” said Omar Kaya, the mayor.` */
function inverted(after: string): Mention | undefined {
  const name = INVERTED_NAME.exec(after);
  if (name) {
    const clean = cleanName(name[1]!);
    if (clean) return { kind: "name", text: clean };
  }
  const role = INVERTED_ROLE.exec(after);
  return role ? { kind: "role", text: role[1]! } : undefined;
}

/**
 * Who a sentence's own words (quotations replaced by `QUOTED`) say is speaking: the subject of the
 * speech verb nearest a quotation ("…,” X said", "X said: “…", "X, the mayor, said"), the name after
 * an inverted verb ("said X"), "according to X", or for a participle ("…, adding, “…") the
 * sentence's first mention.
 */
export function speakerMention(outside: string, known: ReadonlySet<string> = new Set()): Mention | undefined {
  const quoteAt: number[] = [];
  for (let i = outside.indexOf(QUOTED); i >= 0; i = outside.indexOf(QUOTED, i + 1)) quoteAt.push(i);
  const candidates: Array<{ at: number; mention: Mention }> = [];
  for (const m of outside.matchAll(VERB)) {
    const verb = m[0].toLowerCase();
    const before = outside.slice(0, m.index);
    let mention: Mention | undefined;
    // "critics were saying" has its subject right there; a bare ", saying" shares the sentence's.
    if (PARTICIPLE.has(verb) && !/\b(?:is|are|was|were|been|be|keeps|kept)\s+$/.test(before)) mention = firstMention(before, known);
    else {
      // Asides in brackets never name the speaker: "(Gazette, 4 May 2021)".
      const segments = before.replace(/\([^()]*\)/g, " ").split(/[,;:(—–\u0001]/);
      // Walk back over appositives and asides: "Ines Marlow, a spokesperson for the port, said".
      for (let k = segments.length - 1, seen = 0; k >= 0 && seen < 5 && !mention; k--, seen++) {
        const last = k === segments.length - 1;
        const raw = segments[k]!.trim();
        // "…, which said", "Oskar Lind, who praised": the relative pronoun's antecedent ends the clause before.
        if (last && /^(?:who|which)$/.test(raw) && k > 0) {
          mention = tailMention(segments[k - 1]!);
          break;
        }
        const seg = (last ? raw.replace(/(?:^|\s)(?:who|which|that)$/, "") : raw).trim();
        if (!seg || DEGREE.test(seg)) continue;
        if (!last && /^(?:the|its|his|her|their|\p{Lu}[\p{L}.&-]*(?:’s|'s))\s/u.test(seg) && segments.slice(0, k).some((x) => x.trim())) {
          const earlier = tailMention(segments[k - 1] ?? "");
          mention = earlier?.kind === "name" ? earlier : tailMention(seg);
          break;
        }
        // Appositives and asides in lower case: "a spokesperson for X", "chief financial officer at Y", "for his part".
        if (!last && /^[\p{Ll}\d]/u.test(seg)) continue;
        mention = tailMention(seg);
        // Every sentence opens with a capital: "Having argued…" names no one unless the word is a known name.
        if (mention?.kind === "name" && k === 0 && mention.text === seg && !seg.includes(" ") && !known.has(seg) && !isOrganisation(seg)) mention = undefined;
        if (!mention && /\p{Ll}/u.test(seg)) break;
      }
      // Inverted after a quotation: "…,” said Omar Kaya", "“…” – so say the mayors".
      if (!mention && /[,\u0001]\s*(?:[-–—]\s*)?(?:so\s+)?$/.test(before)) mention = inverted(outside.slice(m.index + m[0].length));
      if (!mention && verb === "reads") mention = firstMention(before, known);
    }
    if (mention) candidates.push({ at: m.index, mention });
  }
  const according = /\baccording to\s+([^,;:\u0001]{2,80})/i.exec(outside);
  if (according) {
    const m = tailMention(according[1]!.replace(/\s+(?:on|in|at|who|which)\s.*$/, ""));
    if (m) candidates.push({ at: according.index, mention: m });
  }
  if (candidates.length === 0) return undefined;
  if (quoteAt.length === 0) return candidates[0]!.mention;
  const distance = (at: number) => Math.min(...quoteAt.map((q) => Math.abs(q - at)));
  return candidates.reduce((best, c) => (distance(c.at) < distance(best.at) ? c : best)).mention;
}

/** The first person, body or role a stretch of text names: usually the subject of its sentence. */
export function firstMention(full: string, known: ReadonlySet<string> = new Set()): Mention | undefined {
  const text = full.replace(DATELINE, "");
  const lead = /^\s*(?:[^,\u0001]{0,60},\s+)?(he|she|they|it)(?:\s|[’'](?:s|d|ll|re|ve)\b)/i.exec(text);
  const role = mayNameRole(text) ? ROLE_MENTION.exec(text) : null;
  const start = text.length - text.trimStart().length;
  for (const m of text.matchAll(NAME_RUNS)) {
    if (role && role.index < m.index) return { kind: "role", text: role[1]! };
    if (lead && lead.index + lead[0].length <= m.index) return { kind: "pronoun", text: lead[1]!.toLowerCase() };
    // "Vell’s Harbour Line crews": the owner is the one named.
    const run = m[0].split(/(?<=’s|'s)\s/)[0]!;
    const possessive = /(?:’s|'s)$/.test(run) || /^(?:’s|'s)/.test(text.slice(m.index + run.length));
    // "in Norland", "at Eastport Crown Court": a place, not a subject.
    if (
      !possessive &&
      /\b(?:in|at|on|by|from|to|across|near|into|outside|inside|of|with|since|until|after|before|during|for)\s+$/i.test(
        text.slice(Math.max(0, m.index - 12), m.index),
      )
    )
      continue;
    const name = cleanName(run);
    if (!name) continue;
    // Every sentence opens with a capital: one capitalised word there names someone only if known.
    if (m.index === start && !name.includes(" ") && !possessive && !known.has(name) && !isOrganisation(name)) continue;
    return { kind: "name", text: name };
  }
  if (role) return { kind: "role", text: role[1]! };
  return lead ? { kind: "pronoun", text: lead[1]!.toLowerCase() } : undefined;
}

/** "WASHINGTON (AP) —", "STOCKHOLM —": where the story was filed, not who is in it. */
const DATELINE = /^\s*[A-Z]{3,}[A-Z .'-]*(?:,\s*[A-Z][\p{L} .'-]{1,30})?\s*(?:\([^)]{1,30}\))?\s*[—–-]\s+/u;

/** The names of people a text mentions in full ("Piet Ahlgren"), so a later "Ahlgren" is known. */
export function fullNames(text: string): string[] {
  const out: string[] = [];
  for (const m of text.replace(DATELINE, "").matchAll(NAME_RUNS)) {
    // "Vell’s Harbour Line crews": a possessive ends one name; the next word starts another.
    const name = cleanName(m[0].split(/(?<=’s|'s)\s/)[0]!);
    if (name?.includes(" ") && !isOrganisation(name)) out.push(name);
  }
  return out;
}

/**
 * Who holds which role, as the article says it: "President Ana Ruiz", "Chief Executive Tomas
 * Vell", "Tomas Vell, Northsea's chief executive,". Keyed by `roleKey`; each entry's offset lets
 * a later "the president" resolve to the holder named nearest before it. Offsets are `base` + index.
 */
export function roleHolders(text: string, base: number, out: Map<string, Array<{ at: number; name: string }>>): void {
  const add = (role: string, name: string | undefined, at: number) => {
    const key = roleKey(role);
    if (!key || !name || isOrganisation(name)) return;
    const list = out.get(key) ?? [];
    list.push({ at: base + at, name });
    out.set(key, list);
  };
  if (!mayNameRole(text)) return;
  for (const m of text.matchAll(TITLED)) add(m[1]!, cleanName(m[2]!), m.index);
  for (const m of text.matchAll(LOWER_TITLED)) add(m[1]!, cleanName(m[2]!), m.index);
  for (const m of text.matchAll(ROLE_THEN_NAME)) add(m[1]!.replace(/\s+(?:of|at|for|in)\s.*$/, ""), cleanName(m[2]!), m.index);
  // "the mayor of Vigo" is a mayor: the role is the phrase's head before any "of …".
  for (const m of text.matchAll(APPOSITIVE_ROLE)) add(m[2]!.replace(/\s+(?:of|at|for|in)\s.*$/, ""), cleanName(m[1]!), m.index);
}

/** A role written as a title, capitalised, before the name: "President Ana Ruiz", "CEO Tomas Vell". */
const TITLE_HEADS = `${ROLE_HEADS.replace(/\b\p{Ll}/gu, (c) => c.toUpperCase())}|CEO|CFO|COO`;
const TITLED = new RegExp(`\\b(${TITLE_HEADS})\\s+(${NAME_WORD}(?:\\s+${NAME_WORD}){0,3})`, "gu");
/** "director Ana Ruiz", "coach Piet Ahlgren": a lower-case role right before a full name. */
const LOWER_TITLED = new RegExp(`\\b(${ROLE_HEADS})\\s+(${NAME_WORD}(?:\\s+${NAME_WORD}){1,3})`, "gu");
/** "the port's harbour master, Oskar Lind," / "the singer's sister, Marit,": a role, then its holder. */
const ROLE_THEN_NAME = new RegExp(
  `(?:the|[A-Z][\\p{L}.&-]*(?:’s|'s))\\s+((?:[\\p{L}.&’'-]+\\s+){0,4}?(?:${ROLE_HEADS})),\\s+(${NAME_WORD}(?:\\s+${NAME_WORD}){0,3})(?=[,.;]|\\s+(?:said|says|told|added|who))`,
  "gu",
);
/** "Tomas Vell, Northsea's chief executive," / "Ana Ruiz, the mayor of Vigo,": the role phrase runs to the next comma. */
const APPOSITIVE_ROLE = new RegExp(
  `(${NAME_WORD}(?:\\s+${NAME_WORD}){1,3}),\\s+((?:the|a|an|its|his|her|their|[A-Z][\\p{L}.&-]*(?:’s|'s))\\s+[^,.;:“”"\\u0001]{1,60}?)\\s*(?=[,.;:]|$)`,
  "gu",
);
