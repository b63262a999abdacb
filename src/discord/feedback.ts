import { randomBytes } from "node:crypto";
import { appendFileSync, mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { Answer } from "../answer/answer.js";

/** An answer as kept for its buttons: enough to show its sources and record votes after a restart. */
export interface StoredAnswer {
  kind: "answer";
  /** Short random id carried by the answer's buttons. */
  id: string;
  at: string;
  userId: string;
  question: string;
  answered: boolean;
  answer: string;
  /** Cited passages in reference order, or the "may be related" ones when the bot abstained. */
  passageIds: string[];
}

/** One 👍/👎, self-contained: it repeats the question, answer and passage ids it is about. */
export interface StoredVote {
  kind: "vote";
  answerId: string;
  at: string;
  userId: string;
  vote: "up" | "down";
  question: string;
  answer: string;
  passageIds: string[];
}

/**
 * Answers and votes in one append-only JSON Lines file, `<DATA_DIR>/feedback/feedback.jsonl`, read back
 * when the store opens, so buttons keep working and feedback survives restarts. A line cut short by a
 * crash is skipped (and counted) rather than failing the bot.
 */
export class FeedbackStore {
  readonly file: string;
  /** Lines that could not be read back when the store opened. */
  readonly skippedLines: number = 0;
  private readonly answers = new Map<string, StoredAnswer>();
  private readonly voteLog: StoredVote[] = [];

  constructor(dataDir: string) {
    this.file = path.join(dataDir, "feedback", "feedback.jsonl");
    mkdirSync(path.dirname(this.file), { recursive: true });
    let text = "";
    try {
      text = readFileSync(this.file, "utf8");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
    }
    let skipped = 0;
    for (const line of text.split("\n")) {
      if (!line.trim()) continue;
      const r = parse(line);
      if (r?.kind === "answer") this.answers.set(r.id, r);
      else if (r?.kind === "vote") this.voteLog.push(r);
      else skipped++;
    }
    this.skippedLines = skipped;
  }

  /** Keep an answer under a new id (written before its buttons are sent). */
  recordAnswer(answer: Answer, userId: string): StoredAnswer {
    const cited = answer.answered ? answer.citations.map((c) => c.passageId) : answer.related.map((r) => r.passageId);
    const r: StoredAnswer = {
      kind: "answer",
      id: randomBytes(6).toString("base64url"),
      at: new Date().toISOString(),
      userId,
      question: answer.question,
      answered: answer.answered,
      answer: answer.answer,
      passageIds: [...new Set(cited)],
    };
    this.append(r);
    this.answers.set(r.id, r);
    return r;
  }

  answer(id: string): StoredAnswer | undefined {
    return this.answers.get(id);
  }

  /** Record a vote; undefined when no answer has that id. */
  vote(answerId: string, userId: string, vote: "up" | "down"): StoredVote | undefined {
    const a = this.answers.get(answerId);
    if (!a) return undefined;
    const r: StoredVote = { kind: "vote", answerId, at: new Date().toISOString(), userId, vote, question: a.question, answer: a.answer, passageIds: a.passageIds };
    this.append(r);
    this.voteLog.push(r);
    return r;
  }

  /** Every vote, oldest first; optionally those on one answer. */
  votes(answerId?: string): StoredVote[] {
    return answerId === undefined ? [...this.voteLog] : this.voteLog.filter((v) => v.answerId === answerId);
  }

  private append(r: StoredAnswer | StoredVote): void {
    // One synchronous append per line: lines never interleave, and a vote is on disk before it is acknowledged.
    appendFileSync(this.file, `${JSON.stringify(r)}\n`, "utf8");
  }
}

function parse(line: string): StoredAnswer | StoredVote | undefined {
  try {
    const r = JSON.parse(line) as Record<string, unknown> | null;
    if (!r || typeof r !== "object" || !Array.isArray(r["passageIds"]) || typeof r["question"] !== "string") return undefined;
    if (r["kind"] === "answer" && typeof r["id"] === "string") return r as unknown as StoredAnswer;
    if (r["kind"] === "vote" && typeof r["answerId"] === "string" && (r["vote"] === "up" || r["vote"] === "down")) return r as unknown as StoredVote;
    return undefined;
  } catch {
    return undefined;
  }
}
