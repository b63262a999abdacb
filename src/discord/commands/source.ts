import { randomBytes } from "node:crypto";
import { unlink } from "node:fs/promises";
import path from "node:path";
import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  MessageFlags,
  SlashCommandBuilder,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
} from "discord.js";
import { articleLabel } from "../../answer/format.js";
import { AppError } from "../../errors.js";
import { PUBLIC_ONLY } from "../../import/address.js";
import { readSource, readUpload, type ImportedArticle, type ImportSettings } from "../../import/source.js";
import { articleId, writeArticles } from "../../import/write.js";
import { MODERATORS, NO_MENTIONS, requireModerator, UserError, type BotDeps, type ButtonHandler, type Command } from "../command.js";
import { fitMessage } from "../limits.js";
import { codeSpan, escapeText, truncate } from "../render.js";
import type { ReindexSummary } from "../../index/build.js";

/** How long a preview's Confirm button stays valid. */
const PREVIEW_TTL_MS = 15 * 60 * 1000;
/** Characters of the article's opening shown in the preview. */
const PREVIEW_CHARS = 400;
/**
 * Most characters of one field (title, publisher, link, notes) shown in a preview or reply. A page
 * chooses these freely (a 12 KB <title>); five of them and the opening stay under Discord's 2,000.
 */
const FIELD_CHARS = 240;

/** A preview waiting for Confirm: what would be written, for whom. Kept in memory; a restart forgets it. */
interface Pending {
  article: ImportedArticle;
  id: string;
  userId: string;
  expires: number;
}

/** Previews by key (the key is in the buttons' custom ids). */
const pending = new Map<string, Pending>();

/** Import settings for chat: the same limits as the CLI, and only public addresses unless SOURCE_ADD_ALLOW_PRIVATE. */
function settingsOf(deps: BotDeps): ImportSettings {
  const guard = deps.config.SOURCE_ADD_ALLOW_PRIVATE ? undefined : PUBLIC_ONLY;
  return { fetch: { timeoutMs: deps.config.IMPORT_TIMEOUT_MS, maxBytes: deps.config.IMPORT_MAX_BYTES, maxRedirects: deps.config.IMPORT_MAX_REDIRECTS, guard } };
}

export const sourceCommand: Command = {
  data: new SlashCommandBuilder()
    .setName("source")
    .setDescription("Add or remove articles (moderators)")
    .setDefaultMemberPermissions(MODERATORS)
    .addSubcommand((s) =>
      s
        .setName("add")
        .setDescription("Add an article from a link or an uploaded .txt, .md or .html file; you see a preview first")
        .addStringOption((o) => o.setName("url").setDescription("http(s) link to the article"))
        .addAttachmentOption((o) => o.setName("file").setDescription("a .txt (with an optional url:/title:/publisher:/published: header), .md or .html file")),
    )
    .addSubcommand((s) =>
      s
        .setName("remove")
        .setDescription("Remove an article from the sources")
        .addStringOption((o) => o.setName("id").setDescription("Article id, as /sources shows it").setRequired(true).setAutocomplete(true)),
    ),

  async execute(interaction: ChatInputCommandInteraction, deps: BotDeps) {
    requireModerator(interaction, "add or remove sources");
    if (interaction.options.getSubcommand() === "remove") return remove(interaction, deps);
    const url = interaction.options.getString("url")?.trim();
    const file = interaction.options.getAttachment("file");
    if ((url ? 1 : 0) + (file ? 1 : 0) !== 1) throw new UserError("not_found", "Give either `url:` or `file:` (one of them) to add a source.");
    if (url && !/^https?:\/\/\S+$/i.test(url)) throw new UserError("not_found", "That is not an http(s) link.");
    if (file && file.size > deps.config.IMPORT_MAX_BYTES)
      throw new UserError(
        "too_long",
        `\`${field(file.name)}\` is ${(file.size / 1024 / 1024).toFixed(1)} MB; the limit is ${(deps.config.IMPORT_MAX_BYTES / 1024 / 1024).toFixed(1)} MB.`,
      );
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const result = url ? await readSource(url, {}, settingsOf(deps)) : await readUpload(file!.name, file!.url, {}, settingsOf(deps));
    if ("problem" in result) throw new UserError("not_found", `I couldn't add ${url ? link(url) : `\`${field(file!.name)}\``}: ${escapeText(result.problem)}.`);
    const id = articleId(result);
    const existing = deps.core.info().articles.find((a) => a.id === id);
    if (existing)
      throw new UserError(
        "not_found",
        `An article with id \`${id}\` is already a source (${field(existing.title || existing.file)}). Remove it first with \`/source remove\` to replace it.`,
      );
    for (const [k, p] of pending) if (p.expires < Date.now()) pending.delete(k);
    const key = randomBytes(6).toString("hex");
    pending.set(key, { article: result, id, userId: interaction.user.id, expires: Date.now() + PREVIEW_TTL_MS });
    const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
      new ButtonBuilder().setCustomId(`source:confirm:${key}`).setLabel("Confirm").setStyle(ButtonStyle.Primary),
      new ButtonBuilder().setCustomId(`source:cancel:${key}`).setLabel("Cancel").setStyle(ButtonStyle.Secondary),
    );
    await interaction.editReply(fitMessage({ content: preview(result, id), components: [row.toJSON()], allowedMentions: NO_MENTIONS }));
    deps.log.info({ user: interaction.user.id, id, source: result.source }, "discord: /source add preview");
  },

  async autocomplete(interaction: AutocompleteInteraction, deps: BotDeps) {
    const focused = interaction.options.getFocused().toLowerCase();
    const ids = deps.core
      .info()
      .articles.map((a) => a.id)
      .filter((id) => id.toLowerCase().includes(focused) && id.length <= 100)
      .sort()
      .slice(0, 25);
    await interaction.respond(ids.map((id) => ({ name: id, value: id })));
  },
};

/** What the moderator confirms: title, publisher, date, link and the opening lines. */
function preview(a: ImportedArticle, id: string): string {
  const head = [
    "**Add this source?**",
    `**Title:** ${field(a.title || "(none found)")}`,
    `**Publisher:** ${field(a.publisher || "(unknown)")}`,
    `**Published:** ${a.published || "(unknown)"}`,
    `**Link:** ${link(a.url)}`,
    `**Id:** \`${id}\` · ${a.body.split(/\s+/).length} words${a.notes.length ? ` · ${field(a.notes.join("; "))}` : ""}`,
  ];
  const opening = truncate(a.body, PREVIEW_CHARS)
    .split("\n")
    .filter(Boolean)
    .map((l) => `> ${escapeText(l)}`);
  return [...head, ...opening].join("\n");
}

/** A field of the page, inert and short. */
function field(text: string): string {
  return escapeText(truncate(text, FIELD_CHARS));
}

/** A link shown whole, or not at all: a cut URL would lead somewhere else. */
function link(url: string): string {
  if (!url) return "(none)";
  return url.length <= FIELD_CHARS ? `<${url}>` : `(${url.length} characters, too long to show)`;
}

/** Confirm writes the article and re-indexes; Cancel forgets the preview. Only the moderator who asked may press them. */
export const sourceButton: ButtonHandler = {
  prefix: "source",
  async execute(interaction: ButtonInteraction, [action = "", key = ""], deps: BotDeps) {
    requireModerator(interaction, "add or remove sources");
    const p = pending.get(key);
    if (!p || p.expires < Date.now()) throw new UserError("expired", "That preview has expired; run `/source add` again.");
    if (p.userId !== interaction.user.id) throw new UserError("not_allowed", "Only the moderator who asked for this preview can confirm or cancel it.");
    pending.delete(key);
    if (action === "cancel") {
      await interaction.update(fitMessage({ content: "Cancelled: nothing was added.", components: [], allowedMentions: NO_MENTIONS }));
      return;
    }
    if (action !== "confirm") throw new UserError("expired", "That button is not one I know.");
    const { written, skipped } = await writeArticles(deps.config.corpusDir, [p.article], { force: false, id: p.id });
    if (written.length === 0) throw new UserError("not_found", `Not added: ${escapeText(skipped[0]?.problem ?? "the article could not be written")}.`);
    await interaction.update(
      fitMessage({
        content: `⏳ Added \`${p.id}\` to the corpus; re-indexing (questions are answered from the current index until it is done)…`,
        components: [],
        allowedMentions: NO_MENTIONS,
      }),
    );
    deps.log.info({ user: interaction.user.id, id: p.id, file: written[0]!.file }, "discord: /source add confirmed");
    const summary = await reindex(deps);
    await interaction.editReply(
      fitMessage({
        content: `✅ Added **${field(articleLabel(p.article.title, p.id))}** (\`${p.id}\`). ${summaryText(summary)}`,
        allowedMentions: NO_MENTIONS,
      }),
    );
  },
};

async function remove(interaction: ChatInputCommandInteraction, deps: BotDeps): Promise<void> {
  const id = interaction.options.getString("id", true).trim();
  const article = deps.core.info().articles.find((a) => a.id === id);
  if (!article) throw new UserError("not_found", `No source has the id ${codeSpan(id)}. Use the autocomplete, or \`/sources\`.`);
  const file = path.resolve(deps.config.corpusDir, article.file);
  if (!file.startsWith(deps.config.corpusDir + path.sep))
    throw new UserError("not_found", `\`${id}\` is not a file in the corpus folder, so I won't delete it.`);
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  try {
    await unlink(file);
  } catch (err) {
    throw new UserError("not_found", `I couldn't delete \`${escapeText(article.file)}\`: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}.`);
  }
  deps.log.info({ user: interaction.user.id, id, file: article.file }, "discord: /source remove");
  await interaction.editReply(fitMessage({ content: `⏳ Removed \`${id}\` from the corpus; re-indexing…`, allowedMentions: NO_MENTIONS }));
  const summary = await reindex(deps);
  await interaction.editReply(
    fitMessage({ content: `✅ Removed **${field(articleLabel(article.title, id))}** (\`${id}\`). ${summaryText(summary)}`, allowedMentions: NO_MENTIONS }),
  );
}

async function reindex(deps: BotDeps): Promise<ReindexSummary> {
  try {
    return await deps.core.reindex();
  } catch (err) {
    if (err instanceof AppError && err.code === "INDEX_BUSY")
      throw new UserError("busy", "The file is saved, but a rebuild was already running; run `/reindex` when it finishes to include it.");
    throw err;
  }
}

function summaryText(s: ReindexSummary): string {
  return `The index now has ${s.articles} articles and ${s.passages} passages (rebuilt in ${(s.ms / 1000).toFixed(1)} s).`;
}
