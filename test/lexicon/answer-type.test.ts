import { describe, expect, it } from "vitest";
import { answerTypeOf, disclaimsKind, findAnswerType, unitMatches, type AnswerKind } from "../../src/lexicon/answer-type.js";

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
    ["Where did the central bank leave its policy rate?", "quantity"],
    ["where did the index close on friday", "quantity"],
    ["Where does the opposition stand on the pension reform?", "other"],
    ["Which city hosts the final?", "place"],
    ["What caused the closure in 1993?", "cause"],
    ["Why did the ministry revoke the licence?", "cause"],
    ["Under what condition would the union cancel the strike?", "condition"],
    ["Which railway sectors should be restored?", "name"],
    ["In which peer-reviewed journal will the analysis be published?", "name"],
    ["What is Kudiflow valued at after the round?", "money"],
    ["How quickly will the plant be running again?", "duration"],
    ["What did the minister say about the bridge?", "other"],
    ["On what exact date will the auction be held?", "date", "day"],
    ["On what dates will the ministry hold the meetings?", "date", "day"],
    ["Which days of the week will the airline fly?", "date", "day"],
    // "how much" with a noun of something other than money asks for an amount of it.
    ["How much solar capacity had Manila put on offer in the auction?", "quantity"],
    ["How much will the mackerel cut cost the Faroese industry?", "money"],
    ["How much revenue does the company expect to lose?", "money"],
    ["What does the wildfire agency spend on its spring patrols?", "money"],
    ["What figure did the Kremlin leader give for trade turnover in 2024?", "quantity"],
    // "when" after another wh-word is a conjunction, not what is asked.
    ["What was the vote count when the Sabor passed the housing law?", "other"],
    ["And when did the two leaders meet?", "date"],
    ["What was Armenia–Russia trade turnover in 2023?", "money"],
    ["Above what rate of rise might the tidal flats not keep up?", "quantity"],
    ["What did the union leader say about how long the strike would last?", "other"],
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
    ["money", "The cut would cost the industry between 300 and 400 million Danish kroner.", "400 million Danish kroner"],
    ["money", "Households paid on average about 0.62 Caribbean guilders per kilowatt-hour.", "0.62 Caribbean guilders"],
    ["quantity", "The warning time was sometimes less than an hour.", "an hour"],
    ["quantity", "The companies might have to give up as much as a quarter of their spectrum.", "a quarter"],
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

describe("a sentence that says the asked fact was not given", () => {
  const words = (q: string) => new Set(q.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []);
  it.each<[string, string]>([
    ["How much did the replacement cost?", "The company had to replace 9,000 terminals, though she would not say how much the replacement cost."],
    ["On what dates will the meetings be held?", "The ministry said it would hold meetings in August, but no dates have been announced."],
    ["Which mines have contracts expiring?", "She said four large operations had contracts expiring next year, although she did not name them."],
    [
      "Which Chinese customers have booked space?",
      "The companies did not say which shipping lines would carry containers, or whether any large Chinese or European customers had booked space.",
    ],
    ["When will the target be reached?", "Officials want 20 launches a year, though they have not said when that target would be reached."],
  ])("%s: %s", (question, sentence) => {
    expect(disclaimsKind(answerTypeOf(question), sentence, words(question))).toBe(true);
  });

  it("still lets a sentence answer that gives the fact after all, or disclaims another kind", () => {
    const cost = "How much do analysts think the project will cost?";
    expect(
      disclaimsKind(
        answerTypeOf(cost),
        "Officials did not give a cost estimate, though analysts put it at between $900 million and $1.6 billion.",
        words(cost),
      ),
    ).toBe(false);
    const raised = "How much did the company raise?";
    expect(disclaimsKind(answerTypeOf(raised), "The company raised $62 million, but did not say when it would list.", words(raised))).toBe(false);
    const when = "When will the company list?";
    expect(disclaimsKind(answerTypeOf(when), "The company raised $62 million, but did not say when it would list.", words(when))).toBe(true);
  });

  it("tells, for the answerability model, a sentence that says some fact of any kind was not given, with the same negations and curly apostrophes", () => {
    expect(disclaimsKind("any", "The ministry did not disclose the terms of the deal.")).toBe(true);
    expect(disclaimsKind("any", "The company hasn’t announced a date for the listing.")).toBe(true);
    expect(disclaimsKind("any", "No timetable has been agreed.")).toBe(true);
    expect(disclaimsKind("any", "The ministry said the deal was worth $2 billion.")).toBe(false);
  });

  it("takes a plural weekday as a day", () => {
    expect(findAnswerType({ kind: "date", unit: "day" }, "The airline will fly on Mondays and Thursdays.", none)).toBeDefined();
    expect(findAnswerType({ kind: "date", unit: "day" }, "The auction will be held in the second half of 2026.", none)).toBeUndefined();
  });
});

describe("the time of a date", () => {
  it("does not answer when something will happen with a date that lies behind", () => {
    const ahead = new Set(["when", "will", "the", "terminals", "arrive"]);
    expect(findAnswerType({ kind: "date" }, "It replaced 9,000 terminals last year.", ahead)).toBeUndefined();
    expect(findAnswerType({ kind: "date" }, "New terminals arrive next year.", ahead)).toBeDefined();
    expect(findAnswerType({ kind: "date" }, "It replaced 9,000 terminals last year.", new Set(["when", "did", "it", "replace", "terminals"]))).toBeDefined();
  });
});
