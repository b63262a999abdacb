import { ActionRowBuilder, ButtonBuilder, ButtonStyle, EmbedBuilder } from "discord.js";
import { describe, expect, it } from "vitest";
import { DISCORD_LIMITS, fitMessage, messageProblems } from "../../src/discord/limits.js";

const long = (n: number, word = "word ") => word.repeat(Math.ceil(n / word.length)).slice(0, n);

describe("bounding Discord payloads", () => {
  it("names every limit an oversized payload breaks", () => {
    const embed = {
      title: long(300),
      description: long(5000),
      footer: { text: long(2100) },
      author: { name: long(300) },
      fields: Array.from({ length: 30 }, () => ({ name: long(300), value: long(1100) })),
    };
    const row = { type: 1, components: Array.from({ length: 6 }, (_, i) => ({ type: 2, style: 1, custom_id: `b${i}`, label: long(100) })) };
    const problems = messageProblems({ content: long(2500), embeds: Array.from({ length: 11 }, () => embed), components: [row as never] });
    for (const p of [
      "content: 2500 > 2000",
      "embeds: 11 > 10",
      "embeds[0].title: 300 > 256",
      "embeds[0].description: 5000 > 4096",
      "embeds[0].footer: 2100 > 2048",
      "embeds[0].author: 300 > 256",
      "embeds[0].fields: 30 > 25",
      "embeds[0].fields[0].name: 300 > 256",
      "embeds[0].fields[0].value: 1100 > 1024",
      "components[0]: 6 > 5",
      "components[0][0].label: 100 > 80",
    ])
      expect(problems).toContain(p);
    expect(problems.some((p) => p.startsWith("embed total: "))).toBe(true);
  });

  it("cuts every field of an oversized payload, builders included, until nothing breaks a limit", () => {
    // Builders check each field on their own but not the message's total; JSON embeds are not checked at all.
    const built = new EmbedBuilder()
      .setTitle("Built")
      .setDescription(long(3000, "B "))
      .setFooter({ text: long(1000) });
    const embeds = [
      built,
      ...Array.from({ length: 11 }, (_, i) => ({
        title: long(400, `T${i} `),
        description: long(5000, `D${i} `),
        footer: { text: long(2100) },
        author: { name: long(300) },
        fields: Array.from({ length: 30 }, () => ({ name: long(300), value: long(1100) })),
      })),
    ];
    // The builder itself refuses a label over 80, so the label comes in as JSON, as another caller might send it.
    const row = new ActionRowBuilder<ButtonBuilder>().addComponents(new ButtonBuilder().setCustomId("ok").setLabel("Confirm").setStyle(ButtonStyle.Primary));
    const rowJson = { ...row.toJSON(), components: [{ ...row.toJSON().components[0]!, label: long(500) }] };
    const fitted = fitMessage({ content: long(12_000), embeds, components: [rowJson], allowedMentions: { parse: [] as [] } });
    expect(messageProblems(fitted)).toEqual([]);
    expect(fitted.content).toHaveLength(DISCORD_LIMITS.content);
    expect(fitted.content!.endsWith("…")).toBe(true);
    expect(fitted.embeds).toHaveLength(10);
    // The first embed's opening is kept; what gives way is at the end.
    expect(fitted.embeds![0]).toMatchObject({ title: "Built", description: long(3000, "B ") });
    expect(fitted.allowedMentions).toEqual({ parse: [] });
  });

  it("leaves a payload that fits as it is", () => {
    const payload = { content: "Short.", embeds: [{ title: "A", description: "B", fields: [{ name: "C", value: "D" }] }] };
    expect(fitMessage(payload)).toEqual(payload);
    expect(messageProblems(payload)).toEqual([]);
  });
});
