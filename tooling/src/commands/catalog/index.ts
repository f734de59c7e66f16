import { stat } from "node:fs/promises";
import path from "node:path";
import { buildCatalog } from "../../catalog/build-catalog.js";
import { defineStage } from "../../cli/stage-command.js";
import type { StageDocument } from "../../documents/stage-documents.js";
import { parsePort } from "../../cli/port-option.js";
import { serveUntilSignal } from "../../cli/until-signal.js";
import { createSiteServer } from "../../catalog/serve-site.js";
import { listen } from "../../registry/serve-registry.js";
import { UsageError } from "../../errors.js";
import { countBySeverity, sortFindings } from "../../findings/finding.js";
import { defaultPaths } from "../../repo/defaults.js";
import { colors } from "../../report/colors.js";
import { renderCoded } from "../../report/render-error.js";
import { progress } from "../../report/progress.js";
import { listIntegrationDirs } from "../../repo/list-integrations.js";

export default defineStage("catalog", {
  configure: (cmd) =>
    cmd
      .option("--out <dir>", "output folder of the site (default: site/dist)")
      .option("--registry <dir>", "directory registry to read published versions from (default: .ihub/registry)")
      .option("--site-url <url>", "public URL of the site, for absolute sitemap entries")
      .option("--base <path>", "path the site is served under, e.g. /catalog/ (default: /)")
      .option("--serve", "after building, preview the site on a local HTTP server until Ctrl-C")
      .option("--port <n>", "with --serve: port (0 picks a free one; default: 4321)")
      .option("--host <host>", "with --serve: address to listen on (default: 127.0.0.1)"),
  async run(ctx, _args, opts) {
    const root = await ctx.root();
    const defaults = defaultPaths(root);
    const siteUrl = opts.siteUrl as string | undefined;
    if (siteUrl !== undefined && !URL.canParse(siteUrl)) throw new UsageError(`--site-url ${siteUrl} is not a URL`, "Give an absolute URL such as https://catalog.example.com/.");
    const base = opts.base as string | undefined;
    if (base !== undefined && !/^\/[\w\-./]*$/.test(base)) throw new UsageError(`--base ${base} is not a path`, "Give a path starting with /, e.g. /catalog/.");
    const outDir = path.resolve(process.cwd(), (opts.out as string | undefined) ?? defaults.site);
    if (!opts.serve && (opts.port !== undefined || opts.host !== undefined)) throw new UsageError("--port and --host only apply with --serve", "Add --serve to preview the site after building it.");
    const port = opts.serve ? parsePort(opts.port ?? 4321) : undefined;
    const registryDir = path.resolve(process.cwd(), (opts.registry as string | undefined) ?? defaults.registry);

    const total = (await listIntegrationDirs(root)).length;
    // Progress goes to stderr in every mode, so --json output on stdout stays one clean document.
    // It says up front which registry is read: without one the versions come from the CHANGELOGs.
    const registryFound = await stat(registryDir).then((s) => s.isDirectory(), () => false);
    const source = registryFound ? `registry ${path.relative(process.cwd(), registryDir) || "."}` : "no registry yet (versions from CHANGELOG.md)";
    ctx.err(`reading ${total} integration folders and ${source}…\n`);
    // The preview listens before the build, so a port in use stops it at once rather than after minutes of work.
    const server = port === undefined ? undefined : createSiteServer(outDir, base);
    const url = server ? new URL(base ?? "/", (await listen(server, port!, String(opts.host ?? "127.0.0.1"))).url).href : undefined;
    const reading = progress("reading integrations", total);
    const result = await buildCatalog({
      root,
      registryDir,
      outDir,
      siteUrl,
      base,
      onPhase: (phase, detail) => {
        if (phase === "read") return reading.tick(detail);
        reading.done();
        ctx.err(phase === "site" ? "building the site with Astro…\n" : "writing catalog.json and icons…\n");
      },
    }).catch((error: unknown) => {
      server?.close();
      throw error;
    });
    const findings = sortFindings(result.findings);
    // What the catalog left out is reported with the progress on stderr; stdout carries the summary.
    if (!ctx.json) for (const f of findings) ctx.err(renderCoded(f, f.severity));
    const document: StageDocument<"catalog"> = { ok: countBySeverity(findings).error === 0, ...result, findings, ...(url ? { url } : {}) };
    return { document, server };
  },
  document: (result) => result.document,
  followUp: async (_ctx, result) => {
    if (result.server) await serveUntilSignal(result.server);
  },
  reporters: {
    human({ document: doc }) {
      const rel = path.relative(process.cwd(), doc.outDir) || ".";
      return (
        `${colors.green("catalog")} ${doc.pages} pages in ${rel}: ${doc.listed.length} listed, ${doc.unlisted.length} unlisted, ` +
        `${doc.privateSkipped.length} private left out (read ${doc.ms.read} ms, site ${doc.ms.site} ms, json ${doc.ms.json} ms)\n` +
        (doc.url ? `previewing the catalog at ${doc.url} (Ctrl-C to stop)\n` : "")
      );
    },
  },
});
