import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEmbedder } from "../../src/embeddings/provider.js";
import { testConfig } from "../helpers/core.js";
import { closedPort } from "../helpers/net.js";

describe("embedding providers", () => {
  it("embeds offline with GloVe by default, as unit vectors of 100 dimensions", async () => {
    const embedder = await createEmbedder(testConfig({}));
    expect(embedder.name).toBe("glove-sg-100d-sif");
    const [a, b, c] = await embedder.embeddings.embedDocuments(["the frontier was closed", "the border was shut", "a recipe for cake"]);
    const dot = (x: number[], y: number[]) => x.reduce((s, v, i) => s + v * y[i]!, 0);
    expect(a).toHaveLength(100);
    expect(dot(a!, a!)).toBeCloseTo(1, 5);
    expect(dot(a!, b!)).toBeGreaterThan(dot(a!, c!));
  });

  it("fails with one line when Ollama is unreachable", async () => {
    const port = await closedPort();
    const config = testConfig({ EMBEDDINGS_PROVIDER: "ollama", EMBEDDINGS_BASE_URL: `http://127.0.0.1:${port}` });
    await expect(createEmbedder(config)).rejects.toThrow(
      new RegExp(`^embeddings: Ollama at http://127.0.0.1:${port} is unreachable or has no model "nomic-embed-text": [^\\n]+$`),
    );
  });

  describe("an OpenAI-compatible server", () => {
    let server: Server;
    let base: string;
    beforeAll(async () => {
      server = createServer((req, res) => {
        let body = "";
        req.on("data", (d) => (body += d));
        req.on("end", () => {
          const { input, model, encoding_format } = JSON.parse(body) as { input: string[] | string; model: string; encoding_format?: string };
          if (model !== "tiny-embed") {
            res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: `model ${model} not found` } }));
            return;
          }
          const inputs = Array.isArray(input) ? input : [input];
          // The openai client asks for base64 (little-endian float32) unless told otherwise.
          const encode = (v: number[]) => (encoding_format === "base64" ? Buffer.from(new Float32Array(v).buffer).toString("base64") : v);
          const data = inputs.map((text, index) => ({ object: "embedding", index, embedding: encode([text.length, 1, 0, 0.5]) }));
          res
            .writeHead(200, { "content-type": "application/json" })
            .end(JSON.stringify({ object: "list", data, model, usage: { prompt_tokens: 1, total_tokens: 1 } }));
        });
      });
      await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
    });
    afterAll(() => new Promise<void>((r) => server.close(() => r())));

    it("is probed for its dimensions over real HTTP", async () => {
      const embedder = await createEmbedder(testConfig({ EMBEDDINGS_PROVIDER: "openai", EMBEDDINGS_BASE_URL: base, EMBEDDINGS_MODEL: "tiny-embed" }));
      expect(embedder).toMatchObject({ name: "openai:tiny-embed", dimensions: 4 });
    });

    it("names the model when the server rejects it", async () => {
      await expect(createEmbedder(testConfig({ EMBEDDINGS_PROVIDER: "openai", EMBEDDINGS_BASE_URL: base, EMBEDDINGS_MODEL: "missing" }))).rejects.toThrow(
        /^embeddings: OpenAI-compatible server http:\/\/127\.0\.0\.1:\d+\/v1 is unreachable or rejected model "missing": /,
      );
    });
  });
});
