import type { Answer } from "../../src/answer/answer.js";
import type { FeedbackStore } from "../../src/state/feedback.js";

/** Three topics the corpus does not cover, each asked in several ways. */
export const GAP_TOPICS = {
  football: [
    "Who won the Armenian football league this season?",
    "Which club won the Armenian Premier League football title?",
    "Who is the top scorer in the Armenian football league?",
    "When does the Armenian football league season start?",
  ],
  weather: [
    "What will the weather be like in Yerevan this weekend?",
    "Is it going to snow in Yerevan tomorrow?",
    "What is the weather forecast for Gyumri?",
    "How cold will the weather get in Yerevan this winter?",
  ],
  visa: [
    "Do tourists need a visa to visit Armenia?",
    "How long can tourists stay in Armenia without a visa?",
    "How do I apply for an Armenian tourist visa?",
    "What does an Armenian tourist visa cost?",
  ],
} as const;

const ANSWERED = [
  "When could the Armenia–Turkey border reopen?",
  "Which company manages Armenia's railways?",
  "How much did Armenia–Russia trade exceed in 2024?",
  "When did Pashinyan arrive in Russia?",
];

/** A seeded pseudo-random generator (mulberry32), so a seed always gives the same store. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Fill a feedback store with `count` questions over the `days` before `now`: about 60% answered (some
 * voted down), the rest declined, spread over the gap topics with `weights`. Returns how many of
 * each it wrote.
 */
export function seedQuestions(
  feedback: FeedbackStore,
  opts: { count: number; days: number; now: Date; guildId: string; seed: number; weights?: Record<keyof typeof GAP_TOPICS, number> },
): { answered: number; declined: Record<keyof typeof GAP_TOPICS, number>; downvoted: number } {
  const random = rng(opts.seed);
  const weights = opts.weights ?? { football: 3, weather: 2, visa: 1 };
  const topics = Object.keys(GAP_TOPICS) as Array<keyof typeof GAP_TOPICS>;
  const total = topics.reduce((n, t) => n + weights[t], 0);
  const out = { answered: 0, declined: { football: 0, weather: 0, visa: 0 }, downvoted: 0 };
  for (let i = 0; i < opts.count; i++) {
    const at = new Date(opts.now.getTime() - Math.floor(random() * opts.days * 86_400_000));
    const user = String(810000000000000000n + BigInt(Math.floor(random() * 40)));
    if (random() < 0.6) {
      const question = ANSWERED[Math.floor(random() * ANSWERED.length)]!;
      const stored = feedback.recordAnswer(answer(question, true), user, opts.guildId, at);
      if (random() < 0.15) {
        feedback.vote(stored.id, String(820000000000000000n + BigInt(i)), "down", at);
        out.downvoted++;
      } else out.answered++;
      continue;
    }
    let pick = random() * total;
    const topic = topics.find((t) => (pick -= weights[t]) < 0) ?? topics[0]!;
    const variants = GAP_TOPICS[topic];
    feedback.recordAnswer(answer(variants[Math.floor(random() * variants.length)]!, false), user, opts.guildId, at);
    out.declined[topic]++;
  }
  return out;
}

function answer(question: string, answered: boolean): Answer {
  return {
    question,
    answered,
    answer: answered ? "Quoted answer [1]" : "I couldn't find an answer to that in the articles I have.",
    citations: answered
      ? [
          {
            n: 1,
            source: "Bloomberg",
            quote: "q",
            articleId: "pashinyan-putin-railways",
            passageId: "pashinyan-putin-railways#p13",
            start: 0,
            end: 1,
            title: "",
            publisher: "",
            published: "",
            url: "",
          },
        ]
      : [],
    related: [],
    confidence: answered ? 0.8 : 0.1,
    timings: { totalMs: 1 },
  };
}
