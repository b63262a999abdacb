import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadConfig } from "../src/config.js";
import { createLogger } from "../src/log.js";
import { openAnswerService } from "../src/service/answer-service.js";
import { importNewsDev, loadNewsDev, meetsExpect } from "./news-dev.js";

const set = loadNewsDev() as any;
const tmp = mkdtempSync(path.join(os.tmpdir(), "diag-"));
const ids = await importNewsDev(set, path.join(tmp, "corpus"));
const config = loadConfig({ CORPUS_DIR: path.join(tmp, "corpus"), DATA_DIR: path.join(tmp, "data"), CACHE_DIR: "../.data/cache", LOG_LEVEL: "warn", LLM_PROVIDER: "none" });
const s = await openAnswerService(config, { log: createLogger({ level: "warn" }) });
const ks = [5, 10, 20, 40, 80];
const hit: Record<number, number> = {}; let inArticle = 0; let n = 0; let sameSentence = 0;
for (const q of set.questions.filter((q: any) => q.answerable)) {
  n++;
  const passages = await s.search(q.q, { k: 80 });
  for (const k of ks) if (passages.slice(0, k).some((p) => p.passage.sentences.some((x: any) => meetsExpect(q.expect, x.text)))) hit[k] = (hit[k] ?? 0) + 1;
  const id = ids.get(q.article)!;
  const body = s.getPassage(`${id}#p1`)?.article.body ?? "";
  if (meetsExpect(q.expect, body)) inArticle++;
}
console.log({ n, hit, inArticle });
await s.close();
