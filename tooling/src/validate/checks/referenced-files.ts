/** Every file the manifest names exists, is readable, and stays inside the integration folder. */
import type { CheckContext } from "../integration-context.js";
import { toPointer } from "@ihub/runtime/json";

export function referencedFiles(ctx: CheckContext): { pointer: string; file: string }[] {
  const m = ctx.manifest;
  const refs = [{ pointer: "/icon", file: m.icon }];
  for (const [name, h] of Object.entries(m.handlers)) refs.push({ pointer: toPointer(["handlers", name, "file"]), file: h.file });
  for (const [alias, r] of Object.entries(m.resources ?? {})) if (r.openapi) refs.push({ pointer: toPointer(["resources", alias, "openapi"]), file: r.openapi });
  return refs;
}

export async function checkReferencedFiles(ctx: CheckContext): Promise<void> {
  for (const ref of referencedFiles(ctx)) {
    const read = await ctx.read(ref.file);
    if (!read.ok) ctx.reportAt(read.code, `${ref.pointer}: ${read.message}`, ref.pointer);
  }
}
