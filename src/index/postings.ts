import type Database from "better-sqlite3";

/**
 * BM25's posting lists in a compact form of our own, written next to the FTS5 table from the same
 * terms. FTS5 hands a list over one row per occurrence through `fts5vocab` (about 0.6 µs each, 50k
 * of them an ask at 100k articles); here a term's list is a few blobs, read in one query each.
 *
 * A list is stored in chunks of up to `CHUNK` passages, in label order. A chunk is a sequence of
 * varint entries, one per passage: `(label − previous label) × 2 + plain` (the first entry's previous
 * label is 0), where plain (1) means the term is once in the text and not in the title; otherwise two
 * more varints follow, its count in the text and in the title. New passages always get larger labels
 * than any before, so a re-index only appends to a term's last chunk. A deleted passage's entries stay
 * until `vacuumPostings` drops them (its length is 0, so searches skip it); `term_docs` counts only
 * live passages.
 */
export const POSTINGS_SCHEMA = `
CREATE TABLE postings (term TEXT NOT NULL, first INTEGER NOT NULL, last INTEGER NOT NULL, count INTEGER NOT NULL, list BLOB NOT NULL, PRIMARY KEY (term, first)) STRICT;
CREATE TABLE term_docs (term TEXT PRIMARY KEY, docs INTEGER NOT NULL) STRICT, WITHOUT ROWID;
`;

/** Passages per chunk at most: a re-index rewrites a term's last chunk (up to about 12 KB). */
const CHUNK = 8192;
/** Labels stay below this, so that an entry's first varint fits in 31 bits. */
const MAX_LABEL = 2 ** 30;

/** Call `visit` for each entry of a chunk, in label order. */
export function forEachPosting(list: Uint8Array, visit: (label: number, text: number, title: number) => void): void {
  let label = 0;
  for (let i = 0; i < list.length; ) {
    let b = list[i++]!;
    let v = b & 0x7f;
    for (let s = 7; b & 0x80; s += 7) {
      b = list[i++]!;
      v |= (b & 0x7f) << s;
    }
    label += v >>> 1;
    if (v & 1) {
      visit(label, 1, 0);
      continue;
    }
    let text = 0;
    let title = 0;
    for (let s = 0; ; s += 7) {
      b = list[i++]!;
      text |= (b & 0x7f) << s;
      if (!(b & 0x80)) break;
    }
    for (let s = 0; ; s += 7) {
      b = list[i++]!;
      title |= (b & 0x7f) << s;
      if (!(b & 0x80)) break;
    }
    visit(label, text, title);
  }
}

/** A growing chunk being written. */
class Chunk {
  bytes = new Uint8Array(16);
  length = 0;
  constructor(
    readonly first: number,
    public last: number,
    public count: number,
  ) {}

  static from(row: { first: number; last: number; count: number; list: Uint8Array }): Chunk {
    const c = new Chunk(row.first, row.last, row.count);
    c.bytes = new Uint8Array(Math.max(16, row.list.length * 2));
    c.bytes.set(row.list);
    c.length = row.list.length;
    return c;
  }

  add(label: number, text: number, title: number): void {
    const plain = text === 1 && title === 0;
    this.varint((label - (this.count === 0 ? 0 : this.last)) * 2 + (plain ? 1 : 0));
    if (!plain) {
      this.varint(text);
      this.varint(title);
    }
    this.last = label;
    this.count += 1;
  }

  private varint(v: number): void {
    if (this.length + 5 > this.bytes.length) {
      const grown = new Uint8Array(this.bytes.length * 2);
      grown.set(this.bytes.subarray(0, this.length));
      this.bytes = grown;
    }
    while (v >= 0x80) {
      this.bytes[this.length++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    this.bytes[this.length++] = v;
  }
}

/**
 * Writes a build's posting lists as passages are added and removed, within the build's transactions.
 * Terms are the FTS table's tokens (`LexicalIndex.row`), space-joined, as for `passage_terms`.
 */
export class PostingWriter {
  /** Each touched term's last chunk, not yet written. */
  private readonly open = new Map<string, Chunk>();
  /** Change of each touched term's live passage count. */
  private readonly docs = new Map<string, number>();
  private readonly lastChunk: Database.Statement<[string], { first: number; last: number; count: number; list: Uint8Array }>;
  private readonly put: Database.Statement<[string, number, number, number, Uint8Array]>;
  private readonly addDocs: Database.Statement<[string, number]>;
  private readonly dropEmpty: Database.Statement;

  constructor(db: Database.Database) {
    this.lastChunk = db.prepare("SELECT first, last, count, list FROM postings WHERE term = ? ORDER BY first DESC LIMIT 1");
    this.put = db.prepare(
      "INSERT INTO postings(term, first, last, count, list) VALUES (?, ?, ?, ?, ?) ON CONFLICT(term, first) DO UPDATE SET last = excluded.last, count = excluded.count, list = excluded.list",
    );
    this.addDocs = db.prepare("INSERT INTO term_docs(term, docs) VALUES (?, ?) ON CONFLICT(term) DO UPDATE SET docs = docs + excluded.docs");
    this.dropEmpty = db.prepare("DELETE FROM term_docs WHERE docs <= 0");
  }

  /** A new passage (its label larger than any written before) with its text's and title's terms. */
  add(label: number, terms: string, titleTerms: string): void {
    if (label >= MAX_LABEL) throw new Error(`index: label ${label} is past the posting lists' range`);
    const counts = termCounts(terms, titleTerms);
    for (const [term, [text, title]] of counts) {
      let chunk = this.open.get(term);
      if (chunk === undefined) {
        const row = this.lastChunk.get(term);
        chunk = row && row.count < CHUNK ? Chunk.from(row) : new Chunk(label, label, 0);
        this.open.set(term, chunk);
      } else if (chunk.count >= CHUNK) {
        this.write(term, chunk);
        chunk = new Chunk(label, label, 0);
        this.open.set(term, chunk);
      }
      chunk.add(label, text, title);
      this.docs.set(term, (this.docs.get(term) ?? 0) + 1);
    }
  }

  /** A passage that is gone, with the terms it was added with: its entries stay, it no longer counts. */
  remove(terms: string, titleTerms: string): void {
    for (const term of termCounts(terms, titleTerms).keys()) this.docs.set(term, (this.docs.get(term) ?? 0) - 1);
  }

  /** Write every open chunk and the passage counts. */
  finish(): void {
    for (const [term, chunk] of this.open) this.write(term, chunk);
    this.open.clear();
    for (const [term, n] of this.docs) if (n !== 0) this.addDocs.run(term, n);
    this.docs.clear();
    this.dropEmpty.run();
  }

  private write(term: string, c: Chunk): void {
    this.put.run(term, c.first, c.last, c.count, c.bytes.subarray(0, c.length));
  }
}

/** Each distinct term of a passage with its count in the text and in the title. */
function termCounts(terms: string, titleTerms: string): Map<string, [number, number]> {
  const counts = new Map<string, [number, number]>();
  for (const [s, col] of [
    [terms, 0],
    [titleTerms, 1],
  ] as const) {
    for (const t of s.split(" ")) {
      if (!t) continue;
      const c = counts.get(t);
      if (c) c[col] += 1;
      else counts.set(t, col === 0 ? [1, 0] : [0, 1]);
    }
  }
  return counts;
}

/** Entries of passages that are gone, as a share of all entries. */
export function deadPostingShare(db: Database.Database): number {
  const entries = (db.prepare("SELECT sum(count) FROM postings").pluck().get() as number | null) ?? 0;
  const live = (db.prepare("SELECT sum(docs) FROM term_docs").pluck().get() as number | null) ?? 0;
  return entries === 0 ? 0 : (entries - live) / entries;
}

/** Chunks rewritten per query while vacuuming. */
const VACUUM_BATCH = 4096;

/** Rewrite every chunk without the entries of passages that are gone (`isLive` false); a chunk left empty goes. */
export function vacuumPostings(db: Database.Database, isLive: (label: number) => boolean): void {
  const read = db.prepare<[number, number], [number, Uint8Array]>("SELECT rowid, list FROM postings WHERE rowid > ? ORDER BY rowid LIMIT ?").raw();
  const update = db.prepare<[number, number, number, Uint8Array, number]>("UPDATE postings SET first = ?, last = ?, count = ?, list = ? WHERE rowid = ?");
  const remove = db.prepare<[number]>("DELETE FROM postings WHERE rowid = ?");
  for (let after = -1; ; ) {
    const rows = read.all(after, VACUUM_BATCH);
    if (rows.length === 0) return;
    for (const [rowid, list] of rows) {
      let chunk: Chunk | undefined;
      forEachPosting(list, (label, text, title) => {
        if (!isLive(label)) return;
        chunk ??= new Chunk(label, label, 0);
        chunk.add(label, text, title);
      });
      if (chunk) update.run(chunk.first, chunk.last, chunk.count, chunk.bytes.subarray(0, chunk.length), rowid);
      else remove.run(rowid);
      after = rowid;
    }
  }
}
