/**
 * Placeholders left in what the catalog shows: the publisher (an error: no real publisher is
 * "TODO"), the manifest's names and descriptions and README.md (warnings: "Creates a TODO item"
 * can be meant). The patterns are in placeholder-text.ts.
 */
import { BUNDLE_DOCS } from "@ihub/runtime/layout";
import { LineIndex, toPointer } from "@ihub/runtime/json";
import { sourceExcerpt } from "../../findings/source-excerpt.js";
import type { CheckContext } from "../integration-context.js";
import { textOf } from "../read-inside.js";
import { placeholdersIn } from "./placeholder-text.js";

const [README] = BUNDLE_DOCS;

/** The manifest's free-text fields the catalog shows, by JSON pointer. */
function describedFields(ctx: CheckContext): [string, string][] {
  const m = ctx.manifest;
  const fields: [string, string | undefined][] = [
    ["/name", m.name],
    ["/description", m.description],
    ...Object.entries(m.handlers).flatMap(([name, h]): [string, string | undefined][] => [
      [toPointer(["handlers", name, "displayName"]), h.displayName],
      [toPointer(["handlers", name, "description"]), h.description],
    ]),
    ...Object.entries(m.resources ?? {}).map(([alias, r]): [string, string | undefined] => [toPointer(["resources", alias, "description"]), r.description]),
  ];
  return fields.filter((f): f is [string, string] => typeof f[1] === "string");
}

export async function checkPlaceholders(ctx: CheckContext): Promise<void> {
  const [publisher] = placeholdersIn(ctx.manifest.publisher, { domains: true });
  if (publisher) ctx.reportAt("IH015", `publisher ${JSON.stringify(ctx.manifest.publisher)} is a placeholder (${publisher.what}: "${publisher.text}")`, "/publisher");
  for (const [pointer, text] of describedFields(ctx)) {
    const [found] = placeholdersIn(text);
    if (found) ctx.reportAt("IH016", `${pointer.slice(1).replaceAll("/", ".")} holds a placeholder (${found.what}: "${found.text}")`, pointer);
  }
  const readme = await ctx.read(README);
  if (!readme.ok) return; // a missing README is the docs check's finding
  const text = textOf(readme.bytes);
  const lines = new LineIndex(text);
  for (const found of placeholdersIn(text)) {
    const position = lines.position(found.index);
    ctx.report("IH073", `${README} holds a placeholder (${found.what}: "${found.text}")`, { file: README, position, excerpt: sourceExcerpt(text, position) });
  }
}
