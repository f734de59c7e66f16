/**
 * Runs one loaded case through `execute()`, the same path as the runtime service: a fresh memory
 * store seeded from the case, fixture transports, the case's fake clock (TTLs, log times and
 * timers see only it), then compares what happened with what the case expects.
 */
import { DEFAULT_TEST_CLOCK, execute, type ExecuteOptions, ExecutorError, fakeClock, type LoadedIntegration, memoryStorage } from "@ihub/runtime";
import type { CaseProblem, CaseResult } from "./case-result.js";
import { compareExpectations } from "./compare-expectations.js";
import { fixtureHttpTransport } from "./fixture-http.js";
import { pooled } from "./fixture-pool.js";
import { fixtureSqlTransport } from "./fixture-sql.js";
import type { LoadedCase } from "./load-test-case.js";
import { placeholderCredentials } from "./placeholder-credentials.js";
import { seedStore } from "./seed-store.js";

export const TEST_INSTALL_ID = "test-install";

export type RunCaseOptions = Pick<ExecuteOptions, "invoke" | "limits">;

export async function runTestCase(integration: LoadedIntegration, loaded: LoadedCase, opts: RunCaseOptions = {}): Promise<CaseResult> {
  const c = loaded.case;
  const identity = { file: loaded.file, name: c.name, handler: c.handler };
  const broken = (...problems: { pointer: string; message: string }[]): CaseResult => ({
    status: "broken",
    ...identity,
    problems: problems.map((p): CaseProblem => {
      const pos = loaded.locate(p.pointer);
      return { file: loaded.file, pointer: p.pointer, line: pos.line, column: pos.column, message: p.message };
    }),
  });
  const manifest = integration.manifest;
  const handler = Object.hasOwn(manifest.handlers, c.handler) ? manifest.handlers[c.handler]! : undefined;
  if (!handler) return broken({ pointer: "/handler", message: `handler "${c.handler}" is not declared in integration.json (declared: ${Object.keys(manifest.handlers).join(", ")})` });
  if (c.event && handler.type !== "event") return broken({ pointer: "/event", message: `handler "${c.handler}" is a ${handler.type} handler; only event handlers receive an event` });
  if (c.event && handler.event !== undefined && c.event.topic !== handler.event) return broken({ pointer: "/event/topic", message: `handler "${c.handler}" handles topic "${handler.event}", not "${c.event.topic}"` });

  const clock = fakeClock(c.clock ?? DEFAULT_TEST_CLOCK);
  const store = memoryStorage(clock).forInstall(TEST_INSTALL_ID);
  const seedProblems = await seedStore(store, manifest, c.fixtures);
  if (seedProblems.length > 0) return broken(...seedProblems);
  const http = fixtureHttpTransport(pooled(c.fixtures?.http, (i) => `/fixtures/http/${i}`));
  const sql = fixtureSqlTransport(pooled(c.fixtures?.sql, (i) => `/fixtures/sql/${i}`));

  let result;
  try {
    result = await execute({
      integration,
      handler: c.handler,
      input: c.event ? c.event.payload : c.input,
      config: c.config ?? {},
      credentials: c.credentials ?? placeholderCredentials(manifest.auth),
      installId: TEST_INSTALL_ID,
      runId: "test-run",
      store,
      http,
      sql,
      clock,
      ...opts,
    });
  } catch (error) {
    if (error instanceof ExecutorError) return broken({ pointer: "/handler", message: error.message });
    throw error;
  }
  const unused = [
    ...http.unused().map((u) => ({ pointer: u.pointer, summary: `${u.fixture.request.method.toUpperCase()} ${u.fixture.request.path} on "${u.fixture.alias}"` })),
    ...sql.unused().map((u) => ({ pointer: u.pointer, summary: `${u.fixture.query.replace(/\s+/g, " ").trim().slice(0, 60)} on "${u.fixture.alias}"` })),
  ];
  const mismatches = compareExpectations(
    c.expect,
    { result, cache: await store.cacheEntries(), containers: await store.containerEntries(), unmatched: [...http.unmatched, ...sql.unmatched], unused },
    loaded.locate,
  );
  return mismatches.length > 0 ? { status: "fail", ...identity, mismatches } : { status: "pass", ...identity };
}
