import { readFileSync } from "node:fs";
import path from "node:path";

/** A 20 MB article made of the real corpus's paragraphs, numbered so that none repeats exactly. */
export function bigArticle(corpusDir: string): string {
  const source = readFileSync(path.join(corpusDir, "kars-gyumri-railway-talks.md"), "utf8").split(/^---$/m)[2]!;
  const paragraphs = source
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter((p) => p.length > 80 && !p.startsWith("#"));
  const out: string[] = [];
  let size = 0;
  for (let i = 0; size < 20 * 1024 * 1024; i++) {
    const p = `In dispatch ${i + 1}, ${paragraphs[i % paragraphs.length]!}`;
    out.push(p);
    size += p.length + 2;
  }
  return `---\nid: big-archive\ntitle: 'A very large archive article'\npublisher: Test Wire\n---\n${out.join("\n\n")}\n`;
}
