import { defaultServerConditions } from "vite";
import { defineConfig } from "vitest/config";

/** The export condition under which @ihub/runtime resolves to its TypeScript sources (runtime/package.json). */
const SOURCE_CONDITION = "ihub-source";

export default defineConfig({
  // Tests run the runtime's sources, not the dist/ the compiled CLI runs.
  ssr: { resolve: { conditions: [SOURCE_CONDITION, ...defaultServerConditions] } },
  test: {
    include: ["tooling/**/*.test.ts", "runtime/**/*.test.ts", "site/test/**/*.test.ts"],
    // A missing system package stops the run before anything else; then dist/ is rebuilt for the tests that start the real bin.
    globalSetup: ["tooling/test-support/system-packages.ts", "tooling/test-support/build-before-tests.ts"],
    // Node resolves imports outside Vite's module graph too: the validator's worker threads (which inherit these flags) load sources through tsx.
    execArgv: [`--conditions=${SOURCE_CONDITION}`],
    // Sandbox, git and browser tests spawn processes and servers: give them room on 2 cores.
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: "forks",
  },
});
