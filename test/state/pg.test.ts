import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Answer } from "../../src/answer/answer.js";
import { QuestionLimits } from "../../src/state/rate-limit.js";
import type { StateStore } from "../../src/state/open.js";
import { openPgState } from "../../src/state/pg.js";
import { secretValues } from "../../src/config.js";
import { memoryLogger, testConfig } from "../helpers/core.js";
import { startPostgres, type TestPostgres } from "../helpers/postgres.js";

const answer = (question: string, answered: boolean): Answer => ({
  question,
  answered,
  answer: answered ? "An answer [1]" : "I couldn't find an answer to that in the articles I have.",
  citations: answered
    ? [{ n: 1, source: "Putin", quote: "q", articleId: "a", passageId: "a#p1", start: 0, end: 1, title: "", publisher: "", published: "", url: "" }]
    : [],
  related: [],
  confidence: 0.5,
  timings: { totalMs: 1 },
});

describe("the state in PostgreSQL, as two machines share it", () => {
  let server: TestPostgres;
  let url: string;
  let a: StateStore;
  let b: StateStore;

  beforeAll(async () => {
    server = await startPostgres();
    url = server.database("state_test");
    // Two nodes starting at once: one migrates, the other waits for it.
    [a, b] = await Promise.all([
      openPgState(testConfig({ DATABASE_URL: url }), memoryLogger()),
      openPgState(testConfig({ DATABASE_URL: url }), memoryLogger()),
    ]);
  }, 60_000);
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await server?.stop();
  });

  it("runs its migrations once, whichever node starts first", async () => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      expect((await client.query("SELECT version FROM schema_migrations ORDER BY version")).rows).toEqual([{ version: 1 }]);
    } finally {
      await client.end();
    }
  });

  it("applies settings changed through one node in the other, with who changed them", async () => {
    await a.settings.update("g1", "mod-1", { channels: ["123"], userPerMin: 2 });
    expect(await b.settings.get("g1")).toMatchObject({ channels: ["123"], userPerMin: 2 });
    expect((await b.settings.log("g1"))[0]).toMatchObject({ userId: "mod-1", change: { channels: { from: [], to: ["123"] } } });
    expect(await b.settings.get("other")).toMatchObject({ channels: [] });
  });

  it("counts a user's questions across nodes", async () => {
    const onA = new QuestionLimits(3, 100, a.limiters);
    const onB = new QuestionLimits(3, 100, b.limiters);
    expect(await onA.check("shared-user", "g")).toBeUndefined();
    expect(await onB.check("shared-user", "g")).toBeUndefined();
    expect(await onA.check("shared-user", "g")).toBeUndefined();
    expect(await onB.check("shared-user", "g")).toMatch(/^You're asking faster than I can keep up/);
    expect(await onA.check("another-user", "g")).toBeUndefined();
  });

  it("keeps answers, votes, gap records and thread turns where every node sees them, with user ids hashed the same way", async () => {
    const stored = await a.feedback.recordAnswer(answer("When could the border reopen?", true), "812345678901234567", "g2", new Date("2026-12-01T10:00:00Z"));
    await a.feedback.recordAnswer(answer("Who won the match?", false), "812345678901234567", "g2", new Date("2026-12-02T10:00:00Z"));
    expect(await b.feedback.answer(stored.id)).toEqual(stored);
    expect(b.feedback.hashUser("812345678901234567")).toBe(stored.userHash);
    await b.feedback.vote(stored.id, "812345678901234568", "down");
    expect(await a.feedback.votes(stored.id)).toEqual([expect.objectContaining({ vote: "down", question: "When could the border reopen?" })]);
    const period = { since: "2026-12-01T00:00:00.000Z", until: "2026-12-03T00:00:00.000Z", guildId: "g2" };
    expect((await b.reports.gapQuestions(period)).map((g) => g.reason)).toEqual(["downvoted", "declined"]);
    expect(await b.reports.dailyCounts(period)).toEqual([
      { day: "2026-12-01", answered: 0, declined: 0, downvoted: 1 },
      { day: "2026-12-02", answered: 0, declined: 1, downvoted: 0 },
    ]);
    await a.history.addTurn("t1", "g2", { question: "q", query: "q", answered: true, answer: "x", citations: [] }, ["m1"]);
    expect(await b.history.isBotThread("t1")).toBe(true);
    expect(await b.history.isBotMessage("t1", "m1")).toBe(true);
    expect((await b.history.turns("t1")).map((t) => t.question)).toEqual(["q"]);
  });

  it("refuses a database migrated by a newer version of the bot, naming the versions", async () => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query("INSERT INTO schema_migrations (version) VALUES (99)");
      await expect(openPgState(testConfig({ DATABASE_URL: url }), memoryLogger())).rejects.toThrow(
        "state: the PostgreSQL database has schema version 99; this version of the bot knows 1",
      );
    } finally {
      await client.query("DELETE FROM schema_migrations WHERE version = 99");
      await client.end();
    }
  });

  it("names the database, never its password, when it cannot be reached", async () => {
    await expect(openPgState(testConfig({ DATABASE_URL: "postgres://bot:s3cret@127.0.0.1:9/nowhere" }), memoryLogger())).rejects.toThrow(
      /^state: cannot open PostgreSQL 127\.0\.0\.1:9\/nowhere \(DATABASE_URL\): (?!.*s3cret)/,
    );
  });

  it("keeps DATABASE_URL's password out of the logs", () => {
    expect(secretValues(testConfig({ DATABASE_URL: "postgres://bot:s3cr%40t@db.internal:5432/news" }))).toEqual(expect.arrayContaining(["s3cr%40t", "s3cr@t"]));
  });
});
