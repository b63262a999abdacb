import { ArticleIds } from "../corpus/article-ids.js";
import type { CorpusProblem } from "../corpus/article.js";
import type { CorpusFileStat } from "../corpus/scan.js";
import type { PassageEmbedder } from "../embeddings/provider.js";
import { prepareFiles, type FileToPrepare, type PreparedFile } from "./prepare.js";
import type { BuildProgress } from "./build.js";
import type { BuildWriter } from "./_build-writer.js";
import type { Previous } from "./_build-target.js";

/** Articles prepared and written per transaction. */
const BATCH = 64;
/** Batches handed to the prepare pool ahead of the one being written. */
const IN_FLIGHT = 4;

/** Reads and prepares a batch of corpus files, in order (`BuildOptions.prepare`). */
export type Prepare = (corpusDir: string, files: FileToPrepare[], embedder: PassageEmbedder) => Promise<PreparedFile[]>;

/** The corpus as the build walked it: what changed, and one article per id. */
export interface CorpusChanges {
  /** The ids of the build's articles, each with the file it is read from. */
  ids: ArticleIds;
  problems: CorpusProblem[];
  added: string[];
  changed: string[];
  /** Files read again whose content was the same: only their size and mtime are updated. */
  touched: Array<{ id: string; size: number; mtimeMs: number }>;
  unchanged: number;
}

/**
 * A file is unchanged when its size and mtime are those it was indexed with: it is not read again
 * (a changed one is read, and hashed before it is prepared again).
 */
export function fileUnchanged(f: { size: number; mtimeMs: number }, indexed: { size: number; mtimeMs: number } | undefined): boolean {
  return indexed !== undefined && indexed.size === f.size && indexed.mtimeMs === f.mtimeMs;
}

/** Files whose size or mtime differ from what was indexed are read; the rest keep their rows. */
export function filesToRead(files: CorpusFileStat[], prev: Previous | undefined): FileToPrepare[] {
  const toRead: FileToPrepare[] = [];
  for (const f of files) {
    const old = prev?.byFile.get(f.file);
    if (!fileUnchanged(f, old)) toRead.push({ file: f.file, ...(old ? { indexed: { id: old.id, hash: old.hash } } : {}) });
  }
  return toRead;
}

/**
 * The files to read, prepared batch by batch in corpus order, a few batches ahead of the one being
 * written (by the pool, so that it prepares the next ones while this thread writes).
 */
export class PreparedFiles {
  /** Whether the prepare pool does the work (false: small updates are prepared in this thread). */
  readonly pooled: boolean;
  private readonly prepare: Prepare;
  private readonly batches: FileToPrepare[][] = [];
  private readonly pending: Array<Promise<PreparedFile[]>>;
  private readonly ahead: number;
  private readonly total: number;
  private results: PreparedFile[] = [];
  private next = 0;
  private batch = 0;

  constructor(
    private readonly corpusDir: string,
    toRead: FileToPrepare[],
    private readonly embedder: PassageEmbedder,
    pool: Prepare | undefined,
    private readonly progress: (p: BuildProgress) => void,
  ) {
    // Starting workers costs more than a few articles do: small updates are prepared here.
    this.prepare = pool && toRead.length > 2 * BATCH ? pool : prepareFiles;
    this.pooled = this.prepare !== prepareFiles;
    for (let i = 0; i < toRead.length; i += BATCH) this.batches.push(toRead.slice(i, i + BATCH));
    // Batches in flight, so the pool prepares the next ones while this thread writes.
    this.ahead = this.pooled ? IN_FLIGHT : 1;
    this.pending = this.batches.slice(0, this.ahead).map((b) => this.prepare(corpusDir, b, embedder));
    this.total = toRead.length;
    progress({ phase: "embed", done: 0, total: this.total });
  }

  /** What became of the next file to read. `beforeBatch` runs first when a new batch is to be waited for (to write the one done). */
  async take(beforeBatch: () => Promise<void>): Promise<PreparedFile> {
    if (this.next === this.results.length) {
      await beforeBatch();
      this.results = await this.pending[this.batch]!;
      if (this.batch + this.ahead < this.batches.length) this.pending.push(this.prepare(this.corpusDir, this.batches[this.batch + this.ahead]!, this.embedder));
      this.progress({ phase: "embed", done: Math.min((this.batch + 1) * BATCH, this.total), total: this.total });
      this.batch += 1;
      this.next = 0;
    }
    return this.results[this.next++]!;
  }
}

/**
 * The corpus in order, as when loading it: unchanged files keep their articles, the others are
 * prepared and handed to the writer; one article per id, the first file in sorted order wins.
 */
export async function walkCorpus(
  scan: { files: CorpusFileStat[]; problems: CorpusProblem[] },
  prev: Previous | undefined,
  prepared: PreparedFiles,
  writer: BuildWriter,
): Promise<CorpusChanges> {
  const c: CorpusChanges = { ids: new ArticleIds(), problems: [...scan.problems], added: [], changed: [], touched: [], unchanged: 0 };
  for (const f of scan.files) {
    const old = prev?.byFile.get(f.file);
    if (fileUnchanged(f, old)) {
      if (c.ids.claim(f.file, old!.id)) c.unchanged += 1;
      continue;
    }
    const r = await prepared.take(() => writer.flush());
    if (r.file !== f.file) throw new Error(`index: prepared ${r.file} where ${f.file} was expected`);
    if ("unreadable" in r) {
      c.problems.push({ file: f.file, problem: old ? `unreadable (${r.unreadable}); the version indexed before is kept` : `unreadable: ${r.unreadable}` });
      if (old && c.ids.claim(f.file, old.id)) c.unchanged += 1;
    } else if ("problem" in r) c.problems.push(r);
    else if ("same" in r) {
      if (c.ids.claim(f.file, r.same)) {
        c.touched.push({ id: r.same, size: f.size, mtimeMs: f.mtimeMs });
        c.unchanged += 1;
      }
    } else if (c.ids.claim(f.file, r.prepared.article.id)) {
      (writer.prevIds.has(r.prepared.article.id) ? c.changed : c.added).push(r.prepared.article.id);
      writer.add(r.prepared);
    }
  }
  await writer.flush();
  c.problems.push(...c.ids.duplicates);
  return c;
}
