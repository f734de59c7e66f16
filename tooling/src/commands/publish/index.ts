import { asDocument, defineStage } from "../../cli/stage-command.js";
import type { StageDocument } from "../../documents/stage-documents.js";
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

function resultLines(results: readonly PublishResult[]): string {
  const colour = { published: colors.green, unchanged: colors.dim, conflict: colors.red } as const;
  return results
    .map((r) => `${colour[r.status](r.status.padEnd(9))} ${r.slug}@${r.version} ${colors.dim(`-> ${r.target}`)}${r.detail ? ` ${r.status === "conflict" ? colors.red(r.detail) : colors.dim(r.detail)}` : ""}\n`)
    .join("");
}

function renderHuman(doc: StageDocument<"publish">): string {
  let text = resultLines(doc.results);
  if ("repairs" in doc) {
    for (const r of doc.repairs) text += `${colors.yellow("repaired")}  ${r}\n`;
    return text + `${doc.repairs.length} repair(s), ${doc.conflicts} conflict(s)\n`;
  }
  for (const e of doc.errors) text += renderCoded(e);
  if (doc.results.some((r) => r.status === "conflict")) text += renderHint("published versions are immutable: bump the version of a changed integration.");
  return text;
}

export default defineStage("publish", {
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
      return { ok: report.conflicts === 0, devKey: key.dev, ...report };
    }

    const { bundles, failures } = await buildSignedBundles(root, slugs, key);
    const results = await publishBundles(bundles, targets, key, { commit: await headCommit(root), credentials, registryToken });
    const conflicts = results.filter((r) => r.status === "conflict");
    return { ok: !conflicts.length && !failures.length, devKey: key.dev, keyId: key.keyId, results, errors: failures.map((f) => ({ slug: f.slug, ...f.error.toJSON() })) };
  },
  document: asDocument,
  reporters: { human: renderHuman },
});
