/** The benchmark's integration, built in memory: one handler file, an http alias, no auth. */
import { readFileSync } from "node:fs";
import { manifestSchema } from "@ihub/runtime/manifest";
import type { LoadedIntegration } from "@ihub/runtime";

export const HANDLER_FILE = new URL("./handlers.lua", import.meta.url);

const rpc = (fn: string, description: string) => ({ type: "rpc", file: "handlers/bench.lua", function: fn, displayName: fn, description });

export function benchIntegration(): LoadedIntegration {
  const manifest = manifestSchema.parse({
    slug: "bench",
    name: "Bench",
    description: "Runtime benchmark handlers.",
    version: "1.0.0",
    publisher: "ihub",
    trustTier: "first_party",
    visibility: "private",
    categories: ["testing"],
    icon: "icon.svg",
    retentionTier: "none",
    auth: { type: "none" },
    resources: { api: { kind: "http", description: "The loopback server the bench starts." } },
    permissions: { device: { api: { methods: ["GET"] } } },
    handlers: {
      trivial: { ...rpc("trivial", "Adds one."), inputSchema: { type: "object", properties: { n: { type: "integer" } }, required: ["n"] } },
      json_heavy: { ...rpc("json_heavy", "Decodes, transforms and encodes a 100 KB document."), inputSchema: { type: "object", properties: { doc: { type: "string" } }, required: ["doc"] } },
      one_http: rpc("one_http", "One GET to the loopback server."),
    },
  });
  return { slug: "bench", dir: ".", manifest, sources: { "handlers/bench.lua": readFileSync(HANDLER_FILE, "utf8") }, modules: {} };
}

/** A document of about `bytes` bytes of JSON text: items with strings, numbers, booleans and arrays. */
export function benchDocument(bytes: number): string {
  const items: unknown[] = [];
  let size = 12;
  for (let i = 0; size < bytes; i++) {
    const item = { id: `item-${i}`, name: `widget number ${i} "q"`, active: i % 3 !== 0, price: 1.25 + (i % 17), qty: i % 9, tags: ["a", "bb", `t${i % 5}`] };
    size += JSON.stringify(item).length + 1;
    items.push(item);
  }
  return JSON.stringify({ items });
}
