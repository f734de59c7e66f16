import { defineCommand, printJson } from "../../cli/command.js";
import { pullRequestTarget, workflowRunUrl } from "../../github/pull-request-context.js";
import { writeActionsOutputs } from "./actions-output.js";
import { readGateDocuments } from "./read-gate-documents.js";
import { COMMENT_MARKER, renderComment } from "./render-comment.js";

const optionalString = (v: unknown) => (typeof v === "string" ? v : undefined);

/**
 * Posts the gates' verdict on the pull request as one sticky comment. Exit 0 once it is posted,
 * whatever the findings say: failing the job is the gates' business, and a red comment step
 * would only hide which gate failed.
 */
export default defineCommand("pr-comment", {
  configure: (cmd) =>
    cmd
      .option("--validate <file>", "the document `ihub validate --json` wrote")
      .option("--test <file>", "the document `ihub test --json` wrote")
      .option("--version <file>", "the document `ihub version --json` wrote")
      .option("--pr <number>", "pull request number (default: pull_request.number of GITHUB_EVENT_PATH)")
      .option("--dry-run", "print the Markdown instead of posting it (needs no token)"),
  async run(ctx, _args, opts) {
    const outcomes = await readGateDocuments({ validate: optionalString(opts.validate), test: optionalString(opts.test), version: optionalString(opts.version) });
    const body = renderComment(outcomes, { runUrl: workflowRunUrl(process.env) ?? undefined });
    await writeActionsOutputs(process.env, body, outcomes, ctx.json ? null : ctx.out);
    if (opts.dryRun) {
      if (ctx.json) printJson(ctx, { ok: true, action: "dry-run", length: body.length, body });
      else ctx.out(body);
      return 0;
    }
    const target = await pullRequestTarget(process.env, { pr: optionalString(opts.pr) });
    // octokit is loaded only to post: `ihub --help` and --dry-run do not pay for it.
    const [{ githubClient }, { upsertStickyComment }] = await Promise.all([import("../../github/github-client.js"), import("../../github/sticky-comment.js")]);
    const result = await upsertStickyComment(githubClient(target), target, { marker: COMMENT_MARKER, body, token: target.token });
    const repository = `${target.owner}/${target.repo}`;
    if (ctx.json) printJson(ctx, { ok: true, action: result.action, repository, pr: target.pr, commentId: result.id, url: result.url, length: body.length });
    else ctx.out(`${result.action} the ihub comment on ${repository}#${target.pr}: ${result.url}\n`);
    return 0;
  },
});
