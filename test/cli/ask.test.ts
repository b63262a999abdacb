import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO, REPO_CORPUS, scratch } from "../helpers/core.js";
import { TEST_CACHE_DIR } from "../global-setup.js";

const run = promisify(execFile);

describe("the ask command", () => {
  let dir: ReturnType<typeof scratch>;
  let env: NodeJS.ProcessEnv;
  const ask = (args: string[], input?: string) => {
    const child = run(process.execPath, ["--import", "tsx", path.join(REPO, "src/cli/ask.ts"), ...args], { cwd: REPO, env, maxBuffer: 10 * 1024 * 1024 });
    if (input !== undefined) {
      child.child.stdin!.end(input);
    }
    return child;
  };

  beforeAll(() => {
    dir = scratch({ corpus: false });
    env = { ...process.env, CORPUS_DIR: REPO_CORPUS, DATA_DIR: dir.dataDir, CACHE_DIR: TEST_CACHE_DIR, CI: "true" };
    delete env["LOG_LEVEL"];
  });
  afterAll(() => dir.cleanup());

  it("builds the index on first use and answers with Bloomberg's quote and its reference", async () => {
    const { stdout, stderr } = await ask(["When could the Armenia–Turkey border reopen?"]);
    expect(stderr).toContain("index: embedding articles");
    expect(stdout).toContain("Bloomberg: Turkey could reopen the border “within the next six months.” [1]");
    // Only what is known: the derived title, no "publisher unknown, date unknown".
    expect(stdout).toMatch(
      /\[1\] Armenian Prime Minister Nikol Pashinyan met with Russian President Vladimir Putin on Monday during… \(passage pashinyan-putin-railways#p13, chars \d+–\d+\)/,
    );
    expect(stdout).not.toContain("unknown");
  });

  it("prints one JSON object whose quotes are the article text at their offsets", async () => {
    const { stdout } = await ask(["--json", "Did Putin and Pashinyan discuss atomic power?"]);
    const lines = stdout.trim().split("\n");
    expect(lines).toHaveLength(1);
    const answer = JSON.parse(lines[0]!);
    expect(answer).toMatchObject({ question: "Did Putin and Pashinyan discuss atomic power?", answered: true });
    expect(typeof answer.timings.totalMs).toBe("number");
    const body = readFileSync(path.join(REPO_CORPUS, "pashinyan-putin-railways.md"), "utf8").split(/^---$/m)[2]!.trim();
    for (const c of answer.citations) {
      expect(Object.keys(c).sort()).toEqual(["articleId", "end", "n", "passageId", "published", "publisher", "quote", "source", "start", "title", "url"]);
      if (c.articleId === "pashinyan-putin-railways") expect(body.slice(c.start, c.end)).toBe(c.quote);
    }
    expect(answer.citations.some((c: { quote: string }) => c.quote.includes("nuclear energy"))).toBe(true);
  });

  it("answers one JSON line per input line, in order, with the index loaded once", async () => {
    const questions = ["When could the border reopen?", "", "What is the population of Gyumri?", "Which company manages Armenia's railways?"];
    const { stdout, stderr } = await ask(["--json", "--stdin"], `${questions.join("\n")}\n`);
    const answers = stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { question: string; answered: boolean });
    expect(answers.map((a) => a.question)).toEqual(questions);
    expect(answers.map((a) => a.answered)).toEqual([true, false, false, true]);
    expect(stderr).not.toContain("embedding articles");
  });

  it("says how to ask when no question is given", async () => {
    await expect(ask([])).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('ask: give a question, e.g. npm run ask -- "') });
  });

  it("takes --article before the question without swallowing it", async () => {
    const { stdout } = await ask(["--json", "--article", "pashinyan-putin-railways", "When could the border reopen?"]);
    const answer = JSON.parse(stdout) as { question: string; answered: boolean; citations: Array<{ articleId: string }> };
    expect(answer.question).toBe("When could the border reopen?");
    expect(answer.answered).toBe(true);
    expect(answer.citations.every((c) => c.articleId === "pashinyan-putin-railways")).toBe(true);
  });

  it("repeats --article and --publisher for more than one value", async () => {
    const { stdout } = await ask([
      "--json",
      "--article",
      "no-such-article",
      "--article",
      "kars-gyumri-railway-talks",
      "--publisher",
      "Türkiye Today",
      "--publisher",
      "Nobody",
      "Where were the railway talks held?",
    ]);
    const answer = JSON.parse(stdout) as { question: string; citations: Array<{ articleId: string }> };
    expect(answer.question).toBe("Where were the railway talks held?");
    expect(answer.citations.length).toBeGreaterThan(0);
    expect(answer.citations.every((c) => c.articleId === "kars-gyumri-railway-talks")).toBe(true);
  });

  it("refuses a date that is not one, with a clear error", async () => {
    await expect(ask(["--from", "notadate", "When could the border reopen?"])).rejects.toMatchObject({
      code: 1,
      stderr: "error: option '--from <date>' argument 'notadate' is invalid. expected an ISO date such as 2025-11-01 (YYYY-MM-DD).\n",
    });
    await expect(ask(["--to", "2025-13-45", "When could the border reopen?"])).rejects.toMatchObject({ code: 1 });
  });

  it("refuses a day its month does not have, naming the month", async () => {
    await expect(ask(["--to", "2025-02-30", "When could the border reopen?"])).rejects.toMatchObject({
      code: 1,
      stderr: "error: option '--to <date>' argument '2025-02-30' is invalid. 2025-02-30 is not a date: February 2025 has 28 days.\n",
    });
  });

  it("names a filter that matches no article instead of declining silently", async () => {
    await expect(ask(["--json", "--publisher", "Bloomberg", "When could the border reopen?"])).rejects.toMatchObject({
      code: 1,
      stdout: "",
      stderr: "ask: no article from publisher “Bloomberg”\n",
    });
    await expect(ask(["--json", "--article", "../../etc/passwd", "When could the border reopen?"])).rejects.toMatchObject({
      code: 1,
      stdout: "",
      stderr: "ask: no article with id “../../etc/passwd”\n",
    });
    await expect(ask(["--json", "--from", "2030-01-01", "When could the border reopen?"])).rejects.toMatchObject({
      code: 1,
      stderr: "ask: no article published on or after 2030-01-01\n",
    });
  });

  it("says which of several values match nothing, and answers from the others", async () => {
    const { stdout, stderr } = await ask(["--json", "--publisher", "Bloomberg", "--publisher", "Türkiye Today", "Where were the railway talks held?"]);
    expect(stderr).toBe("ask: no article from publisher “Bloomberg”\n");
    const answer = JSON.parse(stdout) as { citations: Array<{ articleId: string }> };
    expect(answer.citations.length).toBeGreaterThan(0);
    expect(answer.citations.every((c) => c.articleId === "kars-gyumri-railway-talks")).toBe(true);
  });

  it("takes a question that starts with a dash after --, as its help says", async () => {
    const { stdout } = await ask(["--help"]);
    expect(stdout).toContain('A question that starts with "-" goes after "--"');
    const answer = JSON.parse((await ask(["--json", "--", "-when could the border reopen?"])).stdout) as { question: string };
    expect(answer.question).toBe("-when could the border reopen?");
  });

  it("never echoes NUL or other control characters from a question", async () => {
    const { stdout } = await ask(["--json", "--stdin"], "When could the\u0000 border\u0007 reopen?\n");
    const answer = JSON.parse(stdout) as { question: string };
    expect(answer.question).toBe("When could the border reopen?");
    expect(stdout).not.toMatch(/\\u0000|\\u0007|\u0000/);
  });

  it("stops with one line naming a bad config value", async () => {
    const bad = run(process.execPath, ["--import", "tsx", path.join(REPO, "src/cli/ask.ts"), "hello"], { cwd: REPO, env: { ...env, RETRIEVAL_K: "lots" } });
    await expect(bad).rejects.toMatchObject({ code: 1, stderr: 'config: RETRIEVAL_K="lots" is invalid: expected number\n' });
  });
});
