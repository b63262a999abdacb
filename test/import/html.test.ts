import { describe, expect, it } from "vitest";
import { extractPage } from "../../src/import/html.js";

const para = "The council met on Monday and agreed a new budget for the harbour, the mayor said in a statement to reporters.";

describe("extracting an article from HTML", () => {
  it("keeps inline markup inside its paragraph, turns line breaks into spaces, and marks headings and captions", () => {
    const html = `<html><head><title>Budget agreed | Harbour News</title><meta property="og:title" content="Budget agreed"></head><body>
      <nav><a href="/">Home</a> <a href="/news">News</a></nav>
      <article><h1>Budget agreed</h1>
        <div>${para} <span>Officials</span> added that <em>repairs</em> would start soon.<br>Work begins in May.</div>
        <h2>What happens next</h2>
        <figure><img src="a.jpg" alt=""><figcaption>The harbour wall, seen from the pier.</figcaption></figure>
        <p>${para.replace("Monday", "Tuesday")}</p>
      </article></body></html>`;
    const page = extractPage(html, "https://harbour.example/budget");
    expect(page.title).toBe("Budget agreed");
    expect(page.url).toBe("https://harbour.example/budget");
    expect(page.body.split("\n\n")).toEqual([
      `${para} Officials added that repairs would start soon. Work begins in May.`,
      "## What happens next",
      "Caption: The harbour wall, seen from the pier.",
      para.replace("Monday", "Tuesday"),
    ]);
  });

  it("finds no article in a page of menus, rather than returning the menu", () => {
    expect(extractPage("<html><body><nav><a href='/'>Home</a><a href='/a'>About</a></nav></body></html>").body).toBe("");
  });
});
