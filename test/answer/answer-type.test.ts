import { describe, expect, it } from "vitest";
import { answerTypeOf, findAnswerType, unitMatches, type AnswerKind } from "../../src/answer/answer-type.js";

const none = new Set<string>();

describe("reading what kind of fact a question asks for", () => {
  it.each<[string, AnswerKind, string?]>([
    ["On what date did Erdogan speak at the congress?", "date"],
    ["The railway, when could it reopen?", "date"],
    ["How soon can the launch happen now?", "date"],
    ["How long has the line been closed?", "duration"],
    ["How long is the new tunnel in miles?", "distance", "miles"],
    ["How far is the port from the border?", "distance"],
    ["How much will the repairs cost?", "money"],
    ["What is the estimated cost of the delay?", "money"],
    ["What percentage of members voted yes?", "percentage"],
    ["How many trucks a day crossed?", "count"],
    ["What pay rise did the miners get?", "quantity"],
    ["Who is the mayor of Kars?", "person"],
    ["Which company runs the mine?", "organisation"],
    ["Who owns the mine?", "organisation"],
    ["Where was the summit held?", "place"],
    ["Which city hosts the final?", "place"],
    ["What caused the closure in 1993?", "cause"],
    ["Why did the ministry revoke the licence?", "cause"],
    ["Under what condition would the union cancel the strike?", "condition"],
    ["Which railway sectors should be restored?", "name"],
    ["In which peer-reviewed journal will the analysis be published?", "name"],
    ["What is Kudiflow valued at after the round?", "money"],
    ["How quickly will the plant be running again?", "duration"],
    ["What did the minister say about the bridge?", "other"],
  ])("%s → %s", (question, kind, unit) => {
    const t = answerTypeOf(question);
    expect(t.kind).toBe(kind);
    if (unit) expect(t.unit).toBe(unit);
  });
});

describe("finding the asked fact in a sentence", () => {
  it("matches an abbreviated month followed by a day (no word boundary after the full stop)", () => {
    const text = "Officials met on Nov. 28 at the border crossing.";
    const at = findAnswerType({ kind: "date" }, text, none)!;
    expect(text.slice(at.start, at.end)).toBe("Nov. 28");
  });

  it.each<[AnswerKind, string, string]>([
    ["money", "The mission was approved at a cost of 5.8 billion rupees.", "5.8 billion rupees"],
    ["money", "The company had spent 38 billion tenge on drilling.", "38 billion tenge"],
    ["percentage", "Workers will receive a real wage increase of 3.8% this year.", "3.8%"],
    ["count", "The crossing has been used twice for humanitarian purposes.", "twice"],
    ["duration", "Construction is due to take about 14 months.", "14 months"],
    ["distance", "The new bridge would be 160 metres long.", "160 metres"],
    ["cause", "The border closed following the war.", "following"],
    ["condition", "The union would call off the strike if the ministry withdrew the article.", "if"],
    ["person", "The talks were led by Governor Ercan Turan on Monday.", "Governor Ercan Turan"],
  ])("finds a %s in “%s”", (kind, text, expected) => {
    const at = findAnswerType({ kind }, text, none)!;
    expect(text.slice(at.start, at.end)).toBe(expected);
  });

  it("finds a name the question does not give, and not a sentence's first word", () => {
    const text = "The results appeared in Nature Geoscience on Monday.";
    const at = findAnswerType({ kind: "name" }, text, none)!;
    expect(text.slice(at.start, at.end)).toBe("Nature Geoscience");
    expect(findAnswerType({ kind: "name" }, "They include a Danish developer.", new Set(["danish", "developer"]))).toBeUndefined();
  });

  it("wants the date's grain: a day for 'on what date', a year for 'in what year'", () => {
    const day = answerTypeOf("On what date will parliament vote?");
    expect(day).toEqual({ kind: "date", unit: "day" });
    expect(findAnswerType(day, "The vote is expected later this month.", none)).toBeUndefined();
    expect(findAnswerType(day, "The vote is set for Nov. 28.", none)).toBeDefined();
    const year = answerTypeOf("In what year did the line close?");
    expect(findAnswerType(year, "The line closed in the spring.", none)).toBeUndefined();
    expect(findAnswerType(year, "The line closed in 1993.", none)).toBeDefined();
  });

  it("does not count a year as a count, nor a bare large number as money", () => {
    expect(findAnswerType({ kind: "count" }, "The fires burned in 2024.", none)).toBeUndefined();
    expect(findAnswerType({ kind: "money" }, "It places 12 million cubic metres of sand a year.", none)).toBeUndefined();
    expect(findAnswerType({ kind: "money" }, "The plan will cost 3.3 billion over a decade.", none)).toBeDefined();
  });

  it("does not take a figure the question itself gives as the answer", () => {
    expect(findAnswerType({ kind: "percentage" }, "Exports rose 12% this year.", new Set(["12"]))).toBeUndefined();
    expect(findAnswerType({ kind: "percentage" }, "Exports rose 12% this year.", none)).toBeDefined();
  });

  it("does not take the day something was said as the date asked for", () => {
    const ahead = new Set(["when", "will", "the", "plan", "be", "ready"]);
    expect(findAnswerType({ kind: "date" }, "The plan will be ready soon, the mayor said on Tuesday.", ahead)).toEqual({ start: 23, end: 27 }); // "soon"
    expect(findAnswerType({ kind: "date" }, "The plan was ready, the mayor said on Tuesday.", ahead)).toBeUndefined();
    // Asked when something happened, the day it was reported is a fair answer.
    expect(findAnswerType({ kind: "date" }, "The plan was ready, the mayor said on Tuesday.", new Set(["when", "was", "the", "plan", "ready"]))).toBeDefined();
    expect(findAnswerType({ kind: "date" }, "The mayor announced the plan in May.", none)).toBeDefined();
    expect(findAnswerType({ kind: "date" }, "The mayor announced the plan.", none)).toBeUndefined();
    expect(findAnswerType({ kind: "date" }, "The bridge will reopen on Tuesday.", none)).toBeDefined();
  });

  it("does not take a name the question itself gives as the answer to who", () => {
    expect(findAnswerType({ kind: "person" }, "Nikol Pashinyan spoke.", new Set(["nikol", "pashinyan"]))).toBeUndefined();
  });

  it("does not find a date in a sentence without one, nor anything for other questions", () => {
    expect(findAnswerType({ kind: "date" }, "The ministry said the talks were constructive.", none)).toBeUndefined();
    expect(findAnswerType({ kind: "other" }, "On Monday, 2025.", none)).toBeUndefined();
  });

  it("checks that the unit the question names is the one the figure uses", () => {
    expect(unitMatches({ kind: "distance", unit: "miles" }, "about 12 miles long")).toBe(true);
    expect(unitMatches({ kind: "distance", unit: "miles" }, "about 20 kilometres long")).toBe(false);
    expect(unitMatches({ kind: "distance" }, "about 20 kilometres long")).toBe(true);
  });
});
