/** Reads the `--validate`, `--test` and `--version` files the gates wrote and parses each. */
import { readFile } from "node:fs/promises";
import { UsageError } from "../../errors.js";
import { parseGateDocument, type GateName, type GateOutcomes } from "./gate-documents.js";

export const gateNames = ["validate", "test", "version"] as const satisfies readonly GateName[];

export async function readGateDocuments(files: Partial<Record<GateName, string>>): Promise<GateOutcomes> {
  const given = gateNames.filter((g) => files[g] !== undefined);
  if (!given.length) throw new UsageError("nothing to report: give at least one of --validate, --test, --version", "Pass the files the gates wrote with --json, e.g. --validate .ihub/validate.json.");
  const outcomes: GateOutcomes = {};
  for (const gate of given) {
    const file = files[gate]!;
    let textContent: string;
    try {
      textContent = await readFile(file, "utf8");
    } catch (error) {
      throw new UsageError(`--${gate} ${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, `Write it with \`ihub ${gate} --json > ${file}\` first.`);
    }
    // Each assignment keeps its own document type; a loop over a union would widen them.
    if (gate === "validate") outcomes.validate = parseGateDocument("validate", file, textContent);
    else if (gate === "test") outcomes.test = parseGateDocument("test", file, textContent);
    else outcomes.version = parseGateDocument("version", file, textContent);
  }
  return outcomes;
}
