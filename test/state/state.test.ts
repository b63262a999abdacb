import { mkdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { Answer } from "../../src/answer/answer.js";
import { openStateDb } from "../../src/state/db.js";
import { HistoryStore } from "../../src/state/history.js";
import { openState } from "../../src/state/state.js";
import { scratch, testConfig } from "../helpers/core.js";

const answer = (question: string, answered: boolean, passageIds: string[] = []): Answer => ({
  question,
  answered,
  answer: answered ? "An answer [1]" : "I couldn't find an answer to that in the articles I have.",
  citations: answered
    ? passageIds.map((p, i) => ({
        n: i + 1,
        source: "Putin",
        quote: "q",
        articleId: p.split("#")[0]!,
        passageId: p,
        start: 0,
        end: 1,
        title: "",
        publisher: "",
        published: "",
        url: "",
      }))
    : [],
  related: answered ? [] : passageIds.map((p) => ({ passageId: p, articleId: p.split("#")[0]!, title: "", text: "t", score: 0.1 })),
  confidence: 0.5,
  timings: { totalMs: 1 },
});

describe("the app-state database", () => {
  const dirs: Array<ReturnType<typeof scratch>> = [];
  const dir = () => {
    const d = scratch({ corpus: false });
    dirs.push(d);
    return d;
  };
  afterEach(() => dirs.splice(0).forEach((d) => d.cleanup()));

  it("is a WAL-mode SQLite file under DATA_DIR, apart from the index builds", () => {
    const d = dir();
    const config = testConfig({ DATA_DIR: d.dataDir });
    const state = openState(config);
    try {
      expect(config.stateFile).toBe(path.join(d.dataDir, "state.sqlite"));
      expect(state.db.pragma("journal_mode", { simple: true })).toBe("wal");
      expect(existsSync(config.stateFile)).toBe(true);
    } finally {
      state.close();
    }
  });

  it("refuses a database written by a newer schema", () => {
    const d = dir();
    const file = path.join(d.dataDir, "state.sqlite");
    const db = openStateDb(file);
    db.pragma("user_version = 99");
    db.close();
    expect(() => openStateDb(file)).toThrow(/^state: .* has schema version 99; this version of the bot knows 1$/);
  });

  it("keeps answers and votes, with user ids hashed: the raw id is nowhere in the files", () => {
    const d = dir();
    const config = testConfig({ DATA_DIR: d.dataDir });
    const state = openState(config);
    const stored = state.feedback.recordAnswer(answer("When could the border reopen?", true, ["a#p1"]), "812345678901234567", "900000000000000010");
    state.feedback.vote(stored.id, "812345678901234568", "down");
    // A second vote by the same person replaces the first.
    state.feedback.vote(stored.id, "812345678901234568", "up");
    expect(state.feedback.vote("no-such-answer", "1", "up")).toBeUndefined();
    state.close();
    const files = [config.stateFile, `${config.stateFile}-wal`]
      .filter(existsSync)
      .map((f) => readFileSync(f).toString("latin1"))
      .join("");
    expect(files).not.toContain("812345678901234567");
    expect(files).not.toContain("812345678901234568");
    const reopened = openState(config);
    try {
      expect(reopened.feedback.answer(stored.id)).toMatchObject({
        question: "When could the border reopen?",
        guildId: "900000000000000010",
        passageIds: ["a#p1"],
        userHash: reopened.feedback.hashUser("812345678901234567"),
      });
      expect(reopened.feedback.votes()).toEqual([
        expect.objectContaining({ answerId: stored.id, vote: "up", userHash: reopened.feedback.hashUser("812345678901234568") }),
      ]);
      expect(reopened.feedback.hashUser("812345678901234567")).not.toBe(reopened.feedback.hashUser("812345678901234568"));
    } finally {
      reopened.close();
    }
  });

  it("imports the feedback JSONL file of earlier versions once, skipping a line cut short", () => {
    const d = dir();
    const legacy = path.join(d.dataDir, "feedback", "feedback.jsonl");
    mkdirSync(path.dirname(legacy), { recursive: true });
    const lines = [
      {
        kind: "answer",
        id: "abc123",
        at: "2026-11-20T10:00:00.000Z",
        userId: "811111111111111111",
        question: "Who won the league?",
        answered: false,
        answer: "I couldn't…",
        passageIds: ["x#p1"],
      },
      {
        kind: "answer",
        id: "def456",
        at: "2026-11-21T10:00:00.000Z",
        userId: "811111111111111112",
        question: "When could the border reopen?",
        answered: true,
        answer: "Six months [1]",
        passageIds: ["y#p2"],
      },
      {
        kind: "vote",
        answerId: "def456",
        at: "2026-11-21T10:05:00.000Z",
        userId: "811111111111111113",
        vote: "down",
        question: "When could the border reopen?",
        answer: "Six months [1]",
        passageIds: ["y#p2"],
      },
    ].map((l) => JSON.stringify(l));
    writeFileSync(legacy, `${lines.join("\n")}\n{"kind":"answer","id":"cut`);
    const config = testConfig({ DATA_DIR: d.dataDir });
    let state = openState(config);
    expect(state.feedback.answer("abc123")).toMatchObject({
      answered: false,
      question: "Who won the league?",
      userHash: state.feedback.hashUser("811111111111111111"),
    });
    expect(state.feedback.votes()).toEqual([expect.objectContaining({ answerId: "def456", vote: "down" })]);
    state.close();
    // Opening again imports nothing twice.
    state = openState(config);
    try {
      expect(state.feedback.importJsonl(legacy)).toBeUndefined();
      expect(state.db.prepare("SELECT count(*) AS n FROM answers").get()).toEqual({ n: 2 });
      expect(state.feedback.votes()).toHaveLength(1);
    } finally {
      state.close();
    }
  });
});

describe("thread history", () => {
  const turn = (n: number) => ({
    question: `question ${n}`,
    query: `query ${n}`,
    answered: true,
    answer: `answer ${n}`,
    citations: [{ passageId: `a#p${n}`, articleId: "a", source: "Putin", quote: "q" }],
  });

  it("keeps only the last turns of a thread", () => {
    const db = openStateDb(":memory:");
    const history = new HistoryStore(db, { maxTurns: 3, ttlMs: 60_000 });
    for (let i = 1; i <= 5; i++) history.addTurn("t1", "g", turn(i), [`m${i}`]);
    history.addTurn("t2", "g", turn(9));
    expect(history.turns("t1").map((t) => t.question)).toEqual(["question 3", "question 4", "question 5"]);
    expect(history.turns("t2").map((t) => t.question)).toEqual(["question 9"]);
    expect(history.isBotMessage("t1", "m5")).toBe(true);
    expect(history.isBotMessage("t2", "m5")).toBe(false);
  });

  it("forgets a thread a while after its last turn, but not while it is in use", () => {
    let now = 1_000_000;
    const db = openStateDb(":memory:");
    const history = new HistoryStore(db, { maxTurns: 6, ttlMs: 60_000, now: () => now });
    history.addTurn("t1", "g", turn(1), ["m1"]);
    now += 50_000;
    history.addTurn("t1", "g", turn(2), ["m2"]);
    now += 50_000;
    expect(history.isBotThread("t1")).toBe(true);
    expect(history.turns("t1")).toHaveLength(2);
    now += 10_001;
    expect(history.isBotThread("t1")).toBe(false);
    expect(history.turns("t1")).toEqual([]);
    expect(history.isBotMessage("t1", "m2")).toBe(false);
  });
});
