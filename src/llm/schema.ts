import { z } from "zod";

/** Most claims read from one reply; the rest are dropped (a model looping on claims must not cost us). */
export const MAX_CLAIMS = 20;

/** One claim: the marker it has in the prose, the passage it cites, the verbatim quote, and who said it. */
export const llmClaimSchema = z.object({
  marker: z.coerce.number().int().positive(),
  passageId: z.string().trim().min(1),
  quote: z.string(),
  // Models write `null` or leave it out when the passage names no one.
  source: z
    .string()
    .nullish()
    .transform((s) => s ?? ""),
});

/** `true`, `"true"` and `"yes"` (any case) are true; `false`, `"false"` and `"no"` are false; models write all of them. */
const verdictFlag = z.preprocess((v) => {
  if (typeof v !== "string") return v;
  const w = v.trim().toLowerCase();
  return w === "true" || w === "yes" ? true : w === "false" || w === "no" ? false : v;
}, z.boolean());

/**
 * What the model must return: its verdict on whether the passages answer the question (prompt v3 on;
 * replies to older prompts have none), prose with [n] markers, and one claim per marker. The reply as
 * a whole must match; a claim that does not is dropped on its own (and reported), the rest still count.
 */
export const llmAnswerSchema = z.object({
  answerable: verdictFlag.optional(),
  reason: z.string().nullish(),
  answer: z.string(),
  claims: z.array(z.unknown()),
});

/**
 * The same reply, fully typed and described, as the structured-output request sends it (the tool's
 * parameters). Parsing stays with the lenient {@link llmAnswerSchema}, so one bad claim costs only itself.
 */
export const llmReplyShape = z
  .object({
    answerable: z.boolean().describe("true only if the passages state the fact the question asks for"),
    reason: z.string().describe("when not answerable: what the passages lack, in one short sentence; else empty"),
    answer: z.string().describe("2-4 sentences with [n] markers; empty when not answerable"),
    claims: z
      .array(
        z.object({
          marker: z.number().int().describe("the [n] marker in the answer, numbered from 1"),
          passageId: z.string().describe("the id attribute of the passage quoted, copied exactly"),
          quote: z.string().describe("at least three consecutive words copied exactly from that passage"),
          source: z.string().describe("who the passage says made the statement, or empty"),
        }),
      )
      .describe("one claim per marker; empty when not answerable"),
  })
  .describe("An answer to the question from the passages, each claim backed by a verbatim quote, or a verdict that they do not answer it");

export type LlmClaim = z.infer<typeof llmClaimSchema>;

/** The model's own verdict on whether the retrieved passages answer the question. */
export interface LlmVerdict {
  answerable: boolean;
  /** Why not, in the model's words (scrubbed before it is shown); empty when it gave none. */
  reason: string;
}

export interface LlmAnswer {
  answer: string;
  claims: LlmClaim[];
  /** Claims left out before verification (malformed, or beyond MAX_CLAIMS), and why. */
  rejected: { count: number; notes: string[] };
  /** Absent when the reply carries no verdict (a reply to prompt v1 or v2). */
  verdict?: LlmVerdict;
}

export type ParsedReply = { ok: true; value: LlmAnswer } | { ok: false; reason: string };

/**
 * Parse a model reply: the JSON object alone, or inside a ```json fence, or with text around it.
 * Anything else (no object, malformed JSON, wrong shape) is `ok: false` with a short reason.
 */
export function parseLlmAnswer(text: string): ParsedReply {
  const fenced = /```(?:json)?\s*([\s\S]*?)```/i.exec(text);
  const body = fenced ? fenced[1]! : text;
  const start = body.indexOf("{");
  const end = body.lastIndexOf("}");
  if (start < 0) return { ok: false, reason: "no JSON object in the reply" };
  if (end <= start) return { ok: false, reason: "malformed JSON (the object is never closed)" };
  let json: unknown;
  try {
    json = JSON.parse(body.slice(start, end + 1));
  } catch (err) {
    return { ok: false, reason: `malformed JSON (${(err as Error).message.split("\n")[0]})` };
  }
  // A "not answerable" verdict needs no answer or claims: a model that leaves them out still said what it meant.
  if (json && typeof json === "object" && !Array.isArray(json)) {
    const o = json as Record<string, unknown>;
    if (verdictFlag.safeParse(o["answerable"]).data === false) json = { ...o, answer: o["answer"] ?? "", claims: o["claims"] ?? [] };
  }
  const parsed = llmAnswerSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, reason: `reply does not match the schema (${issue?.path.join(".") || "root"}: ${issue?.message})` };
  }
  const claims: LlmClaim[] = [];
  const rejected = { count: 0, notes: [] as string[] };
  parsed.data.claims.slice(0, MAX_CLAIMS).forEach((raw, i) => {
    const claim = llmClaimSchema.safeParse(raw);
    if (claim.success) return void claims.push(claim.data);
    rejected.count += 1;
    rejected.notes.push(`claim ${i + 1} is malformed (${claim.error.issues[0]?.path.join(".") || "claim"}: ${claim.error.issues[0]?.message}): dropped`);
  });
  const extra = parsed.data.claims.length - MAX_CLAIMS;
  if (extra > 0) {
    rejected.count += extra;
    rejected.notes.push(`${extra} claim(s) beyond the first ${MAX_CLAIMS}: dropped`);
  }
  const { answerable, reason } = parsed.data;
  const verdict = answerable === undefined ? {} : { verdict: { answerable, reason: reason?.trim() ?? "" } };
  return { ok: true, value: { answer: parsed.data.answer, claims, rejected, ...verdict } };
}
