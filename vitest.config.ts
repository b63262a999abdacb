import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Tests build real indexes with the real word vectors and start real processes; give them room on a
    // 2-core machine that other work shares (limits only end a hung test, they never time a fast one).
    testTimeout: 120_000,
    hookTimeout: 300_000,
    pool: "forks",
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    // Each of the two workers loads src/ and its libraries once and runs its test files one after another:
    // loading them again for every file took most of a loaded machine's time. No test mocks modules or
    // changes the environment; each makes its own scratch folders, servers and processes.
    isolate: false,
    globalSetup: ["test/global-setup.ts"],
  },
});
