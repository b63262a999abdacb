import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import type { Config } from "../config.js";
import { AppError } from "../errors.js";
import type { Logger } from "../log.js";
import { describePg, openPgPool } from "../state/pg.js";
import { scanCorpus } from "../corpus/scan.js";
import type { AnswerService } from "./answer-service.js";

/** How often a node checks the corpus version when no notification came (a dropped LISTEN connection). */
export const CORPUS_POLL_MS = 10_000;
/** Pause before a re-index that found another rebuild running is tried again. */
const BUSY_RETRY_MS = 500;

const md5 = (b: Buffer) => createHash("md5").update(b).digest("hex");

/**
 * The corpus in PostgreSQL (the `articles` table, one row per article file) and this node's copy of it,
 * the corpus folder, from which the local index is built as a cache. `pull` brings the folder to the
 * table; `push` sends the folder's own changes (`/source add`, `/source remove`, `npm run import` on
 * this node) to the table, whose trigger notifies every node.
 */
export class CorpusSync {
  /** file → md5 of the content as last pulled or pushed: what tells this node's own changes apart. */
  private synced = new Map<string, string>();
  private readonly manifest: string;
  /** The database, for messages (never its password). */
  readonly where: string;

  private constructor(
    private readonly pool: pg.Pool,
    private readonly corpusDir: string,
    dataDir: string,
    private readonly log: Logger,
    private readonly url: string,
  ) {
    this.where = describePg(url);
    this.manifest = path.join(dataDir, "corpus-sync.json");
    try {
      this.synced = new Map(Object.entries(JSON.parse(readFileSync(this.manifest, "utf8")) as Record<string, string>));
    } catch {
      this.synced = new Map();
    }
  }

  static async open(config: Config, log: Logger): Promise<CorpusSync> {
    const pool = await openPgPool(config, log);
    return new CorpusSync(pool, config.corpusDir, config.dataDir, log, config.DATABASE_URL ?? "");
  }

  /** The table's version, raised by every change. */
  async version(): Promise<number> {
    return Number((await this.pool.query<{ version: string }>("SELECT version FROM corpus_version WHERE id = 1")).rows[0]?.version ?? 0);
  }

  /**
   * The first node with PostgreSQL brings its corpus folder into an empty table, once: from then on
   * the table is the source of truth. Returns how many files it imported (0 when the table had articles).
   */
  async importOnce(): Promise<number> {
    const client = await this.pool.connect();
    try {
      await client.query("BEGIN");
      await client.query("LOCK TABLE articles IN EXCLUSIVE MODE");
      const { rows } = await client.query<{ n: string }>("SELECT count(*) AS n FROM articles");
      const done = (await client.query("SELECT 1 FROM meta WHERE key = 'corpus_imported'")).rowCount! > 0;
      if (Number(rows[0]!.n) > 0 || done) {
        await client.query("COMMIT");
        return 0;
      }
      const files = this.localFiles();
      for (const [file, content] of files) await client.query("INSERT INTO articles (file, content) VALUES ($1, $2)", [file, content]);
      // A node with an empty folder imports nothing and leaves the import to one that has articles.
      if (files.size > 0) await client.query("INSERT INTO meta (key, value) VALUES ('corpus_imported', $1)", [new Date().toISOString()]);
      await client.query("COMMIT");
      this.synced = new Map([...files].map(([f, c]) => [f, md5(c)]));
      this.saveManifest();
      this.log.info(
        { files: files.size, from: this.corpusDir },
        `corpus: imported the corpus folder into ${this.where} (once; the table is the source from now on)`,
      );
      return files.size;
    } catch (err) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw new AppError("CORPUS", `corpus: cannot import ${this.corpusDir} into ${this.where}: ${(err as Error).message}`, { cause: err });
    } finally {
      client.release();
    }
  }

  /**
   * Make the corpus folder what the table says; returns whether any file changed. `exact` (on start-up)
   * also removes article files the table does not have; otherwise only those this node last had from
   * it go, so that a file `/source add` wrote a moment ago, not yet pushed, stays.
   */
  async pull(opts: { exact?: boolean } = {}): Promise<boolean> {
    const { rows } = await this.pool.query<{ file: string; hash: string }>("SELECT file, md5(content) AS hash FROM articles");
    const wanted = new Map(rows.map((r) => [r.file, r.hash]));
    let changed = 0;
    for (const [file, hash] of wanted) {
      // Unchanged in the table since this node last synced: keep the local file, even one this node has
      // changed and not sent yet. On start-up (`exact`) the folder itself is checked too.
      if (this.synced.get(file) === hash && (!opts.exact || this.localHash(file) === hash)) continue;
      const row = (await this.pool.query<{ content: Buffer }>("SELECT content FROM articles WHERE file = $1", [file])).rows[0];
      if (!row) continue;
      this.writeLocal(file, row.content);
      changed++;
    }
    const gone = new Set(this.synced.keys());
    if (opts.exact) for (const file of this.localFiles().keys()) gone.add(file);
    for (const file of gone) {
      if (wanted.has(file)) continue;
      rmSync(this.resolve(file), { force: true });
      changed++;
    }
    this.synced = wanted;
    this.saveManifest();
    if (changed) this.log.info({ files: changed }, `corpus: pulled ${changed} changed article file${changed === 1 ? "" : "s"} from ${this.where}`);
    return changed > 0;
  }

  /** Send this node's own changes to the corpus folder (since the last pull or push) to the table. */
  async push(): Promise<number> {
    const local = this.localFiles();
    let changed = 0;
    for (const [file, content] of local) {
      const hash = md5(content);
      if (this.synced.get(file) === hash) continue;
      await this.pool.query(
        "INSERT INTO articles (file, content) VALUES ($1, $2) ON CONFLICT (file) DO UPDATE SET content = excluded.content, updated_at = now()",
        [file, content],
      );
      this.synced.set(file, hash);
      changed++;
    }
    for (const file of [...this.synced.keys()]) {
      if (local.has(file)) continue;
      await this.pool.query("DELETE FROM articles WHERE file = $1", [file]);
      this.synced.delete(file);
      changed++;
    }
    this.saveManifest();
    if (changed) this.log.info({ files: changed }, `corpus: pushed ${changed} changed article file${changed === 1 ? "" : "s"} to ${this.where}`);
    return changed;
  }

  /**
   * Follow the table: on every change (LISTEN articles_changed, and a look at the version every
   * CORPUS_POLL_MS in case a notification was lost) pull the folder and re-index incrementally.
   * Returns the function that stops following.
   */
  follow(core: AnswerService): () => Promise<void> {
    let stopped = false;
    let seen = -1;
    let running: Promise<void> | undefined;
    let again = false;
    const sync = (): void => {
      if (stopped) return;
      if (running) {
        again = true;
        return;
      }
      running = (async () => {
        do {
          again = false;
          try {
            seen = await this.version();
            if (!(await this.pull())) continue;
            for (;;) {
              try {
                await core.reindex();
                break;
              } catch (err) {
                if (!(err instanceof AppError && err.code === "INDEX_BUSY") || stopped) throw err;
                await new Promise((r) => setTimeout(r, BUSY_RETRY_MS));
              }
            }
          } catch (err) {
            if (!stopped) this.log.error({ err }, `corpus: could not follow the articles in ${this.where}: ${(err as Error).message}`);
          }
        } while (again && !stopped);
      })().finally(() => (running = undefined));
    };
    const client = new pg.Client({ connectionString: this.url });
    client.on("notification", () => sync());
    client.on("error", (err) => this.log.warn({ err }, `corpus: the LISTEN connection to ${this.where} failed; checking every ${CORPUS_POLL_MS / 1000} s`));
    void client
      .connect()
      .then(() => client.query("LISTEN articles_changed"))
      .catch((err: unknown) => this.log.warn({ err }, `corpus: cannot LISTEN on ${this.where}; checking every ${CORPUS_POLL_MS / 1000} s`));
    const timer = setInterval(() => {
      void this.version()
        .then((v) => v !== seen && sync())
        .catch(() => undefined);
    }, CORPUS_POLL_MS);
    timer.unref();
    return async () => {
      stopped = true;
      clearInterval(timer);
      await client.end().catch(() => undefined);
      await running;
    };
  }

  /**
   * The service as this node's handlers see it: a rebuild first sends the folder's own changes to the
   * table (so `/source add` and `/source remove` reach every node), then builds as before.
   */
  publishing(core: AnswerService): AnswerService {
    const push = () => this.push();
    return {
      ...core,
      get reindexing() {
        return core.reindexing;
      },
      async reindex(onProgress) {
        await push();
        return core.reindex(onProgress);
      },
    };
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  private localFiles(): Map<string, Buffer> {
    const out = new Map<string, Buffer>();
    let files: ReturnType<typeof scanCorpus>["files"];
    try {
      files = scanCorpus(this.corpusDir).files;
    } catch {
      return out;
    }
    for (const f of files) out.set(f.file.split(path.sep).join("/"), readFileSync(path.join(this.corpusDir, f.file)));
    return out;
  }

  private localHash(file: string): string | undefined {
    try {
      return md5(readFileSync(this.resolve(file)));
    } catch {
      return undefined;
    }
  }

  /** A table path inside the corpus folder; a row naming a path outside it is refused. */
  private resolve(file: string): string {
    const full = path.resolve(this.corpusDir, file);
    if (!full.startsWith(this.corpusDir + path.sep))
      throw new AppError("CORPUS", `corpus: the article ${JSON.stringify(file)} in ${this.where} is outside the corpus folder`);
    return full;
  }

  private writeLocal(file: string, content: Buffer): void {
    const full = this.resolve(file);
    mkdirSync(path.dirname(full), { recursive: true });
    // A build scanning the folder never sees half a file.
    const tmp = `${full}.${process.pid}.tmp`;
    writeFileSync(tmp, content);
    renameSync(tmp, full);
  }

  private saveManifest(): void {
    mkdirSync(path.dirname(this.manifest), { recursive: true });
    writeFileSync(this.manifest, JSON.stringify(Object.fromEntries(this.synced)));
  }
}

/**
 * Run `write` (which writes article files into the corpus folder) against the articles table when
 * DATABASE_URL is set: the folder is first made what the table says, then what `write` changed is sent
 * to the table, which notifies every node. Without DATABASE_URL, just `write`.
 */
export async function writingToCorpus<T>(config: Config, log: Logger, write: () => Promise<T>): Promise<T> {
  if (!config.DATABASE_URL) return write();
  const sync = await CorpusSync.open(config, log);
  try {
    await sync.importOnce();
    await sync.pull({ exact: true });
    const out = await write();
    await sync.push();
    return out;
  } finally {
    await sync.close();
  }
}
