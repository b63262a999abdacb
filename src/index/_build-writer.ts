import type { CorpusFileStat } from "../corpus/scan.js";
import { embedPassages, type PassageEmbedder } from "../embeddings/provider.js";
import { dropFacts, writeFacts } from "./facts.js";
import type { HnswSettings } from "./hnsw-store.js";
import { LexicalIndex, readLengths, writeLengths } from "./lexical.js";
import { deadPostingShare, vacuumPostings } from "./postings.js";
import type { PreparedArticle } from "./prepare.js";
import { COMPACT_AT } from "./_build-graph.js";
import { openTarget, type Previous, type Target } from "./_build-target.js";

export interface WriterOptions {
  dataDir: string;
  /** The build this one starts from; none: a build from scratch. */
  prev: Previous | undefined;
  embedder: PassageEmbedder;
  settings: HnswSettings;
  /** SQLite page cache, MiB. Default 16. */
  cacheMb: number | undefined;
  /** Build the main graph in a thread of its own (a large build from scratch). */
  graphThread: boolean;
  /** Each corpus file's size and mtime, by file: recorded with its article. */
  stats: Map<string, CorpusFileStat>;
}

/**
 * Writes a build's rows, posting lists, BM25 lengths and vectors, article by article. The build folder
 * is opened on the first write, so that a re-index that changes nothing writes nothing.
 */
export class BuildWriter {
  /** The build folder, once opened. */
  target: Target | undefined;
  /** The embedder after the build (GloVe may have grown its vocabulary for held-back articles). */
  embedder: PassageEmbedder;
  /** The label the next passage gets. */
  nextLabel: number;
  /** Passages whose vectors were computed in this build. */
  embedded = 0;
  /** The previous build's articles, by id. */
  readonly prevIds: Map<string, { id: string; hash: string; size: number; mtimeMs: number }>;
  /** The graph new passages go to: the main one in a build from scratch, else the delta. */
  private readonly graph: "main" | "delta";
  /** BM25's passage lengths by label, carried over from the previous build and updated in place. */
  private lengths: Uint32Array;
  /** Articles whose vectors lack words the cache had to be grown for: embedded again at the end. */
  private readonly heldBack: string[] = [];
  private readonly missing = new Set<string>();
  /** Prepared articles waiting for the next `flush`. */
  private writes: PreparedArticle[] = [];

  constructor(private readonly opts: WriterOptions) {
    const { prev } = opts;
    this.embedder = opts.embedder;
    this.graph = prev ? "delta" : "main";
    this.nextLabel = prev?.manifest.nextLabel ?? 0;
    this.lengths = prev ? readLengths(prev.db) : new Uint32Array(0);
    this.prevIds = new Map([...(prev?.byFile.values() ?? [])].map((e) => [e.id, e]));
  }

  /** The build folder, opened now if it is not yet. */
  async open(): Promise<Target> {
    const { dataDir, prev, settings, cacheMb, graphThread } = this.opts;
    return (this.target ??= await openTarget(dataDir, prev, this.embedder, settings, cacheMb, graphThread));
  }

  /** Queue an article to be written with the next `flush`. */
  add(prepared: PreparedArticle): void {
    this.writes.push(prepared);
  }

  /** Write the queued articles in one transaction, then their vectors to the graph. */
  async flush(): Promise<void> {
    if (this.writes.length === 0) return;
    const t = await this.open();
    const batch = this.writes;
    this.writes = [];
    const vectors: Float32Array[] = [];
    const batchLabels: number[] = [];
    t.db.transaction(() => {
      for (const prepared of batch) {
        const labels = this.writeArticle(t, prepared);
        if (prepared.missing.length > 0) {
          this.heldBack.push(prepared.article.id);
          for (const w of prepared.missing) this.missing.add(w);
          continue;
        }
        vectors.push(prepared.vectors);
        batchLabels.push(...labels);
      }
    })();
    await this.addPoints(t, concat(vectors), batchLabels);
  }

  /** One article's rows (in place of the version indexed before): the article, its body, its passages and their terms. Returns the passages' labels. */
  private writeArticle(t: Target, { article: a, titleTerms, passages, facts }: PreparedArticle): number[] {
    if (this.prevIds.has(a.id)) this.dropArticle(t, a.id);
    const st = this.opts.stats.get(a.file)!;
    t.stmts.insertArticle.run({
      id: a.id,
      file: a.file,
      hash: a.hash,
      title: a.title,
      publisher: a.publisher,
      url: a.url,
      published: a.published,
      author: a.author,
      size: st.size,
      mtime_ms: st.mtimeMs,
      passages: passages.length,
    });
    t.stmts.insertBody.run(a.id, a.body);
    const labels = passages.map((p) => {
      const label = this.nextLabel++;
      t.stmts.insertPassage.run({
        label,
        id: p.id,
        article_id: a.id,
        n: p.n,
        kind: p.kind,
        start: p.start,
        end: p.end,
        sentences: p.sentences,
        graph: this.graph,
      });
      t.stmts.insertTerms.run(label, p.terms, titleTerms);
      t.postings.add(label, p.terms, titleTerms);
      this.setLength(label, p.length);
      return label;
    });
    writeFacts(t.db, a.id, facts, labels);
    this.embedded += passages.length;
    return labels;
  }

  /** An article's rows, terms and postings go; its passages' labels are dead in their graph. */
  private dropArticle(t: Target, id: string): void {
    const body = t.stmts.body.get(id) ?? "";
    // The same rule as when it was added (prepare.ts), from the same stored title and body.
    const titleTerms = LexicalIndex.titleRow(t.stmts.title.get(id) ?? "", body);
    for (const p of t.stmts.passagesOf.all(id)) {
      // The terms it was written with, from the same text and tokenizer (a changed tokenizer is a new index format).
      t.postings.remove(LexicalIndex.row(body.slice(p.start, p.end), "").text, titleTerms);
      t.stmts.deleteTerms.run(p.label);
      if (p.label < this.lengths.length) this.lengths[p.label] = 0;
      t.stmts.dead.run(p.label, p.graph);
      if (p.graph === "delta") t.store.markDeleted("delta", p.label);
    }
    dropFacts(t.db, id);
    t.stmts.deletePassages.run(id);
    t.stmts.deleteArticle.run(id);
    t.stmts.deleteBody.run(id);
  }

  private setLength(label: number, n: number): void {
    if (label >= this.lengths.length) {
      const grown = new Uint32Array(Math.max(label + 1, Math.ceil(this.lengths.length * 1.5), 1024));
      grown.set(this.lengths);
      this.lengths = grown;
    }
    this.lengths[label] = n;
  }

  private async addPoints(t: Target, vectors: Float32Array, labels: number[]): Promise<void> {
    if (labels.length === 0) return;
    const dims = this.embedder.dimensions;
    if (t.writer) await t.writer.add(vectors, labels);
    else
      t.store.addPoints(
        this.graph,
        labels.map((_, i) => vectors.subarray(i * dims, (i + 1) * dims)),
        labels,
      );
  }

  /** After the corpus: removed articles go, touched files get their new size and mtime, the posting lists are finished. */
  finishRows(t: Target, removed: string[], touched: Array<{ id: string; size: number; mtimeMs: number }>): void {
    t.db.transaction(() => {
      for (const id of removed) this.dropArticle(t, id);
      for (const s of touched) t.stmts.touch.run(s.size, s.mtimeMs, s.id);
      t.postings.finish();
    })();
    // Posting entries of gone passages only cost search time; once they are a large share, they go.
    if (deadPostingShare(t.db) > COMPACT_AT) vacuumPostings(t.db, (label) => label < this.lengths.length && this.lengths[label]! > 0);
  }

  /** The cache grown by the words some articles needed, then those articles' vectors made with them. */
  async embedHeldBack(t: Target): Promise<void> {
    if (this.heldBack.length === 0 || !this.embedder.withWords) return;
    this.embedder = this.embedder.withWords(this.missing);
    const passagesOf = t.db.prepare<[string], { label: number; start: number; end: number }>(
      "SELECT label, start, end FROM passages WHERE article_id = ? ORDER BY n",
    );
    for (const id of this.heldBack) {
      const body = t.stmts.body.get(id)!;
      const rows = passagesOf.all(id);
      await this.addPoints(
        t,
        await embedPassages(
          this.embedder,
          rows.map((r) => body.slice(r.start, r.end)),
          new Set(),
        ),
        rows.map((r) => r.label),
      );
    }
  }

  /** BM25's passage lengths, one per label given, into the database. */
  storeLengths(t: Target): void {
    const stored = new Uint32Array(this.nextLabel);
    stored.set(this.lengths.subarray(0, Math.min(this.lengths.length, this.nextLabel)));
    writeLengths(t.db, stored);
  }
}

/** One buffer of the articles' vectors, to hand to the graph thread. */
function concat(vectors: Float32Array[]): Float32Array {
  const out = new Float32Array(vectors.reduce((n, v) => n + v.length, 0));
  let at = 0;
  for (const v of vectors) {
    out.set(v, at);
    at += v.length;
  }
  return out;
}
