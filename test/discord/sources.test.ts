import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBot, type RunningBot } from "../../src/discord/bot.js";
import { SOURCES_PAGE_SIZE } from "../../src/discord/commands/sources.js";
import { openAnswerService, type AnswerService } from "../../src/service/answer-service.js";
import { memoryLogger, scratch, testConfig } from "../helpers/core.js";
import { FakeDiscord, type RestCall } from "../helpers/discord-server.js";

const ARTICLES = 120;
const PAGES = Math.ceil(ARTICLES / SOURCES_PAGE_SIZE);
const TOWNS = ["Harbourside", "Millbrook", "Tromsø", "Eastfield", "Northgate"];
const LONG = "a very long headline about the council's plan for the old market square, its stalls, its fountain and the bus routes around it";

/**
 * A made-up local corpus of 120 short articles: some share a date (the id orders them), some have no
 * date, and every tenth has a title and publisher far longer than a Discord line should carry.
 */
function writeCorpus(dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  const ids: string[] = [];
  for (let i = 0; i < ARTICLES; i++) {
    const town = TOWNS[i % TOWNS.length]!;
    const id = `local-${String(i).padStart(3, "0")}`;
    const long = i % 10 === 3;
    const title = long ? `${town}: ${LONG} (${i})` : `${town} council notice number ${i}`;
    const publisher = long ? "The Extremely Long Named Weekly Gazette of the Northern Districts" : `${town} Post`;
    const published = i % 17 === 0 ? "" : `2025-${String(1 + (i % 12)).padStart(2, "0")}-${String(1 + (i % 5)).padStart(2, "0")}`;
    const body = `The ${town} council met on a Tuesday to discuss notice ${i}. Members agreed to publish the minutes within a week.\n\nA resident asked about parking near the library, and the chair promised an answer at the next meeting.\n`;
    writeFileSync(
      path.join(dir, `${id}.md`),
      `---\nid: ${id}\ntitle: '${title.replace(/'/g, "''")}'\npublisher: ${publisher}\nurl: ''\npublished: '${published}'\nauthor: ''\n---\n${body}`,
    );
    ids.push(id);
  }
  return ids;
}

const callback = (token: string) => (c: RestCall) => c.method === "POST" && c.path.endsWith(`/${token}/callback`);
interface Shown {
  type: number;
  content: string;
  buttons: Array<{ custom_id: string; disabled?: boolean; label: string }>;
  ids: string[];
}

describe("/sources pages through a 120-article corpus, against a fake Discord on 127.0.0.1", () => {
  let discord: FakeDiscord;
  let dir: ReturnType<typeof scratch>;
  let core: AnswerService;
  let bot: RunningBot;
  let ids: string[];

  beforeAll(async () => {
    discord = new FakeDiscord();
    await discord.start();
    dir = scratch({ corpus: false });
    ids = writeCorpus(dir.corpusDir);
    const config = testConfig({ CORPUS_DIR: dir.corpusDir, DATA_DIR: dir.dataDir, DISCORD_TOKEN: "fake-token", DISCORD_API_BASE: discord.apiBase });
    core = await openAnswerService(config, { log: memoryLogger().log });
    bot = await startBot({ config, core, log: memoryLogger().log });
  });
  afterAll(async () => {
    await bot?.stop();
    await core?.close();
    await discord?.stop();
    dir?.cleanup();
  });

  const read = async (token: string): Promise<Shown> => {
    const body = (await discord.waitFor(callback(token))).body as {
      type: number;
      data: { content: string; components?: Array<{ components: Shown["buttons"] }> };
    };
    const content = body.data.content;
    return {
      type: body.type,
      content,
      buttons: body.data.components?.[0]?.components ?? [],
      ids: [...content.matchAll(/^- .* · `([^`]+)`$/gm)].map((m) => m[1]!),
    };
  };
  /** `/sources` with typed options, as Discord sends them (the page is an integer option). */
  const sources = (options: { search?: string; page?: number } = {}) => {
    const opts = Object.entries(options).map(([name, value]) => ({ name, type: typeof value === "number" ? 4 : 3, value }));
    return read(discord.interaction({ type: 2, data: { id: "900000000000000777", name: "sources", type: 1, options: opts } }).token);
  };
  const press = (shown: Shown, label: RegExp) => {
    const button = shown.buttons.find((b) => label.test(b.label))!;
    return read(discord.button(button.custom_id, { content: shown.content, components: [{ type: 1, components: shown.buttons }] }).token);
  };

  it("shows the first page with a count, newest first, and Previous disabled", async () => {
    const first = await sources();
    expect(first.type).toBe(4);
    expect(first.content).toMatch(/^\*\*120 articles, \d+ passages\*\* · index built <t:\d+:f>/);
    expect(first.ids).toHaveLength(SOURCES_PAGE_SIZE);
    expect(first.content).toContain(`page 1 of ${PAGES}`);
    expect(first.buttons.map((b) => [b.label, Boolean(b.disabled)])).toEqual([
      ["◀ Previous", true],
      ["Next ▶", false],
    ]);
  });

  it("reaches every article exactly once by pressing Next, each page within 2,000 characters", async () => {
    let shown = await sources();
    const seen = [...shown.ids];
    for (let page = 2; page <= PAGES; page++) {
      shown = await press(shown, /Next/);
      // An update of the list message itself, not a new message per page.
      expect(shown.type).toBe(7);
      expect(shown.content).toContain(`page ${page} of ${PAGES}`);
      expect(shown.content.length).toBeLessThanOrEqual(2000);
      seen.push(...shown.ids);
    }
    expect(seen).toHaveLength(ARTICLES);
    expect(new Set(seen)).toEqual(new Set(ids));
    expect(shown.buttons.find((b) => /Next/.test(b.label))?.disabled).toBe(true);
    // Undated articles come last.
    expect(shown.ids).toContain("local-000");
    const back = await press(shown, /Previous/);
    expect(back.content).toContain(`page ${PAGES - 1} of ${PAGES}`);
  });

  it("shortens long titles and publishers instead of letting a page overflow", async () => {
    const shown = await sources({ search: "market square" });
    expect(shown.ids.length).toBeGreaterThan(0);
    expect(shown.content).toContain("…");
    expect(shown.content).not.toContain("bus routes around it");
  });

  it("opens the page asked for, and the last page for one past the end", async () => {
    const third = await sources({ page: 3 });
    expect(third.content).toContain(`page 3 of ${PAGES}`);
    const beyond = await sources({ page: 99 });
    expect(beyond.content).toContain(`page ${PAGES} of ${PAGES}`);
    expect(beyond.ids).toHaveLength(ARTICLES - (PAGES - 1) * SOURCES_PAGE_SIZE);
  });

  it("searches titles and publishers, accents folded, and pages through the matches only", async () => {
    const found = await sources({ search: "tromso" });
    expect(found.content).toContain(`${ARTICLES / TOWNS.length} matching “tromso” · page 1 of 3`);
    expect(found.content).toContain("**Tromsø council notice number");
    const next = await press(found, /Next/);
    expect(next.content).toContain("page 2 of 3");
    for (const id of [...found.ids, ...next.ids]) expect(Number(id.slice(-3)) % TOWNS.length).toBe(2);
  });

  it("finds an article by its id, as /sources prints it", async () => {
    const byId = await sources({ search: "local-007" });
    expect(byId.ids).toEqual(["local-007"]);
    expect(byId.content).toContain("1 matching “local-007” · page 1 of 1");
    expect(byId.buttons).toEqual([]);
  });

  it("says plainly when nothing matches, with no buttons", async () => {
    const none = await sources({ search: "zeppelin" });
    expect(none.content).toContain("No article's title, publisher or id has the words “zeppelin”.");
    expect(none.buttons).toEqual([]);
  });
});
