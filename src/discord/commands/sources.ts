import { ActionRowBuilder, ButtonBuilder, ButtonStyle, SlashCommandBuilder, type ChatInputCommandInteraction } from "discord.js";
import { NO_MENTIONS, type BotDeps, type ButtonHandler, type Command } from "../command.js";
import { escapeText, LIMITS, truncate } from "../render.js";
import { articleLabel, articleReference } from "../../answer/format.js";
import { cleanText, foldAccents, startsWord } from "../../text/normalize.js";
import type { IndexInfo } from "../../index/store.js";

/**
 * Articles per page. With the caps below a line is at most about 210 characters before escaping, so
 * a page of 8, its heading and its footer stay under Discord's 2,000 characters.
 */
export const SOURCES_PAGE_SIZE = 8;
/** Longest title, publisher and id shown in a line (longer ones end with "…"). */
const TITLE_CHARS = 80;
const PUBLISHER_CHARS = 32;
const ID_CHARS = 48;
/** Longest search accepted: the search rides in the page buttons' custom ids, which Discord caps at 100 characters. */
export const SOURCES_SEARCH_CHARS = 80;
/** Custom-id prefix of the page buttons (`sources` is the answer's Sources button). */
const PAGE_PREFIX = "sources-page";

type Listed = IndexInfo["articles"][number];

/** One page of the article list, as Discord shows it. Pure: the same index, page and search give the same page. */
export interface SourcesPage {
  content: string;
  /** 1-based page shown (a page past the end shows the last one). */
  page: number;
  pages: number;
  /** Articles that match the search (all of them without one). */
  matched: number;
}

/** The words of a search as they are compared: cleaned, accents folded, lowercased, split at the joiners of ids too. */
const searchWords = (search: string) =>
  foldAccents(cleanText(search))
    .toLowerCase()
    .split(/[\s_.-]+/)
    .filter(Boolean);

/** Whether every word of the search starts a word of the article's title, publisher or id ("harb" meets "Harbour"). */
function matches(article: Listed, words: string[]): boolean {
  const haystack = foldAccents(`${article.title} ${article.publisher} ${article.id.replace(/[-_.]/g, " ")}`).toLowerCase();
  return words.every((w) => startsWord(haystack, w));
}

/** Newest first; the id breaks ties, so a page holds the same articles every time it is asked for. */
function byDate(a: Listed, b: Listed): number {
  return (b.published || "").localeCompare(a.published || "") || a.id.localeCompare(b.id);
}

function line(a: Listed): string {
  const ref = articleReference(
    { title: truncate(articleLabel(a.title, a.id), TITLE_CHARS), id: a.id, publisher: truncate(a.publisher, PUBLISHER_CHARS), published: a.published },
    { escape: escapeText, label: (t) => `**${t}**` },
  );
  return `- ${ref} · ${a.passages} passages · \`${truncate(a.id, ID_CHARS).replace(/`/g, "'")}\``;
}

/** Page `page` (1-based) of the articles whose title, publisher or id match `search`. */
export function sourcesPage(info: IndexInfo, opts: { page?: number; search?: string } = {}): SourcesPage {
  const search = cleanText(opts.search ?? "").slice(0, SOURCES_SEARCH_CHARS);
  const words = searchWords(search);
  const listed = info.articles.filter((a) => matches(a, words)).sort(byDate);
  const pages = Math.max(1, Math.ceil(listed.length / SOURCES_PAGE_SIZE));
  const page = Math.min(Math.max(1, Math.floor(opts.page ?? 1)), pages);
  const built = Math.floor(Date.parse(info.builtAt) / 1000);
  const head = `**${info.articles.length} articles, ${info.passages} passages** · index built <t:${built}:f> (<t:${built}:R>) with \`${info.embedder.name}\``;
  const shown = listed.slice((page - 1) * SOURCES_PAGE_SIZE, page * SOURCES_PAGE_SIZE).map(line);
  const quoted = `“${escapeText(search)}”`;
  const body = words.length > 0 && listed.length === 0 ? [`No article's title, publisher or id has the words ${quoted}.`] : shown;
  const where = words.length > 0 ? `${listed.length} matching ${quoted} · ` : "";
  const footer =
    listed.length > 0 ? `-# ${where}page ${page} of ${pages}${words.length === 0 && pages > 1 ? " · narrow it down with /sources search:" : ""}` : "";
  const content = [head, ...body, footer].filter(Boolean).join("\n");
  // The caps above keep a page well inside the limit; this only guards against heavy escaping.
  return { content: truncate(content, LIMITS.content), page, pages, matched: listed.length };
}

/** Previous / Next under a page, or no row when everything fits on one page. */
function pageButtons(shown: SourcesPage, search: string): Array<ActionRowBuilder<ButtonBuilder>> {
  if (shown.pages <= 1) return [];
  const id = (page: number) => `${PAGE_PREFIX}:${page}:${search}`;
  return [
    new ActionRowBuilder<ButtonBuilder>().addComponents(
      new ButtonBuilder()
        .setCustomId(id(shown.page - 1))
        .setLabel("◀ Previous")
        .setStyle(ButtonStyle.Secondary)
        .setDisabled(shown.page <= 1),
      new ButtonBuilder()
        .setCustomId(id(shown.page + 1))
        .setLabel("Next ▶")
        .setStyle(ButtonStyle.Secondary)
        .setDisabled(shown.page >= shown.pages),
    ),
  ];
}

export const sourcesCommand: Command = {
  data: new SlashCommandBuilder()
    .setName("sources")
    .setDescription("List the indexed articles and when the index was built")
    .addStringOption((o) => o.setName("search").setDescription("Only articles whose title, publisher or id has these words").setMaxLength(SOURCES_SEARCH_CHARS))
    .addIntegerOption((o) => o.setName("page").setDescription("Which page of the list (8 articles a page)").setMinValue(1)),

  async execute(interaction: ChatInputCommandInteraction, deps: BotDeps) {
    const search = cleanText(interaction.options.getString("search") ?? "").slice(0, SOURCES_SEARCH_CHARS);
    const shown = sourcesPage(deps.core.info(), { search, page: interaction.options.getInteger("page") ?? 1 });
    await interaction.reply({ content: shown.content, components: pageButtons(shown, search), allowedMentions: NO_MENTIONS });
  },
};

/** Previous / Next: the list message turns to that page, for whoever pressed it; the index may have changed since. */
export const sourcesPageButton: ButtonHandler = {
  prefix: PAGE_PREFIX,
  async execute(interaction, [page = "1", ...rest], deps) {
    // A search may itself hold ":", which split the custom id.
    const search = rest.join(":");
    const shown = sourcesPage(deps.core.info(), { search, page: Number.parseInt(page, 10) || 1 });
    await interaction.update({ content: shown.content, components: pageButtons(shown, search), allowedMentions: NO_MENTIONS });
  },
};
