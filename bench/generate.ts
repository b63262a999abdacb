import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import matter from "gray-matter";

/**
 * A deterministic synthetic news corpus: realistic articles (400–1,200 words, paragraphs, quotes
 * with attributions, real English vocabulary) and questions whose answers are known, because each
 * article states a few unique generated facts.
 */

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

const FIRST = "Anna Boris Carla David Elena Farid Grace Hassan Irina James Karen Leon Maria Nadia Omar Paula Quentin Rosa Samuel Tamar Umar Vera Walter Yusuf Zara Ahmet Lena Marco Sofia Daniel Aylin Emre Nina Pavel Ruth Tomas Lucia Viktor Hana Ivan Olga Mehmet Sara Arman Gohar Levon Nare".split(" ");
const LAST = "Petrov Sargsyan Yilmaz Kaya Novak Schmidt Rossi Garcia Hughes Okafor Tanaka Ivanova Demir Hakobyan Mueller Costa Larsen Dubois Bianchi Fischer Moreau Romano Kowalski Horvat Nagy Popescu Jensen Lindqvist Aydin Grigoryan Karimov Aliyev Celik Ozturk Baker Wright Murray Fraser Walsh Doyle".split(" ");
const ROLES = ["economy minister", "transport minister", "energy minister", "health minister", "foreign minister", "central bank governor", "mayor", "chief executive", "spokesperson", "analyst", "union leader", "regional governor", "trade envoy", "board chairman"];
const ORGS = "Northern Rail Company|Coastal Power Authority|National Health Service|Union of Farmers|Central Statistics Office|Harbor Logistics Group|Metro Transit Agency|State Energy Board|United Steel Works|Regional Water Utility|Federal Aviation Office|Green Valley Cooperative|Atlas Shipping Line|Summit Telecom|Capital Housing Fund|Delta Grain Exchange|Horizon Airlines|Pioneer Mining Corporation|Riverside Hospital Trust|Global Cement Holdings".split("|");
const CITIES = "Ardenne Belmont Carrow Dunmore Eastfield Fairhaven Glenrock Highbury Irongate Jasper Kingsport Lakeside Marlow Northgate Oakridge Pinecrest Queensbury Redcliff Stonebridge Thornbury Upton Valemont Westbrook Yarrow Zenith Ashford Brightwater Cedarville Dover Elmstead".split(" ");
const COUNTRIES = "Norland Estovia Caradon Velmar Ostria Pellandia Marvania Sudria Kaltenberg Lusovia".split(" ");
const PUBLISHERS = ["Daily Ledger", "Morning Courier", "Evening Standard Times", "Capital Herald", "Continental Wire", "Harbor Gazette", "Northern Chronicle", "Public Broadcaster News"];
const FACILITIES = ["rail stations", "power plants", "hospitals", "schools", "bridges", "wind farms", "ports", "factories", "clinics", "warehouses", "solar parks", "water treatment plants"];
const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const TOPICS: Record<string, string[]> = {
  trade: ["exports", "imports", "tariffs", "customs", "trade deficit", "shipping costs", "grain shipments", "steel quotas", "free trade agreement", "border checks"],
  energy: ["electricity prices", "gas supplies", "the power grid", "nuclear energy", "renewable capacity", "oil output", "heating costs", "fuel subsidies", "coal plants", "energy storage"],
  transport: ["the rail network", "freight traffic", "passenger trains", "the new highway", "airport expansion", "bus routes", "the port terminal", "road tolls", "cargo flights", "the tram line"],
  health: ["hospital waiting lists", "vaccination rates", "nurse shortages", "drug prices", "emergency care", "rural clinics", "health insurance", "medical research", "ambulance services", "public health campaigns"],
  politics: ["the coalition talks", "the budget vote", "local elections", "the opposition", "parliament", "the constitutional reform", "voter turnout", "the cabinet reshuffle", "campaign funding", "the referendum"],
};
const FILLERS = [
  "Officials said the decision followed months of negotiations over {t1} and {t2}.",
  "The plan has drawn criticism from residents worried about {t1}.",
  "Analysts expect {t1} to remain a central issue in the coming months.",
  "Critics argue that the government has ignored concerns about {t1} for years.",
  "The announcement comes as {country} faces growing pressure over {t1}.",
  "Local businesses have welcomed the move, saying it could ease {t1}.",
  "Several lawmakers called for an independent review of {t1} before any final decision.",
  "The ministry did not say how the measures would affect {t2}.",
  "Similar proposals were rejected last year after disputes over {t2}.",
  "Industry groups have long campaigned for changes to {t1} and {t2}.",
  "The talks were held behind closed doors, and few details were released.",
  "Observers noted that public support for the project has fallen since the spring.",
  "The region has struggled with rising costs and slow growth in recent years.",
  "A spokesperson for the opposition described the plan as rushed and poorly funded.",
  "Figures published last month showed a sharp increase in {t1}.",
  "The government said further announcements on {t2} would follow before the end of the year.",
];
const QUOTES = [
  "“We cannot afford to wait any longer on {t1},” {person} said.",
  "“This is a significant step for {city} and for the whole region,” said {person}, the {role}.",
  "{person} told reporters that the agreement on {t1} was “long overdue.”",
  "“Our priority is to make sure that {t2} does not get worse,” {person} added.",
  "According to {org}, the changes will be phased in over several years.",
  "{person}, the {role}, warned that {t1} could become a serious problem if nothing is done.",
];

export interface GeneratedQuestion {
  question: string;
  articleId: string;
  fact: string;
  source: string;
}

export interface GeneratedCorpus {
  dir: string;
  articles: number;
  questions: GeneratedQuestion[];
}

/** Write `count` articles as corpus Markdown files into `dir` (replacing it); same seed, same corpus. */
export function generateCorpus(dir: string, count: number, seed = 1): GeneratedCorpus {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const questions: GeneratedQuestion[] = [];
  for (let i = 0; i < count; i++) {
    const { markdown, qs } = generateArticle(i, seed);
    writeFileSync(path.join(dir, `art-${String(i).padStart(6, "0")}.md`), markdown);
    questions.push(...qs);
  }
  return { dir, articles: count, questions };
}

function generateArticle(i: number, seed: number): { markdown: string; qs: GeneratedQuestion[] } {
  const r = rng(seed * 1_000_003 + i);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const id = `art-${String(i).padStart(6, "0")}`;
  const topicName = pick(Object.keys(TOPICS));
  const topic = TOPICS[topicName]!;
  const person = () => `${pick(FIRST)} ${pick(LAST)}`;
  const speaker = person();
  const speakerLast = speaker.split(" ")[1]!;
  const role = pick(ROLES);
  const org = pick(ORGS);
  const city = pick(CITIES);
  const country = pick(COUNTRIES);
  // Unique facts: numbers, places and dates combined per article.
  const n = 3 + Math.floor(r() * 97);
  const facility = pick(FACILITIES);
  const month = pick(MONTHS);
  const year = 2026 + Math.floor(r() * 5);
  const budget = (1 + Math.floor(r() * 900)) / 10;
  const fill = (s: string) =>
    s
      .replace(/\{t1\}/g, pick(topic))
      .replace(/\{t2\}/g, pick(topic))
      .replace(/\{country\}/g, country)
      .replace(/\{city\}/g, city)
      .replace(/\{org\}/g, `the ${org}`)
      .replace(/\{role\}/g, pick(ROLES))
      .replace(/\{person\}/g, person());
  const fact1 = `${n} new ${facility} in ${city} by ${month} ${year}`;
  const fact2 = `${budget.toFixed(1)} billion`;
  const lead = `${speaker}, the ${role} of ${country}, said on ${pick(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"])} that the ${org} will open ${fact1}.`;
  const money = `The ${org} expects the programme to cost ${fact2} ${pick(["euros", "dollars", "pounds"])}, ${speakerLast} said.`;
  const paragraphs: string[] = [lead];
  const words = 400 + Math.floor(r() * 800);
  let total = lead.split(/\s+/).length;
  let moneyPlaced = false;
  while (total < words) {
    const sentences: string[] = [];
    const len = 2 + Math.floor(r() * 3);
    for (let s = 0; s < len; s++) sentences.push(fill(r() < 0.3 ? pick(QUOTES) : pick(FILLERS)));
    if (!moneyPlaced && paragraphs.length >= 2 && r() < 0.5) {
      sentences.splice(1, 0, money);
      moneyPlaced = true;
    }
    const p = sentences.join(" ");
    paragraphs.push(p);
    total += p.split(/\s+/).length;
  }
  if (!moneyPlaced) paragraphs.push(money);
  const day = 1 + Math.floor(r() * 28);
  const published = `2025-${String(1 + Math.floor(r() * 12)).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
  const title = `${org} to open ${n} ${facility} in ${city}`;
  const markdown = matter.stringify(paragraphs.join("\n\n") + "\n", {
    id,
    title,
    publisher: pick(PUBLISHERS),
    url: `https://news.example/${topicName}/${id}`,
    published,
    author: person(),
  });
  const qs: GeneratedQuestion[] = [
    // Org, facility and city combinations repeat across thousands of articles; the speaker makes a question specific.
    { question: `How many new ${facility} did ${speaker} say the ${org} will open in ${city}?`, articleId: id, fact: `${n} new ${facility}`, source: speaker },
    { question: `According to ${speaker}, how much will the ${org} programme of new ${facility} in ${city} cost?`, articleId: id, fact: fact2, source: speakerLast },
  ];
  return { markdown, qs };
}
