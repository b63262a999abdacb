import os from "node:os";

/** The machine figures were measured on, for result files: CPU model, cores, memory, OS. */
export function machine(): { cpu: string; cores: number; memoryGb: number; os: string } {
  const cpus = os.cpus();
  return { cpu: cpus[0]?.model.trim() ?? "unknown", cores: cpus.length, memoryGb: Math.round(os.totalmem() / 2 ** 30), os: `${os.platform()} ${os.release()}` };
}

/** One line for tables: `AMD EPYC, 2 cores, 24 GiB, linux 6.1`. */
export const describeMachine = (m = machine()): string => `${m.cpu}, ${m.cores} cores, ${m.memoryGb} GiB, ${m.os}`;
