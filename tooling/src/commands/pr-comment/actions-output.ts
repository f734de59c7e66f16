/**
 * What the comment step adds on GitHub Actions: the same Markdown in the job summary (so a
 * fork's pull request, whose token may not comment, still shows it on the run page), and the
 * test failures as `::error` annotations on the case files. `ihub test` prints those only in
 * its human mode, and in CI it runs with --json to feed this verb.
 */
import { appendFile } from "node:fs/promises";
import { renderAnnotations } from "../test/github-annotations.js";
import type { GateOutcomes } from "./gate-documents.js";

type Env = Readonly<Record<string, string | undefined>>;

/** `annotate` is null under --json: workflow commands would break its one-document stdout. */
export async function writeActionsOutputs(env: Env, body: string, outcomes: GateOutcomes, annotate: ((line: string) => void) | null): Promise<void> {
  if (env.GITHUB_ACTIONS !== "true") return;
  if (env.GITHUB_STEP_SUMMARY) await appendFile(env.GITHUB_STEP_SUMMARY, body);
  if (annotate && outcomes.test?.kind === "report") for (const line of renderAnnotations(outcomes.test.report)) annotate(line + "\n");
}
