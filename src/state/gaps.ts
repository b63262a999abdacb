import type { StateDb } from "./db.js";

/** A question the corpus failed: the bot declined it, or someone voted 👎 on its answer. */
export interface GapQuestion {
  answerId: string;
  at: string;
  question: string;
  reason: "declined" | "downvoted";
}

/** Questions on one UTC day, in three disjoint series. */
export interface DayCount {
  /** `YYYY-MM-DD`, UTC. */
  day: string;
  /** Answered, with no 👎. */
  answered: number;
  declined: number;
  /** Answered, with at least one 👎 standing. */
  downvoted: number;
}

export interface PeriodQuery {
  /** Inclusive start, ISO time. */
  since: string;
  /** Exclusive end, ISO time. */
  until: string;
  /** One server's questions only; every server when undefined. */
  guildId?: string | undefined;
}

const DOWNVOTED = "EXISTS (SELECT 1 FROM votes v WHERE v.answer_id = a.id AND v.vote = 'down')";

function where(q: PeriodQuery): { sql: string; params: string[] } {
  const params = [q.since, q.until];
  let sql = "a.at >= ? AND a.at < ?";
  if (q.guildId !== undefined) {
    sql += " AND a.guild_id = ?";
    params.push(q.guildId);
  }
  return { sql, params };
}

/** Declined and 👎 questions in the period, oldest first. Never who asked. */
export function gapQuestions(db: StateDb, q: PeriodQuery): GapQuestion[] {
  const w = where(q);
  const rows = db
    .prepare(`SELECT a.id, a.at, a.question, a.answered, ${DOWNVOTED} AS down FROM answers a WHERE ${w.sql} AND (a.answered = 0 OR ${DOWNVOTED}) ORDER BY a.at`)
    .all(...w.params) as Array<{ id: string; at: string; question: string; answered: number; down: number }>;
  return rows.map((r) => ({ answerId: r.id, at: r.at, question: r.question, reason: r.answered === 0 ? "declined" : "downvoted" }));
}

/** Questions per UTC day over the period, every day present (zeros included). */
export function dailyCounts(db: StateDb, q: PeriodQuery): DayCount[] {
  const w = where(q);
  const rows = db
    .prepare(
      `SELECT substr(a.at, 1, 10) AS day,
              SUM(CASE WHEN a.answered = 1 AND NOT ${DOWNVOTED} THEN 1 ELSE 0 END) AS answered,
              SUM(CASE WHEN a.answered = 0 THEN 1 ELSE 0 END) AS declined,
              SUM(CASE WHEN a.answered = 1 AND ${DOWNVOTED} THEN 1 ELSE 0 END) AS downvoted
         FROM answers a WHERE ${w.sql} GROUP BY day`,
    )
    .all(...w.params) as DayCount[];
  return everyDay(rows, q);
}

/** Per-day counts with every day of the period present, zeros included (rows may miss days). */
export function everyDay(rows: DayCount[], q: PeriodQuery): DayCount[] {
  const byDay = new Map(rows.map((r) => [r.day, r]));
  const out: DayCount[] = [];
  const end = new Date(q.until).getTime();
  for (let t = Date.parse(`${q.since.slice(0, 10)}T00:00:00Z`); t < end; t += 86_400_000) {
    const day = new Date(t).toISOString().slice(0, 10);
    const r = byDay.get(day);
    out.push({ day, answered: r?.answered ?? 0, declined: r?.declined ?? 0, downvoted: r?.downvoted ?? 0 });
  }
  return out;
}
