/**
 * What kind of fact a question asks for, found anywhere in the question ("On what date…", "…, how
 * soon could…", "what caused…", "how long is the tunnel in miles"), and where a sentence states one.
 */

export type AnswerKind =
  | "date"
  | "duration"
  | "distance"
  | "money"
  | "percentage"
  | "count"
  | "quantity"
  | "person"
  | "organisation"
  | "place"
  | "cause"
  | "condition"
  /** "Which journal…", "what is the name of…": a named thing, whatever its kind. */
  | "name"
  | "other";

export interface AnswerType {
  kind: AnswerKind;
  /** The unit the question names ("miles", "euros", "years"), lowercased, when it names one. */
  unit?: string | undefined;
}

const LENGTH_UNITS =
  "kilometres|kilometers|kilometre|kilometer|km|miles|mile|metres|meters|metre|meter|feet|foot|ft|yards|yard|inches|inch|centimetres|centimeters|cm|millimetres|mm|nautical miles";
const TIME_UNITS = "seconds|second|minutes|minute|hours|hour|days|day|weeks|week|months|month|years|year|decades|decade|centuries|century";
const CURRENCY =
  "cents?|guilders?|dollars?|euros?|pounds?|sterling|yen|yuan|renminbi|rubles?|roubles?|lira|liras|drams?|francs?|rupees?|reais|real|pesos?|won|krona|kronor|krone|manats?|lari|shekels?|dirhams?|riyals?|rand|tenge|forints?|zloty|naira|shillings?|rupiah|ringgit|baht|dong|kroner|lei|leva|hryvnias?|cedis?|usd|eur|gbp";
const ORG_NOUNS =
  "fund|funds|consortium|consortia|developer|developers|investor|investors|shareholder|owner|buyer|sponsor|lender|insurer|utility|company|companies|firm|firms|organi[sz]ation|organi[sz]ations|agency|agencies|body|bodies|court|courts|team|teams|club|clubs|group|groups|bank|banks|ministry|ministries|authority|authorities|institution|institutions|operator|operators|carrier|airline|airlines|university|universities|party|parties|union|unions|council|regulator|manufacturer|maker|supplier|contractor|developer|publisher|outlet|newspaper|broadcaster|startup|lab|laboratory|institute|department|committee|commission|board";
const PLACE_NOUNS =
  "city|cities|town|towns|village|country|countries|region|province|state|district|venue|stadium|location|site|port|airport|station|border crossing|crossing|capital|island|area|neighbourhood|neighborhood|street|building|hospital|plant|factory|mine|field|river|lake|mountain|valley|coast";
const PERSON_NOUNS =
  "person|people|man|woman|official|officials|minister|president|leader|mayor|governor|judge|player|coach|manager|chief|executive|ceo|spokesperson|spokesman|spokeswoman|scientist|researcher|author|director|chair|chairman|chairwoman|founder|captain|striker|goalkeeper|prosecutor|lawyer|ambassador|envoy|secretary|head";

/** Currencies that follow a word of where they are from ("400 million Danish kroner", "18.5 million Chilean pesos"). */
const NAMED_CURRENCY =
  "cents?|guilders?|dollars?|euros?|pounds?|francs?|kroner|krone|kronor|krona|pesos?|rupees?|yuan|yen|shillings?|dinars?|riyals?|dirhams?|rubles?|roubles?";
/** What follows "how much" when it asks for a sum ("how much did…", "how much revenue will…"); "how much solar capacity…" asks for an amount of something else. */
const ASKING_VERB = "did|does|do|has|have|had|is|are|was|were|will|would|could|can|should|might|must|it|they|he|she|we|you";

/** Words between "what" and a noun that make it no noun phrase ("what did the utility…" asks no organisation). */
const AUXILIARY = "(?:did|does|do|is|are|was|were|will|would|could|can|should|has|have|had|the|a|an)";

interface Rule {
  kind: AnswerKind;
  re: RegExp;
}

/** Checked in order: the first that matches anywhere in the question wins. */
const RULES: Rule[] = [
  {
    kind: "percentage",
    re: /\b(?:what|which)\s+(?:percentage|percent|per cent|proportion|share)\b|\bhow many percent|\bby how much\b.*\b(?:percent|%)|\bwhat fraction\b/,
  },
  {
    kind: "distance",
    re: new RegExp(
      `\\bhow (?:far|long|wide|deep|tall|high)\\b[^?]*\\b(?:in|of)\\s+(?:${LENGTH_UNITS})\\b|\\bhow (?:far|wide|deep|tall)\\b|\\bhow many (?:${LENGTH_UNITS})\\b|\\bwhat (?:distance|length|width|depth|height)\\b|\\bhow long\\b(?![^?]*\\b(?:take|takes|took|taken|last|lasts|lasted|been|since|until|remain|remained|stay|stayed|hold|held|wait|delay|delayed|closed|open|run|ran|continue|go on|expected|due|plan|planned)\\b)[^?]*\\b(?:line|track|tunnel|bridge|road|route|pipeline|runway|wall|cable|canal|trail|stretch|corridor|coastline|span|spillway|dam|queue)\\b`,
    ),
  },
  {
    kind: "money",
    re: new RegExp(
      `\\bhow much (?:(?:money|cash|revenue|profit|income|funding|capital|debt|tax)\\s+)?(?:${ASKING_VERB})\\b[^?]*\\b(?:revenue|profit|income|sales|turnover|loss|losses|lose|lost|cost|costs|costing|spend|spent|spending|worth|price|pay|paid|paying|budget|invest|invested|fund|funded|funding|raise|raised|earn|earned|charge|charged|owe|owed|money|fine|fined|sell|sold|bid|offer|offered|loan|lend|lent|borrow|borrowed|value|valued|compensation|fee|fees|salary|wage)\\b|\\bhow many (?:${CURRENCY})\\b|\\b(?:what|which) (?:is |was |will be |would be |were |are )?(?:the |a |an )?(?:[\\w-]+ ){0,2}(?:cost|price|budget|value|fine|fee|fees|salary|wage|valuation|bill|compensation|tariff|penalty|sum|amount of money|investment|revenue|profit|turnover|tariff|subsidy|grant|prize money|purse)\\b|\\bwhat (?:did|does|do|will|would) [^?]*\\b(?:cost|spend|spent|pay|paid|charge|charged|earn|earned)\\b|\\bfor how much\\b|\\bvalued at\\b|\\bat what (?:price|cost)\\b`,
    ),
  },
  {
    kind: "duration",
    re: new RegExp(
      `\\bhow long\\b|\\bhow quickly\\b|\\bhow fast\\b(?=[^?]*\\b(?:will|would|could|can|must|has to|have to)\\b)|\\bfor how (?:long|many (?:${TIME_UNITS}))\\b|\\bhow many (?:${TIME_UNITS})\\b|\\bwhat (?:period|duration)\\b|\\bhow much time\\b`,
    ),
  },
  {
    kind: "date",
    re: /^(?:(?!\b(?:what|which|who|whom|whose|how|where|why)\b)[^?])*?\bwhen\b|\bhow soon\b|\b(?:on|by|until|till|from|since|in|at) (?:what|which) (?:(?:exact|precise|specific|particular) )?(?:date|day|year|month|time|point|week|season|hour)s?\b|\bwhat (?:(?:exact|precise|specific|particular) )?(?:date|day|year|month|time|week|season|hour)s?\b|\bwhich (?:date|day|year|month|week|season)s?\b|\bwhat time\b|\bby when\b|\bsince when\b/,
  },
  { kind: "count", re: /\bhow many\b|\bwhat (?:number|total)\b|\bthe number of\b|\bhow often\b/ },
  {
    kind: "quantity",
    re: /\bhow (?:much|big|large|high|heavy|fast|strong|severe|old|deep|tall|wide)\b|\bwhat (?:[\w-]+ )?(?:pay rise|pay increase|wage increase|raise|rise|increase|decrease|cut|reduction|growth|drop|fall)\b|\bwhat (?:[\w-]+ )?figures?\b|\bwhat rate\b|\bwhat (?:[\w-]+ )?(?:amount|size|speed|capacity|volume|weight|magnitude|score|temperature)\b|\bby how much\b/,
  },
  {
    kind: "cause",
    re: /\bwhy\b|\bwhat (?:caused|causes|led to|leads to|prompted|prompts|drove|drives|triggered|triggers|sparked|made|is behind|was behind|were behind|explains|is the reason|was the reason|were the reasons|are the reasons)\b|\bfor what reason\b|\bwhat (?:is|was|were) (?:the )?(?:reason|cause|motive)s?\b|\bthe (?:reason|cause) (?:for|of|behind)\b|\bhow come\b|\bon what grounds\b|\bdue to what\b/,
  },
  {
    kind: "condition",
    re: /\b(?:under|on|with) what (?:conditions?|terms?|circumstances)\b|\bwhat (?:conditions?|preconditions?|terms|requirements?|criteria)\b|\bwhat (?:must|would have to|has to|have to|needs? to) (?:happen|be done|be met)\b|\bwhat would it take\b|\bprovided (?:that )?what\b|\bif what\b/,
  },
  {
    kind: "person",
    re: new RegExp(
      `\\b(?:which|what) (?:(?!${AUXILIARY}\\b)[\\w-]+ )?(?:${PERSON_NOUNS})\\b|\\bname of the (?:[\\w-]+ ){0,2}(?:${PERSON_NOUNS})\\b|\\b(?:who|whom|whose)\\b(?! (?:owns|runs|operates|built|makes|manufactures|funds|backs|sponsors)\\b)`,
    ),
  },
  {
    kind: "organisation",
    re: new RegExp(
      `\\b(?:which|what) (?:(?!${AUXILIARY}\\b)[\\w-]+ ){0,2}(?:${ORG_NOUNS})\\b|\\bname of the (?:[\\w-]+ ){0,2}(?:${ORG_NOUNS})\\b|\\bwho (?:owns|runs|operates|built|makes|manufactures|funds|backs|sponsors)\\b`,
    ),
  },
  // "Where did the central bank leave rates?", "where is the index now?" ask for a level, not a place.
  {
    kind: "quantity",
    re: /\bwhere (?:did|does|do|will|would|has|have|had|is|are|was|were)\b[^?]*\b(?:leave|left|keep|kept|hold|held|set|put|fix|fixed|peg|pegged|close|closed|end|ended|finish|finished|settle|settled|stand|stands|stood|trade|traded|trading|sit|sits|sat)\b[^?]*\b(?:rates?|prices?|levels?|targets?|forecasts?|guidance|index|indices|shares?|stocks?|yields?|inflation|unemployment|score|tally|count|total|ratings?|odds|polls?|balance|valuation|value|currency|dollar|euro|pound|yen)\b|\bwhere (?:did|does|do|will|has|have|is|are|was|were) (?:the )?(?:rates?|prices?|index|indices|shares?|stocks?|yields?|inflation|unemployment|score|tally|polls?)\b[^?]*\b(?:end|ended|close|closed|finish|finished|settle|settled|stand|stood|sit|sat|now)\b/,
  },
  { kind: "place", re: new RegExp(`\\bwhere\\b|\\b(?:which|what) (?:${PLACE_NOUNS})\\b|\\bin what (?:${PLACE_NOUNS})\\b|\\bfrom what (?:${PLACE_NOUNS})\\b`) },
  {
    kind: "name",
    re: /\bname(?:s)? of\b|\bwhat (?:is|are|was|were) (?:the|their|its|his|her) names?\b|\bwhich\s+(?!(?:is|are|was|were|did|does|do|has|have|had|will|would|could|can|of|one|ones)\b)[a-z]|\bwhat\s+(?!(?:is|are|was|were|did|does|do|has|have|had|will|would|could|can|should|about|if|happens|happened|kind|sort|type|else|exactly)\b)[a-z-]+\s+(?:[a-z-]+\s+)?(?:is|are|was|were|did|does|do|has|have|had|will|would|could|can)\b/,
  },
];

/** A question about what someone said on a subject. */
const SAID_ABOUT = /^\W*what (?:did|does|do|has|have|had|will|would) [^?]*?\b(?:say|said|tell|told|write|wrote|report|reported) about\b/;
/** "Where does the party stand on tariffs?" asks for a position, not a place. */
const STANCE = /\bwhere (?:does|do|did|is|are|was|were) [^?]*?\bstands? on\b|\bwhere (?:does|do|did) [^?]*?\b(?:stand|sit|fall|come down) on\b/;

/** The answer type of a question (lowercase or not), and the unit it names. */
export function answerTypeOf(question: string): AnswerType {
  // A dash between two names ("Armenia–Russia trade") joins them into one word, as a hyphen does.
  const q = question
    .toLowerCase()
    .replace(/[’]/g, "'")
    .replace(/(?<=\p{L})[‐‑‒–—―](?=\p{L})/gu, "-");
  // "What did the union leader say about how long the strike would last?" asks what was said.
  if (SAID_ABOUT.test(q) || STANCE.test(q)) return { kind: "other" };
  for (const { kind, re } of RULES) {
    if (!re.test(q)) continue;
    return { kind, unit: unitOf(kind, q) };
  }
  return { kind: "other" };
}

function unitOf(kind: AnswerKind, q: string): string | undefined {
  if (kind === "date") return DATE_GRAIN.find(([, re]) => re.test(q))?.[0];
  const units = kind === "distance" ? LENGTH_UNITS : kind === "duration" ? TIME_UNITS : kind === "money" ? CURRENCY : undefined;
  if (!units) return undefined;
  return new RegExp(`\\b(?:in|of|many)\\s+(${units})\\b`).exec(q)?.[1];
}

/** The coarse kind of fact a question's wh-word asks for: what the evidence score's cue looks for in a sentence (a time expression for "when"). */
export type CueKind = "time" | "money" | "number" | "reason" | "person" | "place" | "other";

/** The cue kind of a question (see {@link CueKind}), from its opening wh-word or a "how much … cost" phrase. */
export function cueKindOf(question: string): CueKind {
  const q = question.toLowerCase();
  return /^\s*(?:when|by when|how long|since when|what (?:date|year|month|day|time))\b/.test(q)
    ? "time"
    : /\bhow much\b.*\b(?:cost|costs|spend|spent|worth|price|pay|paid|budget|invest|invested|fund|funded|raise|raised)\b|\bwhat (?:is|was|will be) the (?:cost|price|budget|value)\b/.test(
          q,
        )
      ? "money"
      : /\b(?:how (?:much|many|big|large|high|far)|what (?:amount|number|share|percentage))\b/.test(q)
        ? "number"
        : /^\s*(?:why|what (?:made|caused|led|prompted|drove))\b/.test(q)
          ? "reason"
          : /^\s*(?:who|whom|whose)\b/.test(q)
            ? "person"
            : /^\s*where\b/.test(q)
              ? "place"
              : "other";
}

const MONTH = "january|february|march|april|may|june|july|august|september|october|november|december";
const MONTH_ABBR = "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec";
const WEEKDAY = "monday|tuesday|wednesday|thursday|friday|saturday|sunday";
/** A month or weekday name, lower case: a date, not a name. */
export const CALENDAR_WORD = new RegExp(`^(?:${MONTH}|${WEEKDAY})$`);
const NUMBER_WORD =
  "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|sixty|hundred|a hundred|several|a few|a dozen|dozens of|hundreds of|thousands of";
const NUM = `(?:\\d[\\d,.]*|${NUMBER_WORD}|a|an)`;

/**
 * Where a text states a fact of the kind: the match's offsets, or undefined. Abbreviated months end
 * with a full stop that no word boundary follows ("Nov. 28"), so they are matched without `\b`.
 */
const EVIDENCE: Record<Exclude<AnswerKind, "other">, RegExp> = {
  date: new RegExp(
    `\\b(?:(?:${MONTH})(?:\\s+\\d{1,2}(?:st|nd|rd|th)?)?(?:,?\\s+\\d{4})?|(?:${MONTH_ABBR})\\.\\s*\\d{0,2}|\\d{1,2}(?:st|nd|rd|th)?\\s+(?:${MONTH})|(?:${WEEKDAY})s?|(?:1[89]|20)\\d{2}s?|\\d{4}-\\d{2}-\\d{2}|\\d{1,2}/\\d{1,2}(?:/\\d{2,4})?|today|tonight|yesterday|tomorrow|(?:this|next|last|coming|previous) (?:week|month|year|spring|summer|autumn|fall|winter|weekend|season|decade)|(?:earlier|later) (?:this|that|next|last) (?:week|month|year)|(?:within|in) (?:the )?(?:next|coming|past|last) (?:${NUM} )?(?:${TIME_UNITS})|by (?:the )?(?:end|middle|start|beginning) of|(?:from|at|since|until|by|before|after) the (?:beginning|start|end|middle) of|soon|shortly|immediately|in the (?:spring|summer|autumn|fall|winter)|(?:this|that) (?:morning|afternoon|evening)|(?:on|at) the weekend|\\d{1,2}(?::\\d{2})?\\s*(?:a\\.m\\.|p\\.m\\.|am|pm)|noon|midnight|(?:first|second|third|fourth) quarter|q[1-4])(?![a-z])`,
    "i",
  ),
  duration: new RegExp(
    `\\b(?:${NUM}[\\s-]+(?:${TIME_UNITS})|(?:for|over|after|within) (?:several |many |the past |the last |nearly |almost |about |more than )?(?:${TIME_UNITS})|since (?:(?:1[89]|20)\\d{2}|${MONTH})|(?:${TIME_UNITS})-long|long-(?:closed|running|standing|awaited)|for (?:decades|years|months|weeks|days|generations|a long time))\\b`,
    "i",
  ),
  distance: new RegExp(`\\b${NUM}[\\s-]*(?:${LENGTH_UNITS})\\b|\\d[\\d,.]*\\s?(?:km|m|mi)\\b`, "i"),
  money: new RegExp(
    `[$€£¥₺₽]\\s?\\d[\\d,.]*(?:\\s?(?:million|billion|trillion|bn|m|k))?|\\b\\d[\\d,.]*\\s?(?:million|billion|trillion|bn|m)?\\s?(?:${CURRENCY})\\b|\\b\\d[\\d,.]*\\s?(?:million|billion|trillion|bn|m)?\\s[a-z]+\\s(?:${NAMED_CURRENCY})\\b|\\b(?:${NUMBER_WORD}) (?:million|billion|thousand) (?:${CURRENCY})\\b|\\b(?:usd|eur|gbp|try|rub|amd)\\s?\\d[\\d,.]*|(?<=\\b(?:cost|costs|costing|worth|price|priced|budget|paid|pay|pays|spend|spent|invest|invested|investment|raised|raise|funding|valued|fine|fined|revenue|sales|loan|bill|compensation|fee)\\b[^.;]{0,30}?)\\b\\d[\\d,.]*\\s?(?:million|billion|trillion|bn)\\b`,
    "i",
  ),
  percentage: /\d[\d,.]*\s?(?:%|percent\b|per cent\b|percentage points?\b)|\b(?:half|a third|a quarter|two-thirds|three-quarters)\b/i,
  count: new RegExp(`\\b(?:\\d[\\d,.]*|${NUMBER_WORD}|twice|thrice|once|dozens|hundreds|thousands|millions)\\b`, "i"),
  quantity: new RegExp(`\\b\\d[\\d,.]*|\\b(?:${NUMBER_WORD}|twice|half|double|triple|dozens|hundreds|thousands|millions)\\b`, "i"),
  person:
    /\b(?:special\s+)?(?:envoys?|negotiators|delegations?|representatives|diplomats|mediators)\b|\b\p{Lu}[\p{L}-]+\s+(?:firms|companies|officials|authorities|engineers|contractors|workers|residents|researchers|scientists|experts|analysts|investors|banks|lawmakers|judges|police)\b|\b(?:(?:President|Prime Minister|Minister|Governor|Mayor|Judge|Justice|Dr|Prof|Professor|Coach|Captain|CEO|Chief|Director|Ambassador|Secretary|Senator|Chancellor|King|Queen|Mr|Mrs|Ms)\.?\s+)?\p{Lu}[\p{Ll}'’-]+(?:\s+(?:\p{Lu}\.\s+)?(?:de |van |von |al-|bin )?\p{Lu}[\p{Ll}'’-]+){1,3}/u,
  organisation:
    /\b(?:\p{Lu}[\p{L}&'’.-]*\s+){0,4}(?:Ministry|Company|Corp(?:oration)?|Inc|Ltd|LLC|Group|Agency|Authority|Court|Bank|Council|Commission|University|Union|Association|Federation|Club|FC|Railways?|Airlines?|Airways|Institute|Party|Office|Department|Service|Board|Fund|Organi[sz]ation|Foundation|Holdings|Motors|Energy|Systems|Technologies|Labs?|Tribunal|Parliament|Assembly|Committee|Police|Army|Navy)\b|\b[A-Z]{2,6}\b|\b\p{Lu}[\p{Ll}]+(?:\s+\p{Lu}[\p{Ll}]+){1,3}/u,
  place:
    /\b(?:in|at|near|from|to|outside|across|inside|via|into)\s+(?:the\s+)?\p{Lu}[\p{L}'’-]+|\b\p{Lu}[\p{L}'’-]+(?:\s+\p{Lu}[\p{L}'’-]+)*\s+(?:border crossing|crossing|city|province|region|district|port|airport|station|stadium|arena|bridge|square|street|county)\b/u,
  cause:
    /\b(?:because|due to|owing to|as a result of|as a result|following|after|amid|in response to|in protest|thanks to|led to|leading to|caused by|causing|prompted by|prompted|triggered by|triggered|blamed on|blaming|citing|over concerns?|on the grounds|in order to|so that|to allow|to help|to avoid|to prevent|since|given|resulting from|result of|the reason|reasons? (?:for|why))\b/i,
  name: /(?<![\p{L}\p{N}])\p{Lu}[\p{L}\p{N}'’&.-]*(?:\s+(?:(?:of|de|du|la|van|von|al|and|for|the)\s+)?\p{Lu}[\p{L}\p{N}'’&.-]*)*|[“"][^”"]{3,60}[”"]/u,
  condition:
    /\b(?:if|unless|provided (?:that)?|providing|on condition|conditions?|preconditions?|as long as|only when|only if|once|subject to|requires?|required|must|depends? on|dependent on|in exchange for|on the basis|without preconditions|in return for|until)\b/i,
};

/**
 * What may answer each kind: questions are looser than their wh-word ("how long" asks for a time or
 * a length, "what length of contract" for a time, "who" may be answered by a company, "how much…
 * spent" by "38 billion tenge").
 */
const ACCEPTS: Record<Exclude<AnswerKind, "other">, Array<Exclude<AnswerKind, "other">>> = {
  date: ["date"],
  duration: ["duration", "date", "distance"],
  distance: ["distance", "duration"],
  money: ["money"],
  percentage: ["percentage"],
  count: ["count"],
  // "How much warning was there" is answered by "less than an hour", "how much spectrum" by "a quarter of it".
  quantity: ["quantity", "duration", "percentage"],
  person: ["person", "organisation"],
  organisation: ["organisation", "person"],
  place: ["place"],
  cause: ["cause"],
  condition: ["condition"],
  name: ["name"],
};

const GLOBAL = new Map<string, RegExp>();

/** Where `text` states a fact of the asked kind; undefined when it does not (or the kind is "other"). */
export function findAnswerType(type: AnswerType, text: string, questionWords: Set<string>): { start: number; end: number } | undefined {
  for (const at of answerTypeSpans(type, text, questionWords)) return at;
  return undefined;
}

/** Every place where `text` states a fact of the asked kind, in the order {@link findAnswerType} tries them. */
export function* answerTypeSpans(type: AnswerType, text: string, questionWords: Set<string>): Generator<{ start: number; end: number }> {
  if (type.kind === "other") return;
  for (const kind of ACCEPTS[type.kind]) {
    let re = GLOBAL.get(kind);
    if (!re) {
      re = new RegExp(EVIDENCE[kind].source, EVIDENCE[kind].flags.replace("g", "") + "g");
      GLOBAL.set(kind, re);
    }
    for (const m of text.matchAll(re)) {
      // A name the question itself says is not the answer to "who" (it is who the question is about).
      if ((kind === "person" || kind === "organisation" || kind === "place" || kind === "name") && echoes(m[0], questionWords)) continue;
      // A capitalised word that opens the sentence is not yet a name ("Officials said…").
      if (kind === "name" && m.index === 0 && !/\s/.test(m[0])) continue;
      // A figure the question itself gives is not the answer ("How much did trade exceed in 2024?").
      if (FIGURE_KINDS.has(kind) && echoesFigure(m[0], questionWords)) continue;
      // A year is no count ("in 2024" does not say how many).
      if (kind === "count" && YEAR.test(m[0])) continue;
      // "…, the ministry said on Monday": the day of the statement, not of the event asked about.
      // Only for what is ahead: asked when something happened, the day it was reported is a fair answer.
      if (
        kind === "date" &&
        FUTURE_ASKED.test([...questionWords].join(" ")) &&
        !SPEECH_ASKED.test([...questionWords].join(" ")) &&
        SPEECH_BEFORE.test(text.slice(Math.max(0, m.index - 40), m.index))
      )
        continue;
      // "When will…" is not answered by "last year".
      if (kind === "date" && FUTURE_ASKED.test([...questionWords].join(" ")) && PAST_DATE.test(m[0])) continue;
      // "On what date" is not answered by "earlier this month".
      if (
        kind === "date" &&
        type.kind === "date" &&
        type.unit &&
        !GRAIN_EVIDENCE[type.unit]!.test(text.slice(Math.max(0, m.index - 12), m.index + m[0].length + 12))
      )
        continue;
      yield { start: m.index, end: m.index + m[0].length };
    }
  }
}

/** Whether the unit the question names (miles, euros) is the one the text uses. */
export function unitMatches(type: AnswerType, text: string): boolean {
  if (!type.unit || type.kind === "date") return true;
  const stem = type.unit.replace(/(?:es|s)$/, "").slice(0, 5);
  return text.toLowerCase().includes(stem);
}

/** How precise a date the question asks for: "on what date" wants a day, "in what year" a year. */
const DATE_GRAIN: Array<[string, RegExp]> = [
  ["day", /\b(?:what|which) (?:(?:exact|precise|specific|particular) )?(?:date|day)s?\b/],
  ["month", /\b(?:what|which) (?:(?:exact|precise|specific|particular) )?months?\b/],
  ["year", /\b(?:what|which) (?:(?:exact|precise|specific|particular) )?years?\b/],
];

/** What a date must show to answer at each grain. */
const GRAIN_EVIDENCE: Record<string, RegExp> = {
  day: new RegExp(
    `(?:${MONTH}|(?:${MONTH_ABBR})\\.?)\\s+\\d{1,2}\\b|\\b\\d{1,2}(?:st|nd|rd|th)?\\s+(?:${MONTH})|\\b(?:${WEEKDAY})s?\\b|\\d{4}-\\d{2}-\\d{2}|\\d{1,2}/\\d{1,2}|\\b(?:today|yesterday|tomorrow|tonight)\\b`,
    "i",
  ),
  month: new RegExp(`\\b(?:${MONTH})\\b|\\b(?:${MONTH_ABBR})\\.|\\b(?:this|last|next) month\\b`, "i"),
  year: /\b(?:1[89]|20)\d{2}\b|\b(?:this|last|next) year\b/i,
};

const YEAR = /^(?:1[89]|20)\d{2}$/;

/** Kinds whose answer is a figure or a date, which a sentence either states or does not. */
export const FIGURE_KINDS: ReadonlySet<AnswerKind> = new Set<AnswerKind>(["money", "percentage", "count", "quantity", "distance", "duration", "date"]);

/** Every figure of a match is in the question (and it has one): it repeats what was asked. */
function echoesFigure(match: string, questionWords: Set<string>): boolean {
  const figures = match.match(/\d[\d.,]*\d|\d/g) ?? [];
  return figures.length > 0 && figures.every((f) => questionWords.has(f));
}

/** A speech or report verb right before a date: "said on Monday", "told reporters on Nov. 3", "reported earlier this month". */
const SPEECH_BEFORE =
  /\b(?:said|says|told(?: [\p{L}\p{N}.'’-]+){0,3}|reported|reports|announced|stated|confirmed|added|wrote|warned|noted|insisted|explained|argued)\s+(?:on\s+|late\s+|early\s+|in\s+a\s+statement\s+(?:on\s+)?)?$/iu;
/** A date that lies behind: no answer to when something will happen. */
const PAST_DATE = /\b(?:last|previous|past)\b|\byesterday\b|\bearlier (?:this|that)\b/i;
/** A question about what is ahead. */
const FUTURE_ASKED = /\b(?:will|could|would|might|shall|soon|expected)\b/;
/** …unless the question asks when something was said. */
const SPEECH_ASKED =
  /\b(?:say|said|says|announce|announced|report|reported|tell|told|confirm|confirmed|state|stated|statement|publish|published|write|wrote)\b/;

/** Every capitalised word of a match is in the question: the span repeats the question's own entity. */
function echoes(match: string, questionWords: Set<string>): boolean {
  const caps = match.match(/\p{Lu}[\p{L}'’-]*/gu) ?? [];
  const names = caps.filter((w) => !/^(?:In|At|Near|From|To|The|Outside|Across|Inside|Via|Into)$/.test(w));
  return names.length > 0 && names.every((w) => questionWords.has(w.toLowerCase().replace(/['’]s$/, "")));
}

/** Words that name each kind of fact in a sentence that says it was not given ("did not say how much"). */
const KIND_CUES: Record<Exclude<AnswerKind, "other">, string> = {
  money: "how much|cost|costs|price|prices|value|amount|sum|figures?|financial terms|terms|estimates?|fees?|salary|valuation",
  quantity: "how much|how many|by how much|figures?|amount|number|size|estimates?",
  count: "how many|number|figures?|estimates?|total",
  percentage: "how much|share|percentage|proportion|figures?|stake",
  date: "when|dates?|timetable|timeline|timing|schedule|deadline",
  duration: "how long|when|timetable|timeline|duration",
  distance: "how long|how far|length|distance",
  person: "who|whom|which|names?|identify|identit(?:y|ies)",
  organisation: "who|which|names?|identify|identit(?:y|ies)",
  name: "who|which|names?|identify|identit(?:y|ies)",
  place: "where|which|location",
  cause: "why|reasons?|cause",
  condition: "conditions|terms",
};
const NEGATED =
  "did not|didn't|does not|doesn't|would not|wouldn't|could not|couldn't|will not|won't|declined to|refused to|has not|hasn't|have not|haven't|had not|hadn't|has yet to|have yet to|not yet|were not able to|was not able to";
const TOLD =
  "say|said|give|gave|given|disclose|disclosed|reveal|revealed|specify|specified|confirm|confirmed|announce|announced|set|identify|identified|provide|provided|comment on|explain|explained|state|stated|put a figure on|release|released|decide|decided|agree on|agreed on|make public";
const NAMED = "name|named|identify|identified";
const DISCLAIMERS = new Map<AnswerKind, RegExp>();
/** What a sentence that says some fact, of whatever kind, was not given says was not done. */
const WITHHELD =
  "say|said|give|gave|given|disclose|disclosed|name|named|reveal|revealed|specify|specified|comment|provide|provided|set|announce|announced|confirm|confirmed|publish|published|decide|decided|completed|been (?:set|announced|disclosed|decided|completed|made|published)";
/** Facts of any kind a sentence may say there are none of ("no date", "no breakdown"). */
const ANY_CUES = "figure|date|details?|estimate|timetable|timeline|cost estimate|breakdown|decision";
/** A sentence that says something was not said, given or decided. */
const ANY_DISCLAIMER = new RegExp(
  `\\b(?:${NEGATED})\\s+(?:\\w+\\s+){0,2}?(?:${WITHHELD})\\b|\\bno (?:${ANY_CUES})s?\\b|\\bgave no\\b|\\bwithout (?:giving|saying|naming|disclosing)\\b|\\bnot (?:been )?(?:disclosed|made public|announced)\\b`,
  "i",
);

/**
 * The one "fact not given" detector. Asked for a kind: whether a sentence says the asked kind of fact
 * was not given ("did not say how much the replacement cost", "no dates have been announced", "although
 * she did not name them") and states none elsewhere. Such a sentence talks about the fact and says it is
 * missing; it does not answer. One that goes on to give it after all ("did not give a cost estimate,
 * though analysts put it at $900 million") still may. Asked for `"any"` kind: whether it says that
 * something, whatever it is, was not said, given or decided (the answerability model's feature).
 */
export function disclaimsKind(type: AnswerType | "any", text: string, questionWords: Set<string> = new Set()): boolean {
  if (type === "any") return ANY_DISCLAIMER.test(text.replace(/[’]/g, "'"));
  if (type.kind === "other") return false;
  let re = DISCLAIMERS.get(type.kind);
  if (!re) {
    const cue = KIND_CUES[type.kind];
    const named =
      type.kind === "person" || type.kind === "organisation" || type.kind === "name" ? `|\\b(?:${NEGATED})\\s+(?:\\w+\\s+){0,2}?(?:${NAMED})\\b` : "";
    re = new RegExp(
      [
        `\\b(?:${NEGATED})\\s+(?:[\\w'-]+\\s+){0,3}?(?:${TOLD})\\s+(?:[\\w'-]+\\s+){0,3}?(?:${cue})\\b`,
        `\\bno (?:[\\w-]+ ){0,2}(?:${cue}) (?:has|have|had|was|were) (?:yet )?(?:been )?(?:set|announced|given|disclosed|agreed|fixed|decided|released|made public|published|named)\\b`,
        `\\b(?:gave|give|gives|giving|offered|provided) no (?:[\\w-]+ ){0,2}(?:${cue})\\b`,
        `\\bwithout (?:giving|saying|naming|disclosing|specifying|revealing) (?:a |an |any |the )?(?:[\\w-]+ ){0,2}(?:${cue})\\b`,
        `\\b(?:${cue}) (?:was|were|has|have|had|is|are) (?:not|yet to be) (?:been )?(?:disclosed|announced|set|made public|given|released|decided|agreed|published)\\b`,
        `\\b(?:it|this|that) (?:is|was|remains|remained) (?:not |un)(?:clear|known) (?:(?:exactly|yet|precisely) )?(?:${cue})\\b`,
      ].join("|") + named,
      "i",
    );
    DISCLAIMERS.set(type.kind, re);
  }
  const plain = text.replace(/[’]/g, "'");
  const m = re.exec(plain);
  if (!m) return false;
  // The disclaimer's clause runs to the next comma, semicolon, colon or dash; the fact may be stated outside it.
  const rest = /[,;:—–](?!\s*(?:or|nor|and)\s+(?:whether|how|when|which|who|why|where|if)\b)/.exec(plain.slice(m.index + m[0].length));
  const end = rest ? m.index + m[0].length + rest.index : plain.length;
  return findAnswerType(type, `${plain.slice(0, m.index)} ${plain.slice(end)}`, questionWords) === undefined;
}
