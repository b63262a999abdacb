import { parentPort } from "node:worker_threads";
import Database from "better-sqlite3";
import { sha256File } from "./hnsw-store.js";
import type { VerifyReply, VerifyRequest } from "./verify.js";

/** Entry of the `Verifier` thread: hashes files and checks databases, one request at a time, in order. */
parentPort!.on("message", (m: VerifyRequest) => {
  let reply: VerifyReply;
  try {
    if (m.type === "hash") reply = { id: m.id, value: sha256File(m.file) };
    else {
      const db = new Database(m.file, { readonly: true, fileMustExist: true });
      try {
        const rows = db.pragma(`quick_check(${m.max})`, { simple: false }) as Array<Record<string, string>>;
        reply = { id: m.id, value: rows.map((r) => Object.values(r)[0] ?? "").filter((line) => line !== "ok") };
      } finally {
        db.close();
      }
    }
  } catch (err) {
    reply = { id: m.id, error: (err as Error).message };
  }
  parentPort!.postMessage(reply);
});
