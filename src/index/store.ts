import { existsSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { open, rename } from "node:fs/promises";
import path from "node:path";
import type Database from "better-sqlite3";
import { LRUCache } from "lru-cache";
import type { Attribution } from "../passages/attribution.js";
import type { Article, ArticleMeta, CorpusProblem } from "../corpus/article.js";
import type { PassageEmbedder } from "../embeddings/provider.js";
import type { Passage, PassageKind } from "../passages/passage.js";
import { DB_FILE, INDEX_FORMAT, openDatabase, readManifest, type StoredManifest } from "./database.js";
import { StoredFacts } from "./facts.js";
import { DEFAULT_HNSW, HnswStore, type HnswSettings } from "./hnsw-store.js";
import { LexicalIndex } from "./lexical.js";
import { verifier } from "./verify.js";

/** What a build knows of one corpus file: changes are found by stat and confirmed by hash. */
export interface ArticleEntry {
  file: string;
  hash: string;
  size: number;
  mtimeMs: number;
  passages: number;
}

export type Manifest = StoredManifest & { articles: Record<string, ArticleEntry> };

/** A sentence's stored offsets and attribution: [start, end, source|null, quoteStart, quoteEnd, quoted]. */
export type StoredSentence = [number, number, string | null, number, number, 0 | 1];

interface PassageRow {
  label: number;
  id: string;
  article_id: string;
  n: number;
  kind: string;
  start: number;
  end: number;
  sentences: string;
}

/** Serving settings of a loaded build. */
export interface OpenOptions {
  /** HNSW parameters (efSearch applies when serving). Default `DEFAULT_HNSW`. */
  hnsw?: HnswSettings;
  /** SQLite page cache, MiB. Default 16. */
  cacheMb?: number;
  /** Long BM25 posting lists kept in memory, MiB (`LexicalIndex`). Default 32. */
  postingsCacheMb?: number;
  /** The build being served: when the new build shares its main graph file, the loaded graph is reused. */
  reuse?: IndexData | undefined;
}

/** Article bodies kept in memory (the rest are read from SQLite when asked for). */
const BODY_CACHE = 512;
/** Article metadata kept in memory once read, until every article's is asked for at once (`articles()`). */
const META_CACHE = 4096;

const META_COLUMNS = "id, file, hash, title, publisher, url, published, author";

/**
 * One consistent, read-only index build: what retrieval and answering read. Bodies, passages,
 * attributions and article metadata stay in SQLite and are read when asked for (opening reads
 * nothing proportional to the corpus but the corpus files' sizes and mtimes, and only when asked).
 */
export class IndexData {
  private readonly bodies = new LRUCache<string, Article>({ max: BODY_CACHE });
  private metas = new Map<string, ArticleMeta>();
  private allMetas = false;
  private readonly stmts;
  private closed = false;
  /** Terms, section headings and topics, computed when the articles were indexed. */
  readonly facts: StoredFacts;

  constructor(
    readonly dir: string,
    readonly manifest: Manifest,
    private readonly db: Database.Database,
    readonly lexical: LexicalIndex,
    readonly vector: HnswStore,
  ) {
    this.stmts = {
      meta: db.prepare<[string], ArticleMeta>(`SELECT ${META_COLUMNS} FROM articles WHERE id = ?`),
      metas: db.prepare<[], ArticleMeta>(`SELECT ${META_COLUMNS} FROM articles ORDER BY id`),
      files: db.prepare<[], { file: string; size: number; mtimeMs: number }>("SELECT file, size, mtime_ms AS mtimeMs FROM articles"),
      body: db.prepare<[string], string>("SELECT body FROM bodies WHERE id = ?").pluck(),
      passage: db.prepare<[string], PassageRow>("SELECT * FROM passages WHERE id = ?"),
      sentences: db.prepare<[string, string], string>("SELECT sentences FROM passages WHERE id = ? AND article_id = ?").pluck(),
      ofArticle: db.prepare<[string], PassageRow>("SELECT * FROM passages WHERE article_id = ? ORDER BY n"),
      prefix: db.prepare<[string, number], string>("SELECT id FROM passages WHERE lower(id) LIKE ? ESCAPE '\\' ORDER BY id LIMIT ?").pluck(),
      ids: db.prepare<[], string>("SELECT id FROM passages ORDER BY article_id, n").pluck(),
    };
    this.facts = new StoredFacts(db);
  }

  /** Article metadata (no body) of every article, in id order. */
  articles(): ArticleMeta[] {
    if (!this.allMetas) {
      this.metas = new Map(this.stmts.metas.all().map((m) => [m.id, m]));
      this.allMetas = true;
    }
    return [...this.metas.values()];
  }

  articleMeta(id: string): ArticleMeta | undefined {
    let meta = this.metas.get(id);
    if (meta || this.allMetas) return meta;
    meta = this.stmts.meta.get(id);
    if (meta) {
      if (this.metas.size >= META_CACHE) this.metas.clear();
      this.metas.set(id, meta);
    }
    return meta;
  }

  /** Size and mtime of each corpus file as indexed, by file (what telling a stale index needs). */
  corpusFiles(): Map<string, { size: number; mtimeMs: number }> {
    return new Map(this.stmts.files.all().map((f) => [f.file, f]));
  }

  /** An article with its body. */
  article(id: string): Article | undefined {
    const hit = this.bodies.get(id);
    if (hit) return hit;
    const meta = this.articleMeta(id);
    const body = meta && this.stmts.body.get(id);
    if (!meta || body === undefined) return undefined;
    const a: Article = { ...meta, body };
    this.bodies.set(id, a);
    return a;
  }

  passage(id: string): Passage | undefined {
    const row = this.stmts.passage.get(id);
    return row && this.inflate(row).passage;
  }

  /** An article's passages in body order. */
  passagesOf(articleId: string): Passage[] {
    return this.stmts.ofArticle.all(articleId).map((r) => this.inflate(r).passage);
  }

  /**
   * Who each sentence of an article is attributed to, computed when the article was indexed, by
   * sentence id. Read a passage at a time as sentences are looked up: a question reads a few passages
   * of an article, and parsing every row of a 20 MB article (100k passages) took half a second.
   */
  attributionsOf(articleId: string): Map<string, Attribution> {
    return new StoredAttributions(
      (passageId) => this.stmts.sentences.get(passageId, articleId),
      () => this.stmts.ofArticle.all(articleId),
    );
  }

  /** The heading of the section a passage is in (the last heading before it), stored at index time. */
  sectionHeading(passage: Pick<Passage, "id" | "articleId">): Passage | undefined {
    const n = this.facts.heading(passage.id);
    return n === undefined ? undefined : this.passage(`${passage.articleId}#p${n}`);
  }

  /** Every passage id, in article and body order. */
  passageIds(): string[] {
    return this.stmts.ids.all();
  }

  /** Passage ids starting with (or, with `anywhere`, containing) `text`, case-insensitive, for autocomplete. */
  passageIdsMatching(text: string, limit: number, opts: { anywhere?: boolean } = {}): string[] {
    const literal = text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`);
    return this.stmts.prefix.all(`${opts.anywhere ? "%" : ""}${literal}%`, limit);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
  }

  private inflate(row: PassageRow): { passage: Passage; stored: StoredSentence[] } {
    const body = this.article(row.article_id)?.body ?? "";
    const stored = JSON.parse(row.sentences) as StoredSentence[];
    const passage: Passage = {
      id: row.id,
      articleId: row.article_id,
      n: row.n,
      kind: row.kind as PassageKind,
      start: row.start,
      end: row.end,
      text: body.slice(row.start, row.end),
      sentences: stored.map(([s, e], i) => ({ id: `${row.id}.s${i + 1}`, start: s, end: e, text: body.slice(s, e) })),
    };
    return { passage, stored };
  }
}

/**
 * An article's attributions as a `Map` that reads its rows when asked: `get` and `has` read the one
 * passage a sentence id names; anything that walks the whole map reads every passage first.
 */
class StoredAttributions extends Map<string, Attribution> {
  private readonly read = new Set<string>();
  private all = false;

  constructor(
    private readonly sentencesOf: (passageId: string) => string | undefined,
    private readonly rows: () => Array<{ id: string; sentences: string }>,
  ) {
    super();
  }

  override get(sentenceId: string): Attribution | undefined {
    this.readPassage(sentenceId);
    return super.get(sentenceId);
  }

  override has(sentenceId: string): boolean {
    this.readPassage(sentenceId);
    return super.has(sentenceId);
  }

  override get size(): number {
    this.readAll();
    return super.size;
  }

  override forEach(fn: (value: Attribution, key: string, map: Map<string, Attribution>) => void, thisArg?: unknown): void {
    this.readAll();
    super.forEach(fn, thisArg);
  }

  override entries(): MapIterator<[string, Attribution]> {
    this.readAll();
    return super.entries();
  }

  override keys(): MapIterator<string> {
    this.readAll();
    return super.keys();
  }

  override values(): MapIterator<Attribution> {
    this.readAll();
    return super.values();
  }

  override [Symbol.iterator](): MapIterator<[string, Attribution]> {
    return this.entries();
  }

  private readPassage(sentenceId: string): void {
    const passageId = sentenceId.replace(/\.s\d+$/, "");
    if (this.all || this.read.has(passageId)) return;
    this.read.add(passageId);
    const sentences = this.sentencesOf(passageId);
    if (sentences !== undefined) this.add(passageId, sentences);
  }

  private readAll(): void {
    if (this.all) return;
    this.all = true;
    for (const row of this.rows()) if (!this.read.has(row.id)) this.add(row.id, row.sentences);
  }

  private add(passageId: string, sentences: string): void {
    // Only the stored offsets and sources: no passage text is needed for this.
    (JSON.parse(sentences) as StoredSentence[]).forEach(([, , source, start, end, quoted], i) => {
      super.set(`${passageId}.s${i + 1}`, { source: source ?? undefined, start, end, quoted: quoted === 1 });
    });
  }
}

export const indexRoot = (dataDir: string) => path.join(dataDir, "index");
const pointerFile = (dataDir: string) => path.join(indexRoot(dataDir), "CURRENT");
export const buildsDir = (dataDir: string) => path.join(indexRoot(dataDir), "builds");

/** Why an index can't be used as it is. */
export type LoadFailure = { reason: "missing" | "format" | "embedder" | "corrupt"; detail: string };

/** The folder of the current build, if one was ever switched in. */
export async function currentBuildDir(dataDir: string): Promise<string | undefined> {
  return currentBuildDirNow(dataDir);
}

/** Synchronous on purpose: opening reads the pointer, then starts the graph reads, without yielding in between. */
function currentBuildDirNow(dataDir: string): string | undefined {
  const name = currentBuildName(dataDir);
  return name ? path.join(buildsDir(dataDir), name) : undefined;
}

/** The name of the build CURRENT points at, if any (read now, synchronously: a serving process looks at it often). */
export function currentBuildName(dataDir: string): string | undefined {
  try {
    return readFileSync(pointerFile(dataDir), "utf8").trim() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Load the current build, checking format, embedder and the graph files. Until the graph files are
 * being read (in hnswlib's thread) nothing yields, so a caller can do its own work before awaiting.
 */
export async function loadIndex(dataDir: string, embedder: PassageEmbedder, opts: OpenOptions = {}): Promise<IndexData | LoadFailure> {
  // A writer may switch builds and remove the old one between reading the pointer and opening it.
  for (let attempt = 0; ; attempt++) {
    const dir = currentBuildDirNow(dataDir);
    if (!dir) return { reason: "missing", detail: "no index has been built" };
    const result = await openBuild(dir, embedder, opts);
    if ("reason" in result && result.detail === `${DB_FILE} is missing` && attempt < 3 && currentBuildDirNow(dataDir) !== dir) continue;
    return result;
  }
}

/** Open one build folder for serving. */
export async function openBuild(dir: string, embedder: PassageEmbedder, opts: OpenOptions = {}): Promise<IndexData | LoadFailure> {
  const file = path.join(dir, DB_FILE);
  if (!existsSync(file)) return { reason: "corrupt", detail: `${DB_FILE} is missing` };
  let db: Database.Database | undefined;
  try {
    db = openDatabase(file, { readonly: true, ...(opts.cacheMb ? { cacheMb: opts.cacheMb } : {}) });
    const read = readManifest(db);
    if ("format" in read) {
      db.close();
      return { reason: "format", detail: `index format ${String(read.format)}, this version reads ${INDEX_FORMAT}` };
    }
    if ("invalid" in read) throw new Error(`manifest: ${read.invalid}`);
    const stored = read.manifest;
    if (stored.embedder.name !== embedder.name || stored.embedder.dimensions !== embedder.dimensions) {
      db.close();
      return {
        reason: "embedder",
        detail: `embedder mismatch: built with ${stored.embedder.name}-${stored.embedder.dimensions}, loading with ${embedder.name}-${embedder.dimensions}`,
      };
    }
    const idOf = db.prepare<[number], string>("SELECT id FROM passages WHERE label = ?").pluck();
    // Started first: hnswlib reads the graph files in a background thread while this one reads the rest.
    const loading = HnswStore.load(dir, {
      dims: stored.embedder.dimensions,
      settings: { ...DEFAULT_HNSW, ...opts.hnsw },
      checksums: stored.files,
      reuse: opts.reuse?.vector,
      dead: {
        main: db.prepare<[], number>("SELECT label FROM dead_labels WHERE graph = 'main'").pluck().all(),
        delta: db.prepare<[], number>("SELECT count(*) FROM dead_labels WHERE graph = 'delta'").pluck().get() ?? 0,
      },
      labels: { idOf: (label) => idOf.get(label) },
    });
    // Queued behind the graph files' hashes in the verifier's thread: every page of the database is
    // read once there, while hnswlib reads the graphs. A damaged page is otherwise found by no one
    // until a question reads it ("database disk image is malformed").
    const checking = verifier.quickCheck(file).catch((err: unknown) => [(err as Error).message]);
    let lexical: LexicalIndex;
    try {
      lexical = new LexicalIndex(db, { passages: stored.passages, cacheMb: opts.postingsCacheMb });
    } catch (err) {
      await Promise.allSettled([loading, checking]);
      throw err;
    }
    // Every article's entry is read the first time anyone asks (info, tests), not on opening.
    let articles: Record<string, ArticleEntry> | undefined;
    const opened = db;
    const manifest = { ...stored } as Manifest;
    Object.defineProperty(manifest, "articles", { enumerable: true, get: () => (articles ??= readArticles(opened)) });
    const [vector, damage] = await Promise.all([loading.catch((err: unknown) => err as Error), checking]);
    if (damage.length > 0) throw new Error(`${DB_FILE} is damaged: ${damage[0]}`);
    if (vector instanceof Error) throw vector;
    if (vector.size() !== stored.passages) throw new Error(`index sizes disagree: ${stored.passages} passages, ${vector.size()} vectors`);
    return new IndexData(dir, manifest, db, lexical, vector);
  } catch (err) {
    db?.close();
    return { reason: "corrupt", detail: (err as Error).message };
  }
}

function readArticles(db: Database.Database): Record<string, ArticleEntry> {
  const rows = db.prepare("SELECT id, file, hash, size, mtime_ms AS mtimeMs, passages FROM articles ORDER BY id").all() as Array<ArticleEntry & { id: string }>;
  const articles: Record<string, ArticleEntry> = {};
  for (const { id, ...entry } of rows) articles[id] = entry;
  return articles;
}

/** Point CURRENT at a finished build: a write to a temporary file, fsync, then an atomic rename. */
export async function switchTo(dataDir: string, dir: string): Promise<void> {
  const tmp = `${pointerFile(dataDir)}.${process.pid}.tmp`;
  const fh = await open(tmp, "w");
  await fh.writeFile(`${path.basename(dir)}\n`);
  await fh.sync();
  await fh.close();
  await rename(tmp, pointerFile(dataDir));
}

/** A new build folder's name: sortable time, then the writer's pid (so a crashed writer's leftovers can be told apart). */
export function newBuildName(): string {
  return `${new Date().toISOString().replace(/[:.]/g, "-")}-${process.pid}`;
}

/**
 * Remove every build but `keep`, including the half-written ones crashed writers left behind. A build
 * that a live process is still writing is left alone. Serving processes that opened an older build keep
 * reading it: its files stay readable until they close them.
 */
export function pruneBuilds(dataDir: string, keep: string | undefined): void {
  const root = buildsDir(dataDir);
  if (!existsSync(root)) return;
  for (const entry of readdirSync(root)) {
    if (keep && entry === path.basename(keep)) continue;
    if (beingWritten(path.join(root, entry))) continue;
    try {
      rmSync(path.join(root, entry), { recursive: true, force: true });
    } catch {
      // A read-only index folder keeps its old builds; they cost nothing to serving.
    }
  }
}

/** An unfinished build has a BUILDING marker naming its writer and the process that asked for it; both must live. */
function beingWritten(dir: string): boolean {
  let marker: string;
  try {
    marker = readFileSync(path.join(dir, "BUILDING"), "utf8");
  } catch {
    return false;
  }
  const pids = marker
    .trim()
    .split(/\s+/)
    .map(Number)
    .filter((n) => n > 0);
  return pids.length > 0 && pids.every((pid) => pid === process.pid || alive(pid));
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

export interface IndexInfo {
  builtAt: string;
  embedder: { name: string; dimensions: number };
  articles: Array<ArticleMeta & { passages: number }>;
  passages: number;
  problems: CorpusProblem[];
}
