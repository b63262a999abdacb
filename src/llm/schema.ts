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

/**
 * What the model must return: prose with [n] markers, and one claim per marker. The reply as a whole
 * must match; a claim that does not is dropped on its own (and reported), the rest still count.
 */
export const llmAnswerSchema = z.object({
  answer: z.string(),
  claims: z.array(z.unknown()),
});

export type LlmClaim = z.infer<typeof llmClaimSchema>;

export interface LlmAnswer {
  answer: string;
  claims: LlmClaim[];
  /** Claims left out before verification (malformed, or beyond MAX_CLAIMS), and why. */
  rejected: { count: number; notes: string[] };
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
  return { ok: true, value: { answer: parsed.data.answer, claims, rejected } };
}
