import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tooling/**/*.test.ts", "runtime/**/*.test.ts", "site/test/**/*.test.ts"],
    globalSetup: ["tooling/src/cli/build-before-tests.ts"],
    // Sandbox, git and browser tests spawn processes and servers: give them room on 2 cores.
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: "forks",
    globalSetup: ["tooling/src/testing/system-packages.ts"],
    reporters: process.env.CI ? ["default"] : ["default"],
  },
});
