import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** What one path answers: status, headers and body, or a handler for slow or streamed answers. */
export type PageRoute =
  | { status?: number; type?: string; body: string | Buffer; headers?: Record<string, string> }
  | ((req: IncomingMessage, res: ServerResponse) => void);

/** A news site (or Discord's attachment CDN) on 127.0.0.1: serves developer-written pages by path. */
export class PagesServer {
  private http!: Server;
  private readonly routes = new Map<string, PageRoute>();
  /** Paths requested, in order. */
  readonly requests: string[] = [];
  port = 0;

  url(p: string): string {
    return `http://127.0.0.1:${this.port}${p}`;
  }

  route(p: string, r: PageRoute): this {
    this.routes.set(p, r);
    return this;
  }

  async start(): Promise<void> {
    this.http = createServer((req, res) => {
      const p = new URL(req.url ?? "/", "http://127.0.0.1").pathname;
      this.requests.push(p);
      const r = this.routes.get(p);
      if (!r) return void res.writeHead(404, { "content-type": "text/html" }).end("<h1>Not found</h1>");
      if (typeof r === "function") return r(req, res);
      res.writeHead(r.status ?? 200, { "content-type": r.type ?? "text/html; charset=utf-8", ...r.headers }).end(r.body);
    });
    await new Promise<void>((r) => this.http.listen(0, "127.0.0.1", r));
    this.port = (this.http.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    this.http.closeAllConnections();
    await new Promise<void>((r) => this.http.close(() => r()));
  }
}
