import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";

/** A small tmpfs of its own: a disk that fills up, or that can be made read-only. */
export interface Mount {
  dir: string;
  /** Remount read-only: even root cannot write to it then. */
  readOnly(): void;
  unmount(): void;
}

/**
 * Mount a tmpfs of `size` (mount's syntax: "1m") at `dir`, or undefined where that is not allowed (not
 * root, no mount namespace); callers skip their test then, saying so.
 */
export function mountTmpfs(dir: string, size: string): Mount | undefined {
  mkdirSync(dir, { recursive: true });
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", `size=${size}`, "tmpfs", dir], { stdio: "ignore" });
  } catch {
    return undefined;
  }
  return {
    dir,
    readOnly: () => execFileSync("mount", ["-o", "remount,ro", dir], { stdio: "ignore" }),
    unmount: () => execFileSync("umount", ["-l", dir], { stdio: "ignore" }),
  };
}
