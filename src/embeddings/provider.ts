import type { Embeddings } from "@langchain/core/embeddings";
import { splitUrlCredentials, type Config } from "../config.js";
import { AppError } from "../errors.js";
import { GloveEmbeddings } from "./glove.js";

/** Embeddings as the index uses them: a LangChain `Embeddings` that knows its name and size. */
export interface PassageEmbedder {
  /** Recorded in the index manifest; a different name means the index is rebuilt. */
  readonly name: string;
  readonly dimensions: number;
  readonly embeddings: Embeddings;
  /** GloVe only: make sure the cache holds every word of these texts (may return a new embedder). */
  withVocabulary?(texts: Iterable<string>): PassageEmbedder;
  /** GloVe only: make sure the cache holds these words (those `embedPassages` reported missing). */
  withWords?(words: Iterable<string>): PassageEmbedder;
  /** GloVe only: the word vectors, for query expansion. */
  readonly glove?: GloveEmbeddings;
  /**
   * GloVe only: vectors of `texts`, concatenated, without the round trip through `number[][]`; words
   * GloVe knows but the cache lacks are added to `missing` (their texts need `withVocabulary` first).
   */
  embedPassages?(texts: string[], missing: Set<string>): Float32Array;
}

/** Vectors of `texts` concatenated (`dimensions` floats each), through `embedPassages` where the embedder has it. */
export async function embedPassages(embedder: PassageEmbedder, texts: string[], missing: Set<string>): Promise<Float32Array> {
  if (embedder.embedPassages) return embedder.embedPassages(texts, missing);
  const out = new Float32Array(texts.length * embedder.dimensions);
  if (texts.length === 0) return out;
  (await embedder.embeddings.embedDocuments(texts)).forEach((v, i) => out.set(v, i * embedder.dimensions));
  return out;
}

export function gloveEmbedder(glove: GloveEmbeddings): PassageEmbedder {
  return {
    name: glove.name,
    dimensions: glove.dimensions,
    embeddings: glove,
    glove,
    embedPassages: (texts, missing) => glove.embedTexts(texts, missing),
    withVocabulary: (texts) => {
      const next = glove.withVocabulary(texts);
      return next === glove ? gloveEmbedder(glove) : gloveEmbedder(next);
    },
    withWords: (words) => {
      const next = glove.withWords(words);
      return next === glove ? gloveEmbedder(glove) : gloveEmbedder(next);
    },
  };
}

/**
 * The embedder the config names. Only `glove` works offline; the others load real clients and fail
 * with one line when their model or server cannot be reached.
 */
export async function createEmbedder(config: Config, hooks: { onConvert?: () => void } = {}): Promise<PassageEmbedder> {
  switch (config.EMBEDDINGS_PROVIDER) {
    case "glove": {
      const glove = GloveEmbeddings.open({
        cacheDir: config.cacheDir,
        vocabSize: config.GLOVE_VOCAB_SIZE,
        ...(hooks.onConvert ? { onConvert: hooks.onConvert } : {}),
      });
      return gloveEmbedder(glove);
    }
    case "transformers": {
      const model = config.EMBEDDINGS_MODEL || "Xenova/all-MiniLM-L6-v2";
      let mod: typeof import("@langchain/community/embeddings/huggingface_transformers");
      try {
        mod = await import("@langchain/community/embeddings/huggingface_transformers");
      } catch (err) {
        throw new AppError(
          "EMBEDDINGS",
          `embeddings: the transformers provider needs @huggingface/transformers (npm install @huggingface/transformers): ${firstLine(err)}`,
        );
      }
      return probe(
        `transformers:${model}`,
        new mod.HuggingFaceTransformersEmbeddings({ model }),
        `model "${model}" could not be loaded (no network or no local copy)`,
      );
    }
    case "ollama": {
      const { OllamaEmbeddings } = await import("@langchain/ollama");
      const model = config.EMBEDDINGS_MODEL || "nomic-embed-text";
      const { url: baseUrl, authorization } = splitUrlCredentials(config.EMBEDDINGS_BASE_URL ?? "http://127.0.0.1:11434");
      return probe(
        `ollama:${model}`,
        new OllamaEmbeddings({ model, baseUrl, maxRetries: 0, ...(authorization ? { headers: { Authorization: authorization } } : {}) }),
        `Ollama at ${baseUrl} is unreachable or has no model "${model}"`,
      );
    }
    case "openai": {
      const { OpenAIEmbeddings } = await import("@langchain/openai");
      const model = config.EMBEDDINGS_MODEL || "text-embedding-3-small";
      // Credentials in the URL go into a header (fetch refuses them in URLs); the API key wins when set.
      const { url: baseURL, authorization } = config.EMBEDDINGS_BASE_URL
        ? splitUrlCredentials(config.EMBEDDINGS_BASE_URL)
        : { url: undefined, authorization: undefined };
      const defaultHeaders = authorization && !config.EMBEDDINGS_API_KEY ? { Authorization: authorization } : {};
      const embeddings = new OpenAIEmbeddings({
        model,
        apiKey: config.EMBEDDINGS_API_KEY || "not-needed",
        maxRetries: 0,
        ...(baseURL ? { configuration: { baseURL, defaultHeaders } } : {}),
      });
      return probe(`openai:${model}`, embeddings, `OpenAI-compatible server ${baseURL ?? "(default)"} is unreachable or rejected model "${model}"`);
    }
  }
}

/** Remote embedders report their size only by answering: ask once, and fail clearly if they can't. */
async function probe(name: string, embeddings: Embeddings, failure: string): Promise<PassageEmbedder> {
  let vector: number[];
  try {
    vector = await embeddings.embedQuery("dimension probe");
  } catch (err) {
    throw new AppError("EMBEDDINGS", `embeddings: ${failure}: ${firstLine(err)}`, { cause: err });
  }
  return { name, dimensions: vector.length, embeddings };
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split("\n")[0] ?? "";
}
