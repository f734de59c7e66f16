/** The integration and handler `ihub run` names, or a usage error (unknown slug or handler) / an IhubError naming the broken file. */
import path from "node:path";
import { ExecutorError, type LoadedIntegration, loadIntegration } from "@ihub/runtime";
import { IhubError, UsageError } from "../../errors.js";
import { listIntegrationDirs, type IntegrationDir } from "../../repo/list-integrations.js";

export async function loadRunTarget(root: string, slug: string, handler: string): Promise<{ dir: IntegrationDir; integration: LoadedIntegration }> {
  const dir = (await listIntegrationDirs(root)).find((d) => d.slug === slug);
  if (!dir) throw new UsageError(`no integration "${slug}" under integrations/`, "Run `ihub test` or list integrations/ to see the slugs.");
  let integration: LoadedIntegration;
  try {
    integration = await loadIntegration(dir.dir);
  } catch (error) {
    if (!(error instanceof ExecutorError)) throw error;
    throw new IhubError(`IH_RUN_${error.code}`, error.message, { ...(error.hint ? { hint: error.hint } : {}), location: error.location.file ? { file: path.relative(root, error.location.file) } : {} });
  }
  const handlers = Object.keys(integration.manifest.handlers);
  if (!handlers.includes(handler)) throw new UsageError(`${slug} has no handler "${handler}"`, `Handlers: ${handlers.join(", ")}.`);
  return { dir, integration };
}
