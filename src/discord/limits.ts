import type { APIActionRowComponent, APIComponentInMessageActionRow, APIEmbed } from "discord.js";
import { truncate } from "../answer/format.js";

/** One truncation for every surface: `answer/format.ts` owns it. */
export { truncate };

/**
 * What Discord accepts in one message, in characters (UTF-16 code units, as Discord counts them) or
 * items. A payload over any of these is rejected whole, and the user would see only an error.
 */
export const DISCORD_LIMITS = {
  content: 2000,
  embeds: 10,
  embedTitle: 256,
  embedDescription: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  author: 256,
  /** Title, description, field names and values, footer and author name of every embed of one message, together. */
  embedTotal: 6000,
  actionRows: 5,
  rowComponents: 5,
  buttonLabel: 80,
} as const;

/** Something the JSON form can be taken from (discord.js builders), or the JSON itself. */
type Encodable<T> = T | { toJSON(): T };

/** The parts of a message payload Discord bounds. Other options pass through untouched. */
export interface BoundedParts {
  content?: string | null | undefined;
  embeds?: ReadonlyArray<Encodable<APIEmbed>> | undefined;
  components?: ReadonlyArray<Encodable<APIActionRowComponent<APIComponentInMessageActionRow>>> | undefined;
}

/**
 * A message payload cut to fit every one of Discord's limits: each text field truncated, surplus
 * embeds, fields, rows and buttons dropped, and embed text shortened from the last embed backwards
 * until the message's total fits. The one check every payload passes before it is sent; pure.
 */
export function fitMessage<T extends BoundedParts>(payload: T): T {
  const out: BoundedParts = { ...payload };
  if (typeof payload.content === "string") out.content = truncate(payload.content, DISCORD_LIMITS.content);
  if (payload.embeds) out.embeds = fitEmbeds(payload.embeds.slice(0, DISCORD_LIMITS.embeds).map(json));
  if (payload.components) {
    out.components = payload.components.slice(0, DISCORD_LIMITS.actionRows).map((row) => {
      const r = json(row);
      return {
        ...r,
        components: r.components
          .slice(0, DISCORD_LIMITS.rowComponents)
          .map((c) => ("label" in c && typeof c.label === "string" ? { ...c, label: truncate(c.label, DISCORD_LIMITS.buttonLabel) } : c)),
      };
    });
  }
  return out as T;
}

/** Every limit a payload breaks, as `content: 2345 > 2000`; empty when it fits. */
export function messageProblems(payload: BoundedParts): string[] {
  const problems: string[] = [];
  const check = (what: string, n: number, max: number) => {
    if (n > max) problems.push(`${what}: ${n} > ${max}`);
  };
  check("content", payload.content?.length ?? 0, DISCORD_LIMITS.content);
  const embeds = (payload.embeds ?? []).map(json);
  check("embeds", embeds.length, DISCORD_LIMITS.embeds);
  embeds.forEach((e, i) => {
    check(`embeds[${i}].title`, e.title?.length ?? 0, DISCORD_LIMITS.embedTitle);
    check(`embeds[${i}].description`, e.description?.length ?? 0, DISCORD_LIMITS.embedDescription);
    check(`embeds[${i}].footer`, e.footer?.text.length ?? 0, DISCORD_LIMITS.footer);
    check(`embeds[${i}].author`, e.author?.name.length ?? 0, DISCORD_LIMITS.author);
    check(`embeds[${i}].fields`, e.fields?.length ?? 0, DISCORD_LIMITS.fields);
    (e.fields ?? []).forEach((f, j) => {
      check(`embeds[${i}].fields[${j}].name`, f.name.length, DISCORD_LIMITS.fieldName);
      check(`embeds[${i}].fields[${j}].value`, f.value.length, DISCORD_LIMITS.fieldValue);
    });
  });
  check(
    "embed total",
    embeds.reduce((n, e) => n + embedLength(e), 0),
    DISCORD_LIMITS.embedTotal,
  );
  const rows = (payload.components ?? []).map(json);
  check("action rows", rows.length, DISCORD_LIMITS.actionRows);
  rows.forEach((r, i) => {
    check(`components[${i}]`, r.components.length, DISCORD_LIMITS.rowComponents);
    r.components.forEach((c, j) => {
      if ("label" in c && typeof c.label === "string") check(`components[${i}][${j}].label`, c.label.length, DISCORD_LIMITS.buttonLabel);
    });
  });
  return problems;
}

function json<T>(x: Encodable<T>): T {
  return typeof x === "object" && x !== null && "toJSON" in x && typeof x.toJSON === "function" ? x.toJSON() : (x as T);
}

function embedLength(e: APIEmbed): number {
  return (
    (e.title?.length ?? 0) +
    (e.description?.length ?? 0) +
    (e.footer?.text.length ?? 0) +
    (e.author?.name.length ?? 0) +
    (e.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0)
  );
}

function fitEmbeds(embeds: APIEmbed[]): APIEmbed[] {
  const fitted = embeds.map((e): APIEmbed => {
    const out: APIEmbed = { ...e };
    if (e.title !== undefined) out.title = truncate(e.title, DISCORD_LIMITS.embedTitle);
    if (e.description !== undefined) out.description = truncate(e.description, DISCORD_LIMITS.embedDescription);
    if (e.footer) out.footer = { ...e.footer, text: truncate(e.footer.text, DISCORD_LIMITS.footer) };
    if (e.author) out.author = { ...e.author, name: truncate(e.author.name, DISCORD_LIMITS.author) };
    if (e.fields)
      out.fields = e.fields
        .slice(0, DISCORD_LIMITS.fields)
        .map((f) => ({ ...f, name: truncate(f.name, DISCORD_LIMITS.fieldName), value: truncate(f.value, DISCORD_LIMITS.fieldValue) }));
    return out;
  });
  // Over the message total: the last embeds give way first, fields before the description, so the opening stays whole.
  let excess = fitted.reduce((n, e) => n + embedLength(e), 0) - DISCORD_LIMITS.embedTotal;
  for (let i = fitted.length - 1; i >= 0 && excess > 0; i--) {
    const e = fitted[i]!;
    while (excess > 0 && e.fields && e.fields.length > 0) {
      const f = e.fields.pop()!;
      excess -= f.name.length + f.value.length;
    }
    for (const part of ["description", "footer", "title", "author"] as const) {
      if (excess <= 0) break;
      const text = part === "footer" ? e.footer?.text : part === "author" ? e.author?.name : e[part];
      if (!text) continue;
      // Discord requires these to be non-empty when present: keep at least an ellipsis.
      const kept = truncate(text, Math.max(1, text.length - excess));
      excess -= text.length - kept.length;
      if (part === "footer") e.footer = { ...e.footer!, text: kept };
      else if (part === "author") e.author = { ...e.author!, name: kept };
      else e[part] = kept;
    }
  }
  return fitted;
}
