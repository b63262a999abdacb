import type { Command } from "../command.js";
import { askCommand } from "./ask.js";
import { citeCommand } from "./cite.js";
import { helpCommand } from "./help.js";
import { reindexCommand } from "./reindex.js";
import { settingsCommand } from "./settings.js";
import { gapsCommand } from "./gaps.js";
import { sourceCommand } from "./source.js";
import { sourcesCommand } from "./sources.js";
import { verifyCommand } from "./verify.js";

export const commands: Command[] = [
  askCommand,
  citeCommand,
  verifyCommand,
  sourcesCommand,
  reindexCommand,
  helpCommand,
  settingsCommand,
  gapsCommand,
  sourceCommand,
];
