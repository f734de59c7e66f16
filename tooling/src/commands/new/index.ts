import { randomBytes } from "node:crypto";
import { lstat, mkdir, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { Option } from "commander";
import { defineCommand, printJson } from "../../cli/command.js";
import { UsageError } from "../../errors.js";
import { INTEGRATIONS_DIR, RESERVED_PREFIX } from "@ihub/runtime/layout";
import { slugPattern } from "../../validate/manifest/schema-check.js";
import { AUTH_TYPES, scaffoldFiles, type AuthType } from "./scaffold.js";
import { openApiScaffoldFiles } from "./from-openapi.js";
import { readOpenApiSource } from "./read-openapi-source.js";

const exists = (p: string) => lstat(p).then(
  () => true,
  () => false,
);
const taken = (slug: string) => new UsageError(`${INTEGRATIONS_DIR}/${slug} already exists`, "Pick another slug, or edit the existing integration.");

/**
 * Writes every file into a hidden sibling folder, then renames it into place: a failure part-way
 * leaves no integration folder behind, and an existing folder, even empty, is refused.
 */
async function writeFolder(dir: string, slug: string, files: Record<string, string>): Promise<void> {
  await mkdir(path.dirname(dir), { recursive: true });
  if (await exists(dir)) throw taken(slug);
  const staging = path.join(path.dirname(dir), `.${slug}.new-${randomBytes(6).toString("hex")}`);
  try {
    for (const [rel, text] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(staging, rel)), { recursive: true });
      await writeFile(path.join(staging, rel), text, { flag: "wx" });
    }
    if (await exists(dir)) throw taken(slug);
    await rename(staging, dir);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

export default defineCommand("new", {
  configure: (cmd) =>
    cmd
      .argument("<slug>", "lowercase letters, digits and hyphens, e.g. acme-billing")
      .option("--name <name>", "display name (default: the slug in title case)")
      .option("--publisher <name>", "who maintains it, as the catalog shows it (default: a placeholder validate reports)")
      .addOption(new Option("--auth <type>", "how the external API authenticates (default: none, or what the OpenAPI document's security scheme says)").choices(AUTH_TYPES))
      .option("--from-openapi <file>", "make one rpc handler per operation of this OpenAPI document (2.0, 3.0-3.2; JSON or YAML)")
      .option("--operations <ids>", "with --from-openapi: only these operations (operationIds or handler names, comma-separated)"),
  async run(ctx, args, opts) {
    const slug = args[0]!;
    if (!slugPattern().test(slug) || slug.startsWith(RESERVED_PREFIX) || slug.length > 64) {
      throw new UsageError(`"${slug}" is not a valid slug`, "Use 1-64 lowercase letters, digits and single hyphens, e.g. acme-billing.");
    }
    const name = typeof opts.name === "string" ? opts.name.trim() : undefined;
    if (name === "") throw new UsageError("--name is empty", "Give a display name, or leave --name out to derive it from the slug.");
    const publisher = typeof opts.publisher === "string" ? opts.publisher.trim() : undefined;
    if (publisher === "") throw new UsageError("--publisher is empty", "Give the person or organisation that maintains the integration, or leave --publisher out and set it in integration.json.");
    const auth = opts.auth as AuthType | undefined;
    const fromOpenApi = typeof opts.fromOpenapi === "string" ? opts.fromOpenapi : undefined;
    const operations = typeof opts.operations === "string" ? opts.operations.split(",").map((s) => s.trim()).filter(Boolean) : undefined;
    if (operations && !fromOpenApi) throw new UsageError("--operations needs --from-openapi", "Name the OpenAPI document the operations come from.");
    if (operations?.length === 0) throw new UsageError("--operations is empty", "List operationIds separated by commas, or leave --operations out for all of them.");
    const root = await ctx.root();
    const dir = path.join(root, INTEGRATIONS_DIR, slug);
    if (await exists(dir)) throw taken(slug);
    const files = fromOpenApi
      ? openApiScaffoldFiles({ slug, name, auth, publisher, operations, ...(await readOpenApiSource(fromOpenApi, process.cwd())) })
      : scaffoldFiles(slug, { name, auth: auth ?? "none", publisher });
    await writeFolder(dir, slug, files);
    const relDir = `${INTEGRATIONS_DIR}/${slug}`;
    if (ctx.json) {
      printJson(ctx, { ok: true, slug, dir: relDir, files: Object.keys(files).map((f) => `${relDir}/${f}`) });
    } else {
      const setPublisher = publisher === undefined ? `  set "publisher" in ${relDir}/integration.json (validate reports the placeholder until then)\n` : "";
      ctx.out(`created ${relDir}/ (${Object.keys(files).length} files)\n\nnext:\n${setPublisher}  edit ${relDir}/integration.json and handlers/\n  ihub validate ${slug}\n  ihub test ${slug}\n`);
    }
    return 0;
  },
});
