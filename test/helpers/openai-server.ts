import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

/**
 * What the fake model does with one request, in turn: reply with text (after an optional delay), answer
 * with an HTTP error, or drop the connection.
 */
export type Scripted = { content: string; delayMs?: number } | { status: number; error: string } | { hangUp: true };

/** One request as the server received it. */
export interface RecordedRequest {
  /** `openai` for POST /v1/chat/completions, `ollama` for POST /api/chat. */
  api: "openai" | "ollama";
  path: string;
  authorization: string | undefined;
  model: string;
  messages: Array<{ role: string; content: string }>;
  /** The whole JSON body, for provider options (`format`, `options.num_ctx`, `temperature`…). */
  body: Record<string, unknown>;
}

/**
 * A local LLM server on 127.0.0.1 (port 0) that answers from a script and records each request. It
 * speaks OpenAI's chat completions (`POST /v1/chat/completions`) and Ollama's chat API (`POST /api/chat`,
 * streamed as NDJSON like the real one), so the real @langchain/openai and @langchain/ollama clients
 * talk to it over real HTTP. An empty script answers HTTP 500.
 */
export class FakeOpenAI {
  readonly requests: RecordedRequest[] = [];
  private script: Scripted[] = [];
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();
  port = 0;
  /**
   * When true, every request (any route) fails with HTTP 500 and an error message that echoes its
   * Authorization header and URL, as some proxies do: secrets must not survive that into any output.
   */
  echoErrors = false;
  /**
   * When true, an OpenAI request that offers tools is answered with a call of the tool it names in
   * `tool_choice` (else its first tool), the scripted content as the call's arguments, as servers with
   * tool support do. When false (the default), tools are ignored and the content is the message text,
   * as servers without tool support do.
   */
  toolCalls = false;
  /** Authorization headers of every request, including those answered by `echoErrors`. */
  readonly authorizations: Array<string | undefined> = [];

  /** OpenAI-style base URL, `http://127.0.0.1:<port>/v1`. */
  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}/v1`;
  }

  /** Ollama-style base URL, `http://127.0.0.1:<port>`. */
  get ollamaUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Scripted replies not used yet. */
  get pending(): number {
    return this.script.length;
  }

  queue(...replies: Scripted[]): void {
    this.script.push(...replies);
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      let raw = "";
      req.setEncoding("utf8");
      req.on("data", (d: string) => (raw += d));
      req.on("end", () => void this.handle(req, raw, res));
    });
    this.server.on("connection", (s) => {
      this.sockets.add(s);
      s.on("close", () => this.sockets.delete(s));
    });
    await new Promise<void>((r) => this.server!.listen(0, "127.0.0.1", r));
    this.port = (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  private async handle(req: IncomingMessage, raw: string, res: ServerResponse): Promise<void> {
    const path = req.url ?? "";
    this.authorizations.push(req.headers.authorization);
    if (this.echoErrors) {
      const message = `fake-llm echo: authorization=${req.headers.authorization ?? ""} url=http://${req.headers.host ?? ""}${path}`;
      res.writeHead(500, { "content-type": "application/json" }).end(JSON.stringify({ error: { message, type: "server_error" } }));
      return;
    }
    const api = req.method === "POST" && path.endsWith("/chat/completions") ? "openai" : req.method === "POST" && path === "/api/chat" ? "ollama" : undefined;
    if (!api) {
      res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: `fake-llm: no route ${req.method} ${path}` } }));
      return;
    }
    const body = JSON.parse(raw) as Record<string, unknown> & { model: string; messages: RecordedRequest["messages"] };
    this.requests.push({ api, path, authorization: req.headers.authorization, model: body.model, messages: body.messages, body });
    const next = this.script.shift() ?? { status: 500, error: "fake-llm: script exhausted" };

    if ("hangUp" in next) {
      req.socket.destroy();
      return;
    }
    if ("status" in next) {
      const error = api === "openai" ? { error: { message: next.error, type: "invalid_request_error" } } : { error: next.error };
      res.writeHead(next.status, { "content-type": "application/json" }).end(JSON.stringify(error));
      return;
    }
    if (next.delayMs) {
      await new Promise<void>((r) => {
        const t = setTimeout(() => (this.timers.delete(t), r()), next.delayMs);
        this.timers.add(t);
      });
    }
    if (res.destroyed || res.socket?.destroyed) return;
    if (api === "openai") {
      const call = this.toolCalls ? toolNamed(body) : undefined;
      const message = call
        ? {
            role: "assistant",
            content: null,
            tool_calls: [{ id: `call_${this.requests.length}`, type: "function", function: { name: call, arguments: next.content } }],
          }
        : { role: "assistant", content: next.content };
      res.writeHead(200, { "content-type": "application/json" }).end(
        JSON.stringify({
          id: `chatcmpl-${this.requests.length}`,
          object: "chat.completion",
          created: Math.floor(Date.now() / 1000),
          model: body.model,
          choices: [{ index: 0, message, finish_reason: call ? "tool_calls" : "stop" }],
          usage: { prompt_tokens: 100, completion_tokens: 50, total_tokens: 150 },
        }),
      );
      return;
    }
    // Ollama streams NDJSON: content chunks, then a final `done` line.
    const at = new Date().toISOString();
    const half = Math.ceil(next.content.length / 2);
    const lines: Array<Record<string, unknown>> = [next.content.slice(0, half), next.content.slice(half)].map((content) => ({
      model: body.model,
      created_at: at,
      message: { role: "assistant", content },
      done: false,
    }));
    lines.push({
      model: body.model,
      created_at: at,
      message: { role: "assistant", content: "" },
      done: true,
      done_reason: "stop",
      prompt_eval_count: 100,
      eval_count: 50,
    });
    res.writeHead(200, { "content-type": "application/x-ndjson" }).end(lines.map((l) => JSON.stringify(l)).join("\n") + "\n");
  }
}

/** The tool a request makes the model call (`tool_choice`), else the first it offers; none without tools. */
function toolNamed(body: Record<string, unknown>): string | undefined {
  const tools = body["tools"] as Array<{ function?: { name?: string } }> | undefined;
  if (!tools?.length) return undefined;
  const choice = body["tool_choice"] as { function?: { name?: string } } | string | undefined;
  return (typeof choice === "object" ? choice.function?.name : undefined) ?? tools[0]?.function?.name;
}
