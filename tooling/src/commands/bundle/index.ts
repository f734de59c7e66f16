import path from "node:path";
import { asDocument, defineStage } from "../../cli/stage-command.js";
import { buildSignedBundles } from "../../bundle/sign-built.js";
import { selectSlugs } from "../../bundle/select-slugs.js";
import { jsonText, writeFileAtomic } from "../../publish/atomic-write.js";
import { defaultPaths } from "../../repo/defaults.js";
import { colors } from "../../report/colors.js";
import { renderCoded } from "../../report/render-error.js";
import { devKeyWarning, loadSigningKey } from "../../signing/signing-key.js";

export default defineStage("bundle", {
  configure: (cmd) =>
    cmd.argument("[slugs...]", "integrations to bundle (default: all)").option("--out <dir>", "output folder (default: .ihub/bundles)"),
  async run(ctx, args, opts) {
    const root = await ctx.root();
    const out = typeof opts.out === "string" ? path.resolve(opts.out) : defaultPaths(root).bundles;
    const key = await loadSigningKey(root);
    const warning = devKeyWarning(key);
    if (warning) ctx.err(colors.bold(colors.yellow(`${warning}\n`)));

    const { bundles, failures } = await buildSignedBundles(root, await selectSlugs(root, args), key);
    const written = [];
    for (const b of bundles) {
      const file = path.join(out, b.slug, `${b.version}.tgz`);
      await writeFileAtomic(file, b.bytes);
      const meta = { slug: b.slug, version: b.version, file, size: b.bytes.length, files: b.files, contentDigest: b.contentDigest, integrity: b.integrity, signature: b.signature };
      await writeFileAtomic(path.join(out, b.slug, `${b.version}.json`), jsonText({ ...meta, file: undefined }));
      written.push(meta);
    }
    return { ok: failures.length === 0, devKey: key.dev, keyId: key.keyId, bundles: written, errors: failures.map((f) => ({ slug: f.slug, ...f.error.toJSON() })) };
  },
  document: asDocument,
  reporters: {
    human(doc) {
      let text = "";
      for (const w of doc.bundles) text += `${colors.green("bundled")} ${w.slug}@${w.version} ${colors.dim(`${w.size} B ${w.integrity.sha512.slice(0, 24)}… -> ${path.relative(process.cwd(), w.file)}`)}\n`;
      for (const e of doc.errors) text += renderCoded(e);
      return text + `${doc.bundles.length} bundle(s), signed with ${doc.keyId}${doc.devKey ? colors.yellow(" (DEV KEY)") : ""}\n`;
    },
  },
});
