import { describe, expect, it } from "vitest";
import { MAX_CLAIMS, parseLlmAnswer } from "../../src/llm/schema.js";

const claim = { marker: 1, passageId: "a#p1", quote: "some exact words", source: "Bloomberg" };

describe("parsing the model's reply", () => {
  it("reads a bare JSON object", () => {
    expect(parseLlmAnswer(JSON.stringify({ answer: "ok [1]", claims: [claim] }))).toEqual({
      ok: true,
      value: { answer: "ok [1]", claims: [claim], rejected: { count: 0, notes: [] } },
    });
  });

  it("reads the object inside a ```json fence or with prose around it", () => {
    const body = JSON.stringify({ answer: "ok [1]", claims: [claim] });
    expect(parseLlmAnswer(`\`\`\`json\n${body}\n\`\`\``)).toMatchObject({ ok: true, value: { answer: "ok [1]" } });
    expect(parseLlmAnswer(`Sure! ${body} Anything else?`)).toMatchObject({ ok: true, value: { claims: [claim] } });
  });

  it("accepts a marker given as a string and a missing or null source", () => {
    const parsed = parseLlmAnswer(
      JSON.stringify({
        answer: "a",
        claims: [
          { marker: "2", passageId: "a#p1", quote: "q q q" },
          { ...claim, source: null },
        ],
      }),
    );
    expect(parsed).toMatchObject({
      ok: true,
      value: {
        claims: [
          { marker: 2, source: "" },
          { marker: 1, source: "" },
        ],
      },
    });
  });

  it("drops a malformed claim on its own and says why", () => {
    const parsed = parseLlmAnswer(JSON.stringify({ answer: "a", claims: [claim, { marker: 0, passageId: "a#p1", quote: "q" }, "not a claim"] }));
    expect(parsed).toMatchObject({ ok: true, value: { claims: [claim], rejected: { count: 2 } } });
    if (!parsed.ok) throw new Error("unreachable");
    expect(parsed.value.rejected.notes).toEqual([
      expect.stringMatching(/^claim 2 is malformed \(marker: .*\): dropped$/),
      expect.stringMatching(/^claim 3 is malformed \(claim: Expected object, received string\): dropped$/),
    ]);
  });

  it(`reads at most ${MAX_CLAIMS} claims and counts the rest as dropped`, () => {
    const parsed = parseLlmAnswer(JSON.stringify({ answer: "a", claims: Array.from({ length: MAX_CLAIMS + 5 }, (_, i) => ({ ...claim, marker: i + 1 })) }));
    expect(parsed).toMatchObject({ ok: true, value: { rejected: { count: 5, notes: [`5 claim(s) beyond the first ${MAX_CLAIMS}: dropped`] } } });
    if (parsed.ok) expect(parsed.value.claims).toHaveLength(MAX_CLAIMS);
  });

  it("rejects a reply that is not JSON, is cut off, or has the wrong shape", () => {
    expect(parseLlmAnswer("I refuse.")).toEqual({ ok: false, reason: "no JSON object in the reply" });
    expect(parseLlmAnswer('{"answer": "x", "claims": [')).toEqual({ ok: false, reason: "malformed JSON (the object is never closed)" });
    expect(parseLlmAnswer('{"answer": "x", claims: []}')).toMatchObject({ ok: false, reason: expect.stringMatching(/^malformed JSON \(/) });
    expect(parseLlmAnswer('{"answer": 3, "claims": []}')).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^reply does not match the schema \(answer: /),
    });
    expect(parseLlmAnswer('{"answer": "x"}')).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^reply does not match the schema \(claims: Required\)/),
    });
  });

  it("reads the model's verdict, and none from a reply that gives none", () => {
    expect(parseLlmAnswer(JSON.stringify({ answerable: true, reason: "", answer: "ok [1]", claims: [claim] }))).toMatchObject({
      ok: true,
      value: { verdict: { answerable: true, reason: "" } },
    });
    const legacy = parseLlmAnswer(JSON.stringify({ answer: "ok [1]", claims: [claim] }));
    expect(legacy.ok && "verdict" in legacy.value).toBe(false);
  });

  it("takes yes and no in words as a verdict, and a no needs no answer or claims", () => {
    expect(parseLlmAnswer('{"answerable": "Yes", "answer": "ok", "claims": []}')).toMatchObject({ ok: true, value: { verdict: { answerable: true } } });
    expect(parseLlmAnswer('{"answerable": "no", "reason": " The passages give no date. "}')).toEqual({
      ok: true,
      value: { answer: "", claims: [], rejected: { count: 0, notes: [] }, verdict: { answerable: false, reason: "The passages give no date." } },
    });
    expect(parseLlmAnswer('{"answerable": false, "reason": null, "answer": null, "claims": null}')).toMatchObject({
      ok: true,
      value: { verdict: { answerable: false, reason: "" } },
    });
  });

  it("rejects a verdict that is neither yes nor no, and a yes without an answer", () => {
    expect(parseLlmAnswer('{"answerable": "maybe", "answer": "x", "claims": []}')).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^reply does not match the schema \(answerable: /),
    });
    expect(parseLlmAnswer('{"answerable": true, "reason": ""}')).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^reply does not match the schema \(answer: Required\)/),
    });
  });
});
