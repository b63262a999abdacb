import { z } from "zod";

/** What the model must return: prose with [n] markers, and one claim per marker with its verbatim quote. */
export const llmAnswerSchema = z.object({
  answer: z.string(),
  claims: z
    .array(
      z.object({
        marker: z.coerce.number().int().positive(),
        passageId: z.string(),
        quote: z.string(),
        source: z.string().optional().default(""),
      }),
    )
    .max(20),
});

export type LlmAnswer = z.infer<typeof llmAnswerSchema>;

/** Parse a model reply: tolerate a ```json fence or text around the object; undefined when it isn't one. */
export function parseLlmAnswer(text: string): { ok: true; value: LlmAnswer } | { ok: false; reason: string } {
  const fenced = /```(?:json)?\s*([\s\S]*?)```/.exec(text);
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
  if (!parsed.success) return { ok: false, reason: `reply does not match the schema (${parsed.error.issues[0]?.path.join(".") || "root"}: ${parsed.error.issues[0]?.message})` };
  return { ok: true, value: parsed.data };
}
