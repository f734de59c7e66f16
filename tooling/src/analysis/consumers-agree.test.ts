/**
 * validate, the catalog and the version gate read a handler's device calls and the document's
 * operations through one module, so on the same integration they see the same operations.
 */
import { cp, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { entryDetail } from "../catalog/build-entry.js";
import { folderFiles, readIntegration } from "../catalog/read-integration.js";
import { fsFileSource } from "../repo/fs-file-source.js";
import { validateRepo } from "../validate/validate-repo.js";
import { readSnapshot } from "../version/read-snapshot.js";

const REPO = fileURLToPath(new URL("../../../", import.meta.url));
const SLUG = "github-issues";

// Calls the old copies judged differently: a trailing slash (the catalog matched it), a
// non-ctx receiver (the catalog counted it), a concatenated path (matched by its prefix).
const PROBE = `local M = {}
function M.probe(c, input)
  c.device.http("github", { method = "GET", path = "/repos/acme/web/issues?state=open" })
  c.device.http("github", { method = "PATCH", path = "/repos/" .. input.owner .. "/web/issues/" .. input.n })
  c.device.http("github", { method = "GET", path = "/repos/acme/web/issues/" })
  c.device.http("github", { method = "POST", path = "/repos/acme/web/labels" })
  client.device.http("github", { method = "GET", path = "/not/a/ctx/call" })
end
return M
`;

let root: string | undefined;
afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

const key = (op: { method: string; path: string }) => `${op.method} ${op.path}`;

describe("validate, catalog and version gate", () => {
  it("see the same device calls and OpenAPI operations of one integration", async () => {
    root = await mkdtemp(path.join(tmpdir(), "ihub-consumers-"));
    const dir = path.join(root, "integrations", SLUG);
    await cp(path.join(REPO, "integrations", SLUG), dir, { recursive: true });
    await writeFile(path.join(dir, "handlers", "probe.lua"), PROBE);

    const validated = await validateRepo(root, { only: [SLUG], workers: 0 });
    const notOperations = validated.findings.filter((f) => f.code === "IH061").map((f) => /^(\S+ \S+) on /.exec(f.message)![1]);

    const source = await readIntegration(SLUG, folderFiles({ slug: SLUG, dir, relDir: `integrations/${SLUG}` }));
    if (!("manifest" in source)) throw new Error(source.message);
    const catalog = entryDetail(source).resources.find((r) => r.alias === "github")!.operations;

    const side = await readSnapshot(fsFileSource(root), SLUG);
    if (side.kind !== "present") throw new Error(side.kind);
    const gate = side.snapshot.operations.github!.used;

    expect(catalog).toEqual(gate);
    expect(catalog.map(key)).toEqual([
      // The example's own calls, path templates filled by params, then the probe's.
      "GET /repos/{owner}/{repo}/issues",
      "POST /repos/{owner}/{repo}/issues",
      "PATCH /repos/{owner}/{repo}/issues/{issue_number}",
      "GET /repos/acme/web/issues/",
      "POST /repos/acme/web/labels",
    ]);
    // What validate says is no operation of the document is what the others could not match.
    expect(notOperations.sort()).toEqual(catalog.filter((op) => !op.operationId).map(key).sort());
  });
});
