import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { Option } from "commander";
import { defineCommand, printJson } from "../../cli/command.js";
import { UsageError } from "../../errors.js";
import { INTEGRATIONS_DIR, RESERVED_PREFIX } from "@ihub/runtime/layout";
import { slugPattern } from "../../validate/manifest/schema-check.js";
import { AUTH_TYPES, scaffoldFiles, type AuthType } from "./scaffold.js";

/** Creates the folder itself (not its parents' siblings): an existing folder, even empty, is refused. */
async function createFolder(dir: string, slug: string): Promise<void> {
  await mkdir(path.dirname(dir), { recursive: true });
  try {
    await mkdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") {
      throw new UsageError(`${INTEGRATIONS_DIR}/${slug} already exists`, "Pick another slug, or edit the existing integration.");
    }
    throw error;
  }
}

export default defineCommand("new", {
  configure: (cmd) =>
    cmd
      .argument("<slug>", "lowercase letters, digits and hyphens, e.g. acme-billing")
      .option("--name <name>", "display name (default: the slug in title case)")
      .addOption(new Option("--auth <type>", "how the external API authenticates").choices(AUTH_TYPES).default("none")),
  async run(ctx, args, opts) {
    const slug = args[0]!;
    if (!slugPattern().test(slug) || slug.startsWith(RESERVED_PREFIX) || slug.length > 64) {
      throw new UsageError(`"${slug}" is not a valid slug`, "Use 1-64 lowercase letters, digits and single hyphens, e.g. acme-billing.");
    }
    const name = typeof opts.name === "string" ? opts.name.trim() : undefined;
    if (name === "") throw new UsageError("--name is empty", "Give a display name, or leave --name out to derive it from the slug.");
    const root = await ctx.root();
    const dir = path.join(root, INTEGRATIONS_DIR, slug);
    const files = scaffoldFiles(slug, { name, auth: opts.auth as AuthType });
    await createFolder(dir, slug);
    for (const [rel, text] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
      await writeFile(path.join(dir, rel), text, { flag: "wx" });
    }
    const relDir = `${INTEGRATIONS_DIR}/${slug}`;
    if (ctx.json) {
      printJson(ctx, { ok: true, slug, dir: relDir, files: Object.keys(files).map((f) => `${relDir}/${f}`) });
    } else {
      ctx.out(`created ${relDir}/ (${Object.keys(files).length} files)\n\nnext:\n  edit ${relDir}/integration.json and handlers/\n  ihub validate ${slug}\n  ihub test ${slug}\n`);
    }
    return 0;
  },
});
