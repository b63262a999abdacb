import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { WebSocketServer, type WebSocket } from "ws";

/** One REST call the bot made, as the test server received it. */
export interface RestCall {
  method: string;
  path: string;
  query: string;
  body: any;
  /** The Authorization header the bot sent (`Bot <token>`). */
  authorization?: string | undefined;
  /** Files of a multipart request (attachments), as sent. */
  files?: Array<{ name: string; filename: string; contentType: string; data: Buffer }>;
  /** What the fake answered (set once it has). */
  response?: any;
}

/** A scripted REST failure: calls that match get this status and body instead of the normal reply. */
export interface RestFailure {
  match: (c: RestCall) => boolean;
  status: number;
  body: (c: RestCall) => unknown;
}

export const APP_ID = "900000000000000001";
export const BOT_ID = APP_ID;
export const GUILD_ID = "900000000000000010";
export const CHANNEL_ID = "900000000000000020";
/** A second text channel, for per-channel settings. */
export const OTHER_CHANNEL_ID = "900000000000000021";
/** ADMINISTRATOR is not needed: Manage Server (1 << 5) is what /reindex checks. */
export const MANAGE_GUILD = String(1n << 5n);
export const MEMBER_PERMISSIONS = String((1n << 10n) | (1n << 11n)); // view channel, send messages
/** A second server, one unit of `1 << 22` after GUILD_ID: with 2 shards it lands on shard 0, GUILD_ID on shard 1. */
export const OTHER_GUILD_ID = String(BigInt(GUILD_ID) + (1n << 22n));

/** The shard Discord sends a server's events to: `(guild_id >> 22) % shard_count`. */
export function shardOf(guildId: string, shardCount: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(shardCount));
}

/** `count` server ids, the first GUILD_ID, each on the next shard of `count` (for shard routing and load runs). */
export function guildIds(count: number): string[] {
  return Array.from({ length: count }, (_, i) => String(BigInt(GUILD_ID) + (BigInt(i) << 22n)));
}

/** The text channel of a server: CHANNEL_ID in GUILD_ID, an id derived from the server's in any other. */
export function channelOf(guildId: string): string {
  return guildId === GUILD_ID ? CHANNEL_ID : String(BigInt(guildId) + 10n);
}

/** Identifies per 5 s Discord allows: high, so that several shards log in at once rather than 5 s apart. */
const MAX_CONCURRENCY = 16;

let snowflake = 950000000000000000n;
const nextId = () => String((snowflake += 1n));

/** The servers the fake hosts and the shard count it recommends (`GET /gateway/bot`). */
export interface FakeDiscordOptions {
  /** Server ids, each sent to the shard that owns it. Default `[GUILD_ID]`. */
  guilds?: string[];
  /** What `GET /gateway/bot` recommends (discord.js's `shards: 'auto'` follows it). Default 1. */
  recommendedShards?: number;
}

/**
 * Enough of Discord's REST API (v10) and Gateway (v10, JSON, no compression) on 127.0.0.1 for the real
 * discord.js client: login, READY and GUILD_CREATE, heartbeats, dispatching interactions and messages,
 * and recording every REST call the bot makes. Sharded as Discord is: IDENTIFY may carry
 * `shard: [id, count]`, and a server's events go only to the connection of the shard that owns it.
 */
export class FakeDiscord {
  readonly calls: RestCall[] = [];
  /** Every IDENTIFY payload received, in order. */
  readonly identifies: any[] = [];
  readonly guilds: string[];
  readonly recommendedShards: number;
  private http!: Server;
  private wss!: WebSocketServer;
  private sockets = new Set<WebSocket>();
  /** The shard each identified connection runs. */
  private shards = new Map<WebSocket, { id: number; count: number }>();
  private seq = 0;
  private waiters: Array<{ match: (c: RestCall) => boolean; resolve: (c: RestCall) => void }> = [];
  identified!: Promise<any>;
  private identify!: (d: any) => void;
  port = 0;
  /** When set, the gateway answers IDENTIFY by closing with this code (4004 bad token, 4014 disallowed intents…). */
  closeOnIdentify: number | undefined;
  /** Scripted REST failures, tried in order before the normal routes. */
  readonly failures: RestFailure[] = [];

  constructor(opts: FakeDiscordOptions = {}) {
    this.guilds = opts.guilds ?? [GUILD_ID];
    this.recommendedShards = opts.recommendedShards ?? 1;
  }

  get apiBase(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }

  async start(): Promise<void> {
    this.identified = new Promise((r) => (this.identify = r));
    this.http = createServer((req, res) => void this.onRequest(req, res));
    this.wss = new WebSocketServer({ server: this.http });
    this.wss.on("connection", (ws) => this.onSocket(ws));
    await new Promise<void>((r) => this.http.listen(0, "127.0.0.1", r));
    this.port = (this.http.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    for (const ws of this.sockets) ws.terminate();
    await new Promise<void>((r) => this.wss.close(() => r()));
    await new Promise<void>((r) => this.http.close(() => r()));
  }

  /** Resolves with the first REST call (already made or future) that matches. */
  waitFor(match: (c: RestCall) => boolean, timeoutMs = 20000): Promise<RestCall> {
    const done = this.calls.find(match);
    if (done) return Promise.resolve(done);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`discord-server: no matching REST call in ${timeoutMs} ms; saw ${this.calls.map((c) => `${c.method} ${c.path}`).join(", ")}`)),
        timeoutMs,
      );
      this.waiters.push({ match, resolve: (c) => (clearTimeout(timer), resolve(c)) });
    });
  }

  /** REST calls made for one interaction token (callbacks, follow-ups, edits). */
  callsFor(token: string): RestCall[] {
    return this.calls.filter((c) => c.path.includes(`/${token}`));
  }

  /** Close every gateway connection with this code, as Discord does when it ends a session. */
  closeGateway(code: number, reason = ""): void {
    for (const ws of this.sockets) ws.close(code, reason);
  }

  /** Resolves once `count` IDENTIFYs (of any connection) have arrived. */
  async identifiedTimes(count: number, timeoutMs = 60_000): Promise<void> {
    const t0 = Date.now();
    while (this.identifies.length < count) {
      if (Date.now() - t0 > timeoutMs) throw new Error(`discord-server: ${this.identifies.length} of ${count} IDENTIFYs in ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** The shards identified connections run, as `[id, count]` pairs. */
  get connectedShards(): Array<[number, number]> {
    return [...this.shards.values()].map((s) => [s.id, s.count]);
  }

  /** Send an event to the connection of the shard that owns `guildId`, or to every connection when there is none. */
  private dispatch(t: string, d: unknown, guildId?: string): void {
    for (const [ws, shard] of this.shards) {
      if (guildId !== undefined && shardOf(guildId, shard.count) !== shard.id) continue;
      ws.send(JSON.stringify({ op: 0, t, s: ++this.seq, d }));
    }
  }

  private onSocket(ws: WebSocket): void {
    this.sockets.add(ws);
    ws.on("close", () => (this.sockets.delete(ws), this.shards.delete(ws)));
    ws.send(JSON.stringify({ op: 10, d: { heartbeat_interval: 41250 }, s: null, t: null }));
    ws.on("message", (raw) => {
      const msg = JSON.parse(raw.toString()) as { op: number; d: any };
      if (msg.op === 1) ws.send(JSON.stringify({ op: 11, d: null, s: null, t: null }));
      if (msg.op === 2) {
        this.identifies.push(msg.d);
        this.identify(msg.d);
        if (this.closeOnIdentify !== undefined) return ws.close(this.closeOnIdentify, "closed by the test");
        const [id, count] = (Array.isArray(msg.d.shard) ? msg.d.shard : [0, 1]) as [number, number];
        // Discord closes with 4010 for a shard pair that makes no sense.
        if (!(count >= 1 && id >= 0 && id < count)) return ws.close(4010, "Invalid shard");
        this.shards.set(ws, { id, count });
        const mine = this.guilds.filter((g) => shardOf(g, count) === id);
        const user = { id: BOT_ID, username: "newsbot", discriminator: "0", global_name: null, avatar: null, bot: true };
        ws.send(
          JSON.stringify({
            op: 0,
            t: "READY",
            s: ++this.seq,
            d: {
              v: 10,
              user,
              guilds: mine.map((g) => ({ id: g, unavailable: true })),
              session_id: `fake-session-${id}-${count}`,
              resume_gateway_url: `ws://127.0.0.1:${this.port}`,
              shard: [id, count],
              application: { id: APP_ID, flags: 0 },
            },
          }),
        );
        for (const g of mine) ws.send(JSON.stringify({ op: 0, t: "GUILD_CREATE", s: ++this.seq, d: guildPayload(g) }));
      }
    });
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const path = decodeURIComponent(url.pathname).replace(/^\/api(\/v\d+)?/, "");
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const bytes = Buffer.concat(chunks);
    const raw = bytes.toString("utf8");
    let body: any = undefined;
    let files: RestCall["files"];
    if (raw) {
      const type = req.headers["content-type"] ?? "";
      if (type.includes("multipart/form-data")) {
        const parts = multipart(bytes, /boundary=(?:"([^"]+)"|([^;]+))/.exec(type)?.slice(1).find(Boolean) ?? "");
        const json = parts.find((p) => p.name === "payload_json");
        body = json ? JSON.parse(json.data.toString("utf8")) : raw;
        files = parts.filter((p) => p.filename !== undefined).map((p) => ({ name: p.name, filename: p.filename!, contentType: p.contentType, data: p.data }));
      } else body = JSON.parse(raw);
    }
    const call: RestCall = {
      method: req.method ?? "GET",
      path,
      query: url.search,
      body,
      authorization: req.headers.authorization,
      ...(files ? { files } : {}),
    };
    this.calls.push(call);
    this.waiters = this.waiters.filter((w) => (w.match(call) ? (w.resolve(call), false) : true));
    const send = (status: number, data?: unknown) => {
      call.response = data;
      if (data === undefined) res.writeHead(status).end();
      else res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(data));
    };

    const failure = this.failures.find((f) => f.match(call));
    if (failure) return send(failure.status, failure.body(call));
    if (call.method === "GET" && path === "/gateway/bot") {
      return send(200, {
        url: `ws://127.0.0.1:${this.port}`,
        shards: this.recommendedShards,
        session_start_limit: { total: 1000, remaining: 999, reset_after: 0, max_concurrency: MAX_CONCURRENCY },
      });
    }
    if (call.method === "GET" && path === "/users/@me") return send(200, { id: BOT_ID, username: "newsbot", discriminator: "0", avatar: null, bot: true });
    if (call.method === "GET" && (path === "/oauth2/applications/@me" || path === "/applications/@me"))
      return send(200, { id: APP_ID, name: "newsbot", flags: 0, bot_public: true });
    if (call.method === "PUT" && /^\/applications\/\d+(\/guilds\/\d+)?\/commands$/.test(path)) {
      return send(
        200,
        (body as any[]).map((c) => ({ ...c, id: nextId(), application_id: APP_ID, version: "1" })),
      );
    }
    if (call.method === "POST" && /^\/interactions\/\d+\/[^/]+\/callback$/.test(path)) return send(204);
    if (/^\/webhooks\/\d+\/[^/]+(\/messages\/[^/]+)?$/.test(path) && (call.method === "POST" || call.method === "PATCH")) {
      return send(200, messagePayload({ ...(body ?? {}), author: botUser(), webhook_id: APP_ID }));
    }
    if (call.method === "DELETE" && /^\/webhooks\/\d+\/[^/]+\/messages\/[^/]+$/.test(path)) return send(204);
    if (call.method === "POST" && /^\/channels\/\d+\/messages\/\d+\/threads$/.test(path)) {
      return send(201, {
        id: nextId(),
        type: 11,
        guild_id: GUILD_ID,
        parent_id: path.split("/")[2],
        name: body?.name ?? "thread",
        owner_id: BOT_ID,
        thread_metadata: { archived: false, auto_archive_duration: 60, locked: false, archive_timestamp: new Date().toISOString() },
        member_count: 1,
        message_count: 0,
      });
    }
    if (call.method === "POST" && /^\/channels\/\d+\/messages$/.test(path)) {
      return send(200, messagePayload({ ...(body ?? {}), channel_id: path.split("/")[2], author: botUser() }));
    }
    if (call.method === "POST" && /^\/channels\/\d+\/typing$/.test(path)) return send(204);
    send(404, { message: "Unknown route in the fake Discord", code: 0 });
  }

  /** Send an application command, an autocomplete or a button press as a member would. */
  interaction(opts: {
    type: 2 | 3 | 4;
    data: Record<string, unknown>;
    userId?: string;
    permissions?: string;
    message?: Record<string, unknown>;
    /** Where it was used; default CHANNEL_ID. A thread the bot opened is given with its parent. */
    channelId?: string;
    parentId?: string;
    /** The server it was used in; default GUILD_ID. Its events go to the shard that owns it. */
    guildId?: string;
  }): { id: string; token: string } {
    const id = nextId();
    const guildId = opts.guildId ?? GUILD_ID;
    const channelId = opts.channelId ?? channelOf(guildId);
    const token = `tok-${id}`;
    const user = { id: opts.userId ?? "800000000000000001", username: "asker", discriminator: "0", global_name: "Asker", avatar: null };
    this.dispatch(
      "INTERACTION_CREATE",
      {
        id,
        application_id: APP_ID,
        type: opts.type,
        data: opts.data,
        guild_id: guildId,
        channel_id: channelId,
        channel: opts.parentId
          ? {
              id: opts.channelId,
              type: 11,
              guild_id: guildId,
              name: "thread",
              parent_id: opts.parentId,
              thread_metadata: { archived: false, auto_archive_duration: 60, locked: false, archive_timestamp: new Date().toISOString() },
            }
          : { id: channelId, type: 0, guild_id: guildId, name: opts.channelId === OTHER_CHANNEL_ID ? "other" : "general" },
        member: {
          user,
          roles: [],
          permissions: opts.permissions ?? MEMBER_PERMISSIONS,
          joined_at: new Date().toISOString(),
          deaf: false,
          mute: false,
          flags: 0,
        },
        token,
        version: 1,
        app_permissions: "0",
        locale: "en-US",
        guild_locale: "en-US",
        entitlements: [],
        authorizing_integration_owners: { "0": guildId },
        context: 0,
        ...(opts.message ? { message: opts.message } : {}),
      },
      guildId,
    );
    return { id, token };
  }

  /** A slash command with string options. */
  command(
    name: string,
    options: Record<string, string> = {},
    extra: { userId?: string; permissions?: string; channelId?: string; parentId?: string; guildId?: string } = {},
  ) {
    return this.interaction({
      type: 2,
      data: { id: nextId(), name, type: 1, options: Object.entries(options).map(([n, value]) => ({ name: n, type: 3, value })) },
      ...extra,
    });
  }

  /**
   * A slash command's subcommand with typed options: strings, booleans, integers, channels
   * (`{ channel: id }`, resolved as a text channel of the guild) and attachments (`{ attachment: … }`,
   * served from `url` and described in `resolved.attachments`, as Discord does: `/source add file:`).
   */
  subcommand(
    name: string,
    sub: string,
    options: Record<
      string,
      string | number | boolean | { channel: string } | { attachment: { filename: string; url: string; size: number; contentType?: string } }
    > = {},
    extra: { userId?: string; permissions?: string; channelId?: string; guildId?: string } = {},
  ) {
    const channels: Record<string, unknown> = {};
    const attachments: Record<string, unknown> = {};
    const opts = Object.entries(options).map(([n, value]) => {
      if (typeof value === "object" && "channel" in value) {
        channels[value.channel] = { id: value.channel, type: 0, name: `channel-${value.channel.slice(-2)}`, permissions: MEMBER_PERMISSIONS };
        return { name: n, type: 7, value: value.channel };
      }
      if (typeof value === "object") {
        const id = nextId();
        const a = value.attachment;
        attachments[id] = { id, filename: a.filename, size: a.size, url: a.url, proxy_url: a.url, content_type: a.contentType ?? "text/plain; charset=utf-8" };
        return { name: n, type: 11, value: id };
      }
      return { name: n, type: typeof value === "boolean" ? 5 : typeof value === "number" ? 4 : 3, value };
    });
    const resolved = {
      ...(Object.keys(channels).length ? { channels } : {}),
      ...(Object.keys(attachments).length ? { attachments } : {}),
    };
    return this.interaction({
      type: 2,
      data: { id: nextId(), name, type: 1, options: [{ name: sub, type: 1, options: opts }], ...(Object.keys(resolved).length ? { resolved } : {}) },
      ...extra,
    });
  }

  /** A button press on a message the bot sent. */
  button(customId: string, message: Record<string, unknown>, extra: { userId?: string; permissions?: string; guildId?: string } = {}) {
    return this.interaction({
      type: 3,
      data: { custom_id: customId, component_type: 2 },
      message: messagePayload({ ...message, author: botUser() }),
      ...extra,
    });
  }

  /** A user typing in a command option that has autocomplete. */
  autocomplete(name: string, option: string, value: string) {
    return this.interaction({ type: 4, data: { id: nextId(), name, type: 1, options: [{ name: option, type: 3, value, focused: true }] } });
  }

  /**
   * A message in the guild channel, or in `channelId` (a thread). `replyTo` makes it a reply to that
   * message of the bot's (without pinging unless `mentionsBot`).
   */
  message(content: string, opts: { mentionsBot?: boolean; userId?: string; channelId?: string; replyTo?: string } = {}): string {
    const id = nextId();
    const author = { id: opts.userId ?? "800000000000000001", username: "asker", discriminator: "0", global_name: "Asker", avatar: null };
    const channel_id = opts.channelId ?? CHANNEL_ID;
    const reply = opts.replyTo
      ? {
          type: 19,
          message_reference: { type: 0, message_id: opts.replyTo, channel_id, guild_id: GUILD_ID },
          referenced_message: messagePayload({ id: opts.replyTo, channel_id, author: botUser() }),
        }
      : {};
    this.dispatch(
      "MESSAGE_CREATE",
      {
        ...messagePayload({ id, content, author, channel_id, mentions: opts.mentionsBot ? [botUser()] : [], ...reply }),
        guild_id: GUILD_ID,
        member: { roles: [], joined_at: new Date().toISOString(), deaf: false, mute: false, flags: 0 },
      },
      GUILD_ID,
    );
    return id;
  }
}

/** The parts of a multipart/form-data body, bytes intact. */
function multipart(body: Buffer, boundary: string): Array<{ name: string; filename?: string; contentType: string; data: Buffer }> {
  const out: Array<{ name: string; filename?: string; contentType: string; data: Buffer }> = [];
  const delimiter = Buffer.from(`--${boundary}`);
  let at = body.indexOf(delimiter);
  while (at !== -1) {
    const next = body.indexOf(delimiter, at + delimiter.length);
    if (next === -1) break;
    const part = body.subarray(at + delimiter.length + 2, next - 2);
    const split = part.indexOf("\r\n\r\n");
    if (split !== -1) {
      const head = part.subarray(0, split).toString("utf8");
      const name = /name="([^"]*)"/.exec(head)?.[1] ?? "";
      const filename = /filename="([^"]*)"/.exec(head)?.[1];
      const contentType = /content-type:\s*([^\r\n]+)/i.exec(head)?.[1] ?? "";
      out.push({ name, ...(filename !== undefined ? { filename } : {}), contentType, data: part.subarray(split + 4) });
    }
    at = next;
  }
  return out;
}

function botUser() {
  return { id: BOT_ID, username: "newsbot", discriminator: "0", global_name: null, avatar: null, bot: true };
}

function messagePayload(over: Record<string, any>) {
  return {
    id: nextId(),
    channel_id: CHANNEL_ID,
    content: "",
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: [],
    embeds: [],
    components: [],
    pinned: false,
    type: 0,
    flags: 0,
    ...over,
  };
}

function guildPayload(guildId: string) {
  const channels =
    guildId === GUILD_ID
      ? [
          { id: CHANNEL_ID, name: "general" },
          { id: OTHER_CHANNEL_ID, name: "other" },
        ]
      : [{ id: channelOf(guildId), name: "general" }];
  return {
    id: guildId,
    name: "Test Guild",
    icon: null,
    owner_id: "800000000000000099",
    afk_timeout: 300,
    verification_level: 0,
    default_message_notifications: 0,
    explicit_content_filter: 0,
    roles: [
      { id: guildId, name: "@everyone", permissions: MEMBER_PERMISSIONS, position: 0, color: 0, hoist: false, managed: false, mentionable: false, flags: 0 },
    ],
    emojis: [],
    stickers: [],
    features: [],
    mfa_level: 0,
    system_channel_flags: 0,
    premium_tier: 0,
    preferred_locale: "en-US",
    nsfw_level: 0,
    premium_progress_bar_enabled: false,
    joined_at: new Date().toISOString(),
    large: false,
    unavailable: false,
    member_count: 3,
    members: [],
    voice_states: [],
    presences: [],
    threads: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
    channels: channels.map((c, position) => ({
      ...c,
      type: 0,
      guild_id: guildId,
      position,
      permission_overwrites: [],
      nsfw: false,
      parent_id: null,
      topic: null,
      last_message_id: null,
      rate_limit_per_user: 0,
    })),
  };
}
