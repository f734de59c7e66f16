import path from "node:path";
import { defineCommand, printJson } from "../../cli/command.js";
import { buildSignedBundles } from "../../bundle/sign-built.js";
import { selectSlugs } from "../../bundle/select-slugs.js";
import { jsonText, writeFileAtomic } from "../../publish/atomic-write.js";
import { defaultPaths } from "../../repo/defaults.js";
import { colors } from "../../report/colors.js";
import { renderCoded, renderHint } from "../../report/render-error.js";
import { devKeyWarning, loadSigningKey } from "../../signing/signing-key.js";

export default defineCommand("bundle", {
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

    if (ctx.json) {
      printJson(ctx, { ok: failures.length === 0, devKey: key.dev, keyId: key.keyId, bundles: written, errors: failures.map((f) => ({ slug: f.slug, ...f.error.toJSON() })) });
    } else {
      for (const w of written) ctx.out(`${colors.green("bundled")} ${w.slug}@${w.version} ${colors.dim(`${w.size} B ${w.integrity.sha512.slice(0, 24)}… -> ${path.relative(process.cwd(), w.file)}`)}\n`);
      for (const f of failures) ctx.out(renderCoded(f.error));
      ctx.out(`${written.length} bundle(s), signed with ${key.keyId}${key.dev ? colors.yellow(" (DEV KEY)") : ""}\n`);
    }
    return failures.length ? 1 : 0;
  },
});
