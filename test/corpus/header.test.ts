import { describe, expect, it } from "vitest";
import { splitHeader } from "../../src/corpus/header.js";

describe("reading a metadata header", () => {
  it("takes url, title, publisher, published and author lines in any order, case and separator", () => {
    const { fields, rest, lines } = splitHeader(
      "URL = https://x.example/a\nHeadline: A day at the docks\nSite - Dock News\nDate: 15 March 2025\nBy: Ana Ruiz\n\nThe docks were busy.\n",
    );
    expect(fields).toEqual({ url: "https://x.example/a", title: "A day at the docks", publisher: "Dock News", published: "15 March 2025", author: "Ana Ruiz" });
    expect(lines).toBe(5);
    expect(rest.trim()).toBe("The docks were busy.");
  });

  it("leaves text without a header alone, and stops at the first line that is not a header", () => {
    expect(splitHeader("A headline\n\nBody.\n")).toEqual({ fields: {}, rest: "A headline\n\nBody.\n", lines: 0 });
    const { fields, rest } = splitHeader("title: Talks resume\nThe talks resumed: both sides said so.\n");
    expect(fields).toEqual({ title: "Talks resume" });
    expect(rest).toBe("The talks resumed: both sides said so.\n");
    // A url line must hold a URL, or it is text.
    expect(splitHeader("url: see below\n\nBody.").lines).toBe(0);
  });

  it("reads a Markdown file's front matter as YAML, keeping only the fields it knows", () => {
    const { fields, rest } = splitHeader("---\nid: old-id\ntitle: Harbour news\npublished: 2025-03-15\nurl: https://h.example/n\n---\nThe harbour reopened.\n");
    expect(fields).toEqual({ title: "Harbour news", published: "2025-03-15", url: "https://h.example/n" });
    expect(rest.trim()).toBe("The harbour reopened.");
  });
});
