import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

/** What the fake model does with one request: reply with text (after an optional delay), or fail. */
export type Scripted = { content: string; delayMs?: number } | { status: number; error: string };

/**
 * An OpenAI-compatible chat-completions server on 127.0.0.1 that answers from a script, in turn, and
 * records each request: the real @langchain/openai client talks to it over real HTTP.
 */
export class FakeOpenAI {
  readonly requests: Array<{ model: string; messages: Array<{ role: string; content: string }> }> = [];
  private script: Scripted[] = [];
  private server!: Server;
  private sockets = new Set<Socket>();
  port = 0;

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}/v1`;
  }

  queue(...replies: Scripted[]): void {
    this.script.push(...replies);
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      let raw = "";
      req.on("data", (d) => (raw += d));
      req.on("end", () => void this.handle(req.url ?? "", raw, res));
    });
    this.server.on("connection", (s) => {
      this.sockets.add(s);
      s.on("close", () => this.sockets.delete(s));
    });
    await new Promise<void>((r) => this.server.listen(0, "127.0.0.1", r));
    this.port = (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  private async handle(url: string, raw: string, res: ServerResponse): Promise<void> {
    if (!url.endsWith("/chat/completions")) {
      res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: "not found" } }));
      return;
    }
    const body = JSON.parse(raw) as { model: string; messages: Array<{ role: string; content: string }> };
    this.requests.push(body);
    const next = this.script.shift() ?? { status: 500, error: "fake-openai: script exhausted" };
    if ("status" in next) {
      res.writeHead(next.status, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: next.error, type: "server_error" } }));
      return;
    }
    if (next.delayMs) await new Promise((r) => setTimeout(r, next.delayMs));
    if (res.destroyed) return;
    res.writeHead(200, { "content-type": "application/json" }).end(
      JSON.stringify({
        id: `chatcmpl-${this.requests.length}`,
        object: "chat.completion",
        created: Math.floor(Date.now() / 1000),
        model: body.model,
        choices: [{ index: 0, message: { role: "assistant", content: next.content }, finish_reason: "stop" }],
        usage: { prompt_tokens: 100, completion_tokens: 50, total_tokens: 150 },
      }),
    );
  }
}
