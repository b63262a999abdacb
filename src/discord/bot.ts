import { Client, Events, GatewayIntentBits } from "discord.js";
import type { Config } from "../config.js";
import { AppError } from "../errors.js";
import type { Logger } from "../log.js";
import { buttons } from "./buttons.js";
import { NO_MENTIONS, type BotDeps } from "./command.js";
import { commands } from "./commands/index.js";
import { fatalGatewayClose } from "./gateway.js";
import { shardOptions } from "./shards.js";
import { createInteractionHandler } from "./interactions.js";
import { createMentionHandler } from "./mentions.js";
import { QuestionLimits } from "../state/rate-limit.js";
import type { AppState } from "../state/state.js";
import { openStateStore, sqliteStateStore, type StateStore } from "../state/open.js";
import type { AnswerService } from "../service/answer-service.js";

/** How long login may take before start-up gives up. */
const READY_TIMEOUT_MS = 60_000;

export interface RunningBot {
  client: Client;
  deps: BotDeps;
  /** Resolves with the reason when the gateway closes for good (bad token, disallowed intents…): the process should exit. */
  closed: Promise<AppError>;
  stop(): Promise<void>;
}

/**
 * Log in and serve commands (and mentions, if enabled) until `stop`. The app state (feedback, settings,
 * thread history, rate-limit counts) is opened from DATABASE_URL or STATE_DB unless given (`store`, or
 * an open SQLite `state`); `stop` closes what was opened here, after the writes still queued.
 */
export async function startBot(opts: { config: Config; core: AnswerService; log: Logger; state?: AppState; store?: StateStore }): Promise<RunningBot> {
  const { config, core, log } = opts;
  const state = opts.store ?? (opts.state ? sqliteStateStore(opts.state, config, log, { closeState: false }) : await openStateStore(config, { log }));
  const closeState = () => (opts.store ? state.writes.flush() : state.close());
  const intents = [GatewayIntentBits.Guilds];
  // Message Content is privileged: ask for it only when mentions are switched on.
  if (config.DISCORD_MENTIONS) intents.push(GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent);
  let client: Client;
  try {
    client = new Client({ intents, rest: { api: config.DISCORD_API_BASE }, allowedMentions: NO_MENTIONS, ...shardOptions(config) });
  } catch (err) {
    await closeState();
    throw err;
  }
  const deps: BotDeps = {
    core,
    config,
    log,
    feedback: state.feedback,
    settings: state.settings,
    history: state.history,
    reports: state.reports,
    limits: new QuestionLimits(config.RATE_LIMIT_USER_PER_MIN, config.RATE_LIMIT_GUILD_PER_MIN, state.limiters),
    writes: state.writes,
  };
  client.on(Events.InteractionCreate, createInteractionHandler(commands, buttons, deps));
  if (config.DISCORD_MENTIONS) client.on(Events.MessageCreate, createMentionHandler(client, deps));
  client.on(Events.Error, (err) => log.error({ err }, "discord: client error"));
  // An unrecoverable close is reported once, by whoever owns the process (see `closed`), not logged here.
  let onFatal: (err: AppError) => void = () => undefined;
  const closed = new Promise<AppError>((resolve) => (onFatal = resolve));
  client.on(Events.ShardDisconnect, (event) => {
    const fatal = fatalGatewayClose(event.code);
    if (fatal) onFatal(fatal);
    else log.warn({ code: event.code }, "discord: gateway disconnected");
  });

  let timer: NodeJS.Timeout | undefined;
  try {
    const ready = new Promise<void>((resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`discord: not ready ${READY_TIMEOUT_MS / 1000} s after login`)), READY_TIMEOUT_MS);
      client.once(Events.ClientReady, () => resolve());
      void closed.then(reject);
    });
    const login = client.login(config.DISCORD_TOKEN);
    // A fatal close can settle `ready` first; the login promise then fails on its own, already reported.
    login.catch(() => undefined);
    await Promise.race([login.then(() => ready), ready]);
  } catch (err) {
    await client.destroy();
    await closeState();
    throw err;
  } finally {
    clearTimeout(timer);
  }
  log.info(
    {
      user: client.user?.tag,
      guilds: client.guilds.cache.size,
      state: state.where,
      shards: client.options.shards,
      shardCount: client.options.shardCount,
      mentions: config.DISCORD_MENTIONS,
    },
    "discord: ready",
  );
  return {
    client,
    deps,
    closed,
    stop: async () => {
      await client.destroy();
      await closeState();
      log.info("discord: stopped");
    },
  };
}
