/** The committed `minimal` validate fixture copied to a temp repository with some of its files edited, for tests of single findings. */
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Finding } from "../src/findings/finding.js";
import { validateRepo } from "../src/validate/validate-repo.js";

const MINIMAL = fileURLToPath(new URL("../test-fixtures/validate/minimal/", import.meta.url));

/** Files of integrations/minimal/ -> how to change their text ("" for a file that is not there). */
export type FixtureEdits = Record<string, (text: string) => string>;

export async function findingsOfEditedMinimal(edits: FixtureEdits): Promise<Finding[]> {
  const root = await mkdtemp(path.join(tmpdir(), "ihub-fixture-"));
  try {
    await cp(MINIMAL, root, { recursive: true });
    const dir = path.join(root, "integrations", "minimal");
    for (const [file, edit] of Object.entries(edits)) {
      const text = await readFile(path.join(dir, file), "utf8").catch(() => "");
      await writeFile(path.join(dir, file), edit(text));
    }
    return (await validateRepo(root)).findings;
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
