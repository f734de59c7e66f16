import { defineCommand, printJson } from "../../cli/command.js";
import { listIntegrationDirs } from "../../repo/list-integrations.js";

export default defineCommand({
  name: "validate",
  summary: "check integration folders: manifest, Lua, icon, OpenAPI, docs, tests",
  configure: (cmd) => cmd.argument("[targets...]", "slugs or paths (default: all)"),
  async run(ctx) {
    const dirs = await listIntegrationDirs(await ctx.root());
    if (ctx.json) printJson(ctx, { integrations: dirs.map((d) => d.slug), findings: [] });
    else ctx.out(`${dirs.length} integrations\n`);
    return 0;
  },
});
