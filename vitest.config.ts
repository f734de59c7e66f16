import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tooling/**/*.test.ts", "runtime/**/*.test.ts", "site/test/**/*.test.ts"],
    // A missing system package stops the run before anything else; then dist/ is rebuilt for the tests that start the real bin.
    globalSetup: ["tooling/src/testing/system-packages.ts", "tooling/src/testing/build-before-tests.ts"],
    // Sandbox, git and browser tests spawn processes and servers: give them room on 2 cores.
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: "forks",
  },
});
