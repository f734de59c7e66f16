/**
 * Writes a small but complete integration folder: what the release tests and the release
 * benchmark bundle, publish and pull. The manifest passes manifestSchema.
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Manifest } from "../../../runtime/src/manifest/manifest-schema.js";
import { INTEGRATIONS_DIR, MANIFEST_FILE } from "../repo/list-integrations.js";

export function sampleManifest(slug: string, version: string): Manifest {
  return {
    slug,
    name: `Sample ${slug}`,
    description: `Sample integration ${slug}.`,
    version,
    publisher: "Integration Hub",
    trustTier: "community",
    visibility: "public",
    categories: ["samples"],
    icon: "icon.svg",
    retentionTier: "short",
    auth: { type: "none" },
    permissions: {},
    handlers: {
      ping: { type: "rpc", file: "handlers/ping.lua", function: "ping", displayName: "Ping", description: "Answers pong." },
    },
  };
}

export async function writeSampleIntegration(root: string, slug: string, opts: { version?: string; body?: string } = {}): Promise<string> {
  const dir = path.join(root, INTEGRATIONS_DIR, slug);
  const files: Record<string, string> = {
    [MANIFEST_FILE]: JSON.stringify(sampleManifest(slug, opts.version ?? "1.0.0"), null, 2) + "\n",
    "handlers/ping.lua": `local M = {}\nfunction M.ping(ctx, input)\n  return { reply = ${JSON.stringify(opts.body ?? "pong")} }\nend\nreturn M\n`,
    "icon.svg": '<svg xmlns="http://www.w3.org/2000/svg" width="512" height="512" viewBox="0 0 512 512"><rect width="512" height="512" fill="#36c"/></svg>\n',
    "README.md": `# ${slug}\n\nAnswers pong.\n`,
    "CHANGELOG.md": `# Changelog\n\n## ${opts.version ?? "1.0.0"}\n\n- Release.\n`,
    "tests/ping.test.json": JSON.stringify({ handler: "ping", input: {}, expect: { output: { reply: "pong" } } }) + "\n",
  };
  for (const [rel, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await writeFile(path.join(dir, rel), text);
  }
  return dir;
}
