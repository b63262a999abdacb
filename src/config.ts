import path from "node:path";
import { z } from "zod";
import { AppError } from "./errors.js";

const bool = z.enum(["true", "false", "1", "0", "yes", "no"]).transform((v) => v === "true" || v === "1" || v === "yes");

const httpUrl = z.string().regex(/^https?:\/\/[^\s/]+/, "expected an http(s) URL such as http://127.0.0.1:11434");
const optionalUrl = z.union([z.literal("").transform(() => undefined), httpUrl]).optional();

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/**
 * Every environment and config value the product reads. Nothing else reads `process.env`.
 * Each key is documented in `.env.example`; the README's config table mirrors it.
 */
export const configSchema = z.object({
  /** Folder of article files (`.md` with front matter, or `.txt`). Default `corpus`. */
  CORPUS_DIR: z.string().min(1).default("corpus"),
  /** Where indexes, the word-vector cache and the app-state database live. Default `.data`. */
  DATA_DIR: z.string().min(1).default(".data"),
  /** Where the one-time binary word-vector cache goes. Default `<DATA_DIR>/cache`. */
  CACHE_DIR: z.string().default(""),
  /** Log level for pino. Default `info`. */
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),

  /** Which embeddings to use. Default `glove` (offline, shipped on npm). */
  EMBEDDINGS_PROVIDER: z.enum(["glove", "transformers", "ollama", "openai"]).default("glove"),
  /** Model name or local path for the transformers/ollama/openai providers. */
  EMBEDDINGS_MODEL: z.string().default(""),
  /** Base URL for the ollama/openai embeddings providers. */
  EMBEDDINGS_BASE_URL: optionalUrl,
  /** API key for the openai embeddings provider. */
  EMBEDDINGS_API_KEY: z.string().default(""),
  /** How many of the most frequent GloVe words the binary cache keeps (corpus words are always kept). */
  GLOVE_VOCAB_SIZE: int(1000, 400000).default(100000),

  /** Passages retrieved per question before answer composition. Default 12. */
  RETRIEVAL_K: int(1, 50).default(12),
  /** At most this many retrieved passages from one article (diversity). Default 3. */
  RETRIEVAL_PER_ARTICLE: int(1, 50).default(3),
  /** BM25 leaves out query terms found in more than this share of passages (speed vs recall). Default 0.02 (see the README's Benchmarks). */
  LEXICAL_MAX_DF_SHARE: z.coerce.number().min(0.001).max(1).default(0.02),
  /** HNSW links per node (hnswlib's M); a change applies when the main graph is next rebuilt. Default 16. */
  HNSW_M: int(4, 96).default(16),
  /** HNSW candidate list while inserting: build time against recall. Default 64. */
  HNSW_EF_CONSTRUCTION: int(8, 1000).default(64),
  /** HNSW candidate list while searching: recall against latency. Default 300. */
  HNSW_EF_SEARCH: int(10, 5000).default(300),
  /** Points in the delta graph before it is merged into the main graph (merging rewrites the main file). Default 50000. */
  HNSW_DELTA_MAX: int(100, 10_000_000).default(50000),
  /** SQLite page cache per open index, in MiB. Default 16. */
  SQLITE_CACHE_MB: int(1, 4096).default(16),
  /** Long BM25 posting lists kept in memory per open index, in MiB (0: none). Default 32. */
  LEXICAL_CACHE_MB: int(0, 4096).default(32),
  /** Worker threads that split and embed articles during a build, next to the thread that writes (and, for a build from scratch, a thread inserting into the graph). Default 2. */
  BUILD_WORKERS: int(0, 16).default(2),
  /** Expand queries with GloVe neighbours. Default true. */
  QUERY_EXPANSION: bool.default("true"),
  /**
   * How the bot decides whether the sources answer. `threshold`: the best evidence score among sentences
   * that state the asked kind of fact, against ANSWER_THRESHOLD. `combined`: that, declined when the
   * answerability model of `npm run fit` (src/answer/answerability.v1.json) is sure it does not answer.
   * `fitted`: the model alone picks the sentence among every retrieved one and decides. Default fitted.
   */
  ANSWER_GATE: z.enum(["threshold", "combined", "fitted"]).default("fitted"),
  /** With ANSWER_GATE=threshold or combined: evidence score under which the bot abstains (0–1). Default 0.41. */
  ANSWER_THRESHOLD: z.coerce.number().min(0).max(1).default(0.41),
  /** An answer whose confidence is under this (0–1) says it may not answer the question; 0 never says so. Default 0.5. */
  ANSWER_DOUBT_BELOW: z.coerce.number().min(0).max(1).default(0.5),
  /** Most quotes in one answer. Default 3. */
  ANSWER_MAX_CITATIONS: int(1, 10).default(3),
  /** Longest question accepted, in characters. Default 500. */
  MAX_QUESTION_CHARS: int(20, 4000).default(500),

  /** Importing: deadline for fetching one page, body included, in ms. Default 15000. */
  IMPORT_TIMEOUT_MS: int(100, 600000).default(15000),
  /** Importing: largest page or file taken as one article, in bytes. Default 5242880 (5 MB). */
  IMPORT_MAX_BYTES: int(1024, 1073741824).default(5242880),
  /** Importing: redirects followed when fetching a page. Default 5. */
  IMPORT_MAX_REDIRECTS: int(0, 20).default(5),
  /**
   * Let `/source add` fetch from loopback, private, link-local and cloud metadata addresses. Default
   * false: anyone with Manage Server could otherwise read the bot's own network. `npm run import` is not bound by it.
   */
  SOURCE_ADD_ALLOW_PRIVATE: bool.default("false"),

  /** LLM answers: `none` keeps the extractive answerer. */
  LLM_PROVIDER: z.enum(["none", "ollama", "openai"]).default("none"),
  LLM_MODEL: z.string().default(""),
  LLM_BASE_URL: optionalUrl,
  LLM_API_KEY: z.string().default(""),
  LLM_TIMEOUT_MS: int(100, 600000).default(20000),

  /** Discord bot token; the bot does not start without it. */
  DISCORD_TOKEN: z.string().default(""),
  /** Application id; otherwise read from the client after login. */
  DISCORD_CLIENT_ID: z.string().regex(/^\d*$/, "a numeric snowflake").default(""),
  /** Register commands in this guild only (instant); global otherwise. */
  DISCORD_GUILD_ID: z.string().regex(/^\d*$/, "a numeric snowflake").default(""),
  /** REST API base handed to discord.js (`rest.api`). Default Discord's own. */
  DISCORD_API_BASE: httpUrl.default("https://discord.com/api"),
  /** Answer @mentions (needs the privileged Message Content intent). Default false. */
  DISCORD_MENTIONS: bool.default("false"),
  /** Reply to mentions in a new thread rather than inline. Default false. */
  DISCORD_MENTION_THREADS: bool.default("false"),
  /**
   * Total shards across every process of the bot. Unset: discord.js asks Discord for its recommended
   * count (`shards: 'auto'`) and this process runs them all. Default unset.
   */
  SHARD_COUNT: int(1, 65536).optional(),
  /**
   * The shards this process runs, as ids and ranges below SHARD_COUNT (`0,2` or `0-3`), so several
   * processes or machines can split them; needs SHARD_COUNT. Default every shard of SHARD_COUNT.
   */
  SHARD_IDS: z
    .string()
    .regex(/^\s*\d+(\s*-\s*\d+)?(\s*,\s*\d+(\s*-\s*\d+)?)*\s*$/, "expected shard ids and ranges such as 0,2 or 0-3")
    .transform((v) =>
      [
        ...new Set(
          v.split(",").flatMap((part) => {
            const [from, to = from] = part.split("-").map((n) => Number(n.trim())) as [number, number?];
            return Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);
          }),
        ),
      ].sort((a, b) => a - b),
    )
    .optional(),
  /** Questions per user per minute. Default 6. */
  RATE_LIMIT_USER_PER_MIN: int(1, 10000).default(6),
  /** Questions per guild per minute. Default 60. */
  RATE_LIMIT_GUILD_PER_MIN: int(1, 100000).default(60),

  /** The app-state SQLite database (feedback, server settings, thread history). Default `<DATA_DIR>/state.sqlite`. */
  STATE_DB: z.string().default(""),
  /**
   * PostgreSQL connection URL (`postgres://user:password@host:5432/db`). Set: settings, thread history,
   * feedback, gap records, rate-limit counts and the articles live there, shared by every process and
   * machine, and STATE_DB is not used. Unset: the embedded SQLite file. Default unset.
   */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "expected a postgres:// URL")
    .optional(),
  /** Earlier turns of a thread kept as context for follow-ups. Default 6. */
  HISTORY_TURNS: int(1, 50).default(6),
  /** Minutes after its last turn that a thread's history is forgotten. Default 1440 (one day). */
  HISTORY_TTL_MIN: int(1, 525600).default(1440),
  /** Most tokens (about 4 characters each) of earlier turns put into an LLM prompt. Default 1000. */
  HISTORY_MAX_TOKENS: int(0, 32000).default(1000),
});

export type Config = z.infer<typeof configSchema> & {
  /** Absolute forms of CORPUS_DIR and DATA_DIR, resolved against the working directory. */
  corpusDir: string;
  dataDir: string;
  cacheDir: string;
  /** Absolute form of STATE_DB. */
  stateFile: string;
};

/** Parse the environment once. A bad value throws one line naming the variable and what it accepts. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const input: Record<string, string> = {};
  for (const key of Object.keys(configSchema.shape)) {
    const value = env[key];
    if (value !== undefined && value !== "") input[key] = value;
  }
  const parsed = configSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const key = String(issue.path[0] ?? "config");
    throw new AppError("CONFIG", `config: ${key}=${JSON.stringify(input[key] ?? "")} is invalid: ${describe(issue)}`);
  }
  return {
    ...parsed.data,
    corpusDir: path.resolve(parsed.data.CORPUS_DIR),
    dataDir: path.resolve(parsed.data.DATA_DIR),
    cacheDir: path.resolve(parsed.data.CACHE_DIR || path.join(parsed.data.DATA_DIR, "cache")),
    stateFile: path.resolve(parsed.data.STATE_DB || path.join(parsed.data.DATA_DIR, "state.sqlite")),
  };
}

/**
 * A URL's `user:password@` moved into an `Authorization: Basic …` header: fetch refuses URLs with
 * credentials, and a URL with a password must never be logged. Other URLs come back unchanged.
 */
export function splitUrlCredentials(url: string): { url: string; authorization?: string } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { url };
  }
  if (!parsed.username && !parsed.password) return { url };
  const user = decodeURIComponent(parsed.username);
  const password = decodeURIComponent(parsed.password);
  parsed.username = "";
  parsed.password = "";
  const bare = parsed.toString();
  return { url: url.endsWith("/") ? bare : bare.replace(/\/$/, ""), authorization: `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}` };
}

/** Every configured secret: tokens, keys, and passwords (and their Basic headers) inside URLs. For the scrubber. */
export function secretValues(
  config: Pick<Config, "DISCORD_TOKEN" | "LLM_API_KEY" | "EMBEDDINGS_API_KEY" | "LLM_BASE_URL" | "EMBEDDINGS_BASE_URL"> & { DATABASE_URL?: string | undefined },
): string[] {
  const out = [config.DISCORD_TOKEN, config.LLM_API_KEY, config.EMBEDDINGS_API_KEY];
  if (config.DATABASE_URL) {
    try {
      const { password } = new URL(config.DATABASE_URL);
      if (password) out.push(password, decodeURIComponent(password));
    } catch {
      // Not a URL pg can read either: it reports that itself.
    }
  }
  for (const url of [config.LLM_BASE_URL, config.EMBEDDINGS_BASE_URL]) {
    if (!url) continue;
    const { authorization } = splitUrlCredentials(url);
    if (!authorization) continue;
    const parsed = new URL(url);
    out.push(authorization.slice("Basic ".length), decodeURIComponent(parsed.password), parsed.password);
  }
  return out.filter((s) => s.length > 0);
}

function describe(issue: z.ZodIssue): string {
  if (issue.code === "invalid_enum_value") return `expected one of ${issue.options.join(", ")}`;
  if (issue.code === "too_small") return `expected at least ${String(issue.minimum)}`;
  if (issue.code === "too_big") return `expected at most ${String(issue.maximum)}`;
  if (issue.code === "invalid_type") return `expected ${issue.expected}`;
  if (issue.code === "invalid_union") return describe(issue.unionErrors.at(-1)?.issues[0] ?? issue);
  return issue.message;
}
