import { defineCommand, printJson } from "../../cli/command.js";
import { buildSignedBundles } from "../../bundle/sign-built.js";
import { selectSlugs } from "../../bundle/select-slugs.js";
import { headCommit } from "../../publish/head-commit.js";
import { publishBundles, type PublishResult } from "../../publish/publish-bundles.js";
import { ociCredentialsFromEnv } from "../../publish/push-oci.js";
import { reconcile } from "../../publish/reconcile.js";
import { registryArgument } from "../../publish/registry-argument.js";
import { REGISTRY_TOKEN_ENV } from "../../registry/publish-protocol.js";
import { defaultPaths } from "../../repo/defaults.js";
import { colors } from "../../report/colors.js";
import { renderCoded, renderHint } from "../../report/render-error.js";
import { devKeyWarning, loadSigningKey } from "../../signing/signing-key.js";

// No default value for commander to print: the description says what a missing --registry means.
const collect = (value: string, previous: string[] = []) => [...previous, value];

function printResults(ctx: { out(t: string): void }, results: PublishResult[]): void {
  const colour = { published: colors.green, unchanged: colors.dim, conflict: colors.red } as const;
  for (const r of results) {
    ctx.out(`${colour[r.status](r.status.padEnd(9))} ${r.slug}@${r.version} ${colors.dim(`-> ${r.target}`)}${r.detail ? ` ${r.status === "conflict" ? colors.red(r.detail) : colors.dim(r.detail)}` : ""}\n`);
  }
}

export default defineCommand("publish", {
  configure: (cmd) =>
    cmd
      .argument("[slugs...]", "integrations to publish (default: all)")
      .option("--registry <location>", "directory, http(s):// URL of `ihub registry serve --allow-publish` (token in IHUB_REGISTRY_TOKEN) or oci://host[:port]/namespace; repeatable (default: .ihub/registry)", collect)
      .option("--reconcile", "compare tags, bundles and index, and repair what is missing without a version bump"),
  async run(ctx, args, opts) {
    const root = await ctx.root();
    const specs = (opts.registry as string[] | undefined) ?? [];
    const targets = (specs.length ? specs : [defaultPaths(root).registry]).map(registryArgument);
    const key = await loadSigningKey(root);
    const warning = devKeyWarning(key);
    if (warning) ctx.err(colors.bold(colors.yellow(`${warning}\n`)));
    const slugs = await selectSlugs(root, args);
    const credentials = ociCredentialsFromEnv();
    const registryToken = process.env[REGISTRY_TOKEN_ENV] || undefined;

    if (opts.reconcile) {
      const report = await reconcile(root, slugs, targets, key, { credentials, registryToken });
      if (ctx.json) printJson(ctx, { ok: report.conflicts === 0, devKey: key.dev, ...report });
      else {
        printResults(ctx, report.results);
        for (const r of report.repairs) ctx.out(`${colors.yellow("repaired")}  ${r}\n`);
        ctx.out(`${report.repairs.length} repair(s), ${report.conflicts} conflict(s)\n`);
      }
      return report.conflicts ? 1 : 0;
    }

    const { bundles, failures } = await buildSignedBundles(root, slugs, key);
    const results = await publishBundles(bundles, targets, key, { commit: await headCommit(root), credentials, registryToken });
    const conflicts = results.filter((r) => r.status === "conflict");
    if (ctx.json) {
      printJson(ctx, { ok: !conflicts.length && !failures.length, devKey: key.dev, keyId: key.keyId, results, errors: failures.map((f) => ({ slug: f.slug, ...f.error.toJSON() })) });
    } else {
      printResults(ctx, results);
      for (const f of failures) ctx.out(renderCoded(f.error));
      if (conflicts.length) ctx.out(renderHint("published versions are immutable: bump the version of a changed integration."));
    }
    return conflicts.length || failures.length ? 1 : 0;
  },
});
