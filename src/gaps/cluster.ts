import { STOP_WORDS, wordTokens } from "../text/terms.js";

/** One group of similar questions. */
export interface Cluster<T> {
  items: T[];
  /** Mean of the members' unit vectors. */
  centroid: number[];
}

/** Options of `clusterByVector`, each with its default. */
export interface ClusterOptions {
  /** Least cosine similarity between a question and a group's centroid for it to join. Default 0.7 (on the seeded gaps store, 0.8 split one topic in three and 0.6 merged two). */
  threshold?: number;
}

function unit(v: number[]): number[] {
  const n = Math.hypot(...v);
  return n > 0 ? v.map((x) => x / n) : v;
}

export function cosine(a: number[], b: number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return na > 0 && nb > 0 ? dot / Math.sqrt(na * nb) : 0;
}

/**
 * Group items by the similarity of their vectors (pure): each joins the closest group whose centroid
 * is within `threshold`, or starts its own. Identical texts always share a group. Groups come back
 * largest first. Linear in items × groups, fine for the thousands of questions a period holds.
 */
export function clusterByVector<T>(items: Array<{ item: T; text: string; vector: number[] }>, opts: ClusterOptions = {}): Array<Cluster<T>> {
  const threshold = opts.threshold ?? 0.7;
  const clusters: Array<Cluster<T> & { sum: number[]; texts: Set<string> }> = [];
  for (const { item, text, vector } of items) {
    const key = wordTokens(text).join(" ");
    const v = unit(vector);
    let best: (typeof clusters)[number] | undefined = clusters.find((c) => c.texts.has(key));
    if (!best) {
      let bestSim = threshold;
      for (const c of clusters) {
        const sim = cosine(v, c.centroid);
        if (sim >= bestSim) {
          bestSim = sim;
          best = c;
        }
      }
    }
    if (!best || v.every((x) => x === 0)) {
      clusters.push({ items: [item], centroid: v, sum: [...v], texts: new Set([key]) });
      continue;
    }
    best.items.push(item);
    best.texts.add(key);
    best.sum = best.sum.map((x, i) => x + v[i]!);
    best.centroid = unit(best.sum);
  }
  return clusters.sort((a, b) => b.items.length - a.items.length).map(({ items: members, centroid }) => ({ items: members, centroid }));
}

const QUESTION_WORDS = new Set(["who", "what", "when", "where", "why", "how", "which", "whose"]);

/**
 * The words that best label a group: in many of its questions and few of the others (document
 * frequency in the group × inverse frequency over all of them). Stop words and wh-words never label.
 */
export function topTerms(group: string[], all: string[], n = 3): string[] {
  const words = (t: string) => new Set(wordTokens(t).filter((w) => w.length > 2 && !STOP_WORDS.has(w) && !QUESTION_WORDS.has(w) && !/^\d+$/.test(w)));
  const df = new Map<string, number>();
  for (const t of all) for (const w of words(t)) df.set(w, (df.get(w) ?? 0) + 1);
  const inGroup = new Map<string, number>();
  for (const t of group) for (const w of words(t)) inGroup.set(w, (inGroup.get(w) ?? 0) + 1);
  return [...inGroup.entries()]
    .map(([w, c]) => [w, c * Math.log(1 + all.length / (df.get(w) ?? 1))] as const)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, n)
    .map(([w]) => w);
}
