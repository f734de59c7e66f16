/**
 * `ihub run <slug> <handler>`: one invocation through the same `execute()` as `ihub test` and
 * the runtime service, on recorded fixtures (see recorded-fixtures.ts for which) or, with
 * `--live`, on real bindings through the live transports.
 */
import { integrationPath } from "@ihub/runtime/layout";
import { execute, fakeClock, memoryStorage, systemClock } from "@ihub/runtime";
import { fixtureHttpTransport } from "../../harness/fixture-http.js";
import { fixtureSqlTransport } from "../../harness/fixture-sql.js";
import { placeholderCredentials } from "../../harness/placeholder-credentials.js";
import { seedStore } from "../../harness/seed-store.js";
import { defineCommand, printJson } from "../../cli/command.js";
import { IhubError, UsageError } from "../../errors.js";
import { renderHuman } from "./human-report.js";
import { runDocument } from "./json-report.js";
import { parseJsonArg, parseObjectArg } from "./json-arg.js";
import { liveTransports } from "./live-bindings.js";
import { loadRunTarget } from "./load-run-target.js";
import { handlerCases, recordedFixtures } from "./recorded-fixtures.js";

const RUN_INSTALL_ID = "local-run";

type RunOpts = { input?: string; config?: string; credentials?: string; case?: string; live?: boolean; bindings?: string };

export default defineCommand("run", {
  configure: (cmd) =>
    cmd
      .argument("<slug>", "integration slug")
      .argument("<handler>", "handler name from its manifest")
      .option("--input <json>", "handler input: JSON or @file")
      .option("--config <json>", "install config: JSON or @file")
      .option("--credentials <json>", "install credentials: JSON or @file")
      .option("--case <name>", "replay exactly one test case (file name or case name): its fixtures, state, clock and defaults")
      .option("--live", "call the real targets in --bindings instead of recorded fixtures")
      .option("--bindings <json>", "with --live: alias -> base URL or SQLite file, JSON or @file"),
  async run(ctx, args, rawOpts) {
    const opts = rawOpts as RunOpts;
    const [slug, handlerName] = args as [string, string];
    if (opts.live && opts.case !== undefined) throw new UsageError("--case replays recorded fixtures and cannot be combined with --live", "Drop one of them.");
    if (!opts.live && opts.bindings !== undefined) throw new UsageError("--bindings only applies with --live", "Add --live to call real targets.");
    const root = await ctx.root();
    const { dir, integration } = await loadRunTarget(root, slug, handlerName);
    const recorded = opts.live ? null : recordedFixtures(await handlerCases(dir.dir, handlerName), opts.case);
    const base = recorded?.base?.case;
    const input = opts.input !== undefined ? await parseJsonArg("--input", opts.input) : base?.event ? base.event.payload : base?.input;
    const config = opts.config !== undefined ? await parseObjectArg("--config", opts.config) : (base?.config ?? {});
    const credentials = opts.credentials !== undefined ? await parseObjectArg("--credentials", opts.credentials) : (base?.credentials ?? (opts.live ? {} : placeholderCredentials(integration.manifest.auth)));
    const clock = recorded?.exact && base?.clock ? fakeClock(base.clock) : systemClock;
    const store = memoryStorage(clock).forInstall(RUN_INSTALL_ID);
    if (recorded?.exact) {
      const problems = await seedStore(store, integration.manifest, base?.fixtures);
      if (problems.length > 0) throw new IhubError("IH_RUN_CASE_STATE", `--case ${opts.case}: ${problems[0]!.message}`, { location: { file: integrationPath(slug, recorded.base!.file), pointer: problems[0]!.pointer } });
    }
    const fixtures = recorded ? { http: fixtureHttpTransport(recorded.http), sql: fixtureSqlTransport(recorded.sql) } : null;
    const transports = fixtures ?? liveTransports(integration.manifest, opts.bindings !== undefined ? await parseObjectArg("--bindings", opts.bindings) : {});
    let result;
    try {
      result = await execute({ integration, handler: handlerName, input, config, credentials, installId: RUN_INSTALL_ID, store, http: transports.http, sql: transports.sql, clock });
    } finally {
      transports.sql.close?.();
    }
    const mode = opts.live ? "live" : recorded?.exact ? `case ${recorded.base!.file}` : "recorded fixtures";
    const unmatched = fixtures ? [...fixtures.http.unmatched, ...fixtures.sql.unmatched] : [];
    if (ctx.json) printJson(ctx, runDocument(result, { slug, live: opts.live === true, caseFile: recorded?.exact ? recorded.base!.file : null, unmatched }));
    else ctx.out(renderHuman(result, mode, unmatched));
    return result.ok ? 0 : 1;
  },
});
