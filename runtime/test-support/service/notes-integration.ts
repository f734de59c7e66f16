/**
 * The integration the service tests install: every trigger (rpc, a 1-minute timer, an event
 * handler), an api_key credential injected into device calls, config with a default, an http
 * resource, a container and an emitted topic. Versions differ only in their version field, so a
 * test can publish several and yank or deprecate one.
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Manifest } from "../../src/manifest/manifest-schema.js";

export const NOTES_LUA = `local M = {}

function M.lookup(ctx, input)
  local res = ctx.device.http("api", { method = "GET", path = "/notes/" .. input.id })
  if res.status == 404 then error({ code = "NOTE_MISSING", message = "no note " .. input.id }) end
  ctx.log.info("looked up", { id = input.id, status = res.status })
  return { id = res.json.id, title = res.json.title }
end

function M.echo(ctx, input)
  ctx.log.info("echo", { region = ctx.config.region })
  return { input = input, region = ctx.config.region, pageSize = ctx.config.pageSize }
end

function M.spin(ctx, input)
  while true do end
end

function M.create(ctx, input)
  ctx.emit("note.created", { id = input.id, fail = input.fail })
  return { ok = true }
end

function M.tick(ctx)
  ctx.device.http("api", { method = "GET", path = "/tick" })
  local n = ctx.integration.containersGet("seen", "ticks") or { n = 0 }
  ctx.integration.containersSet("seen", "ticks", { n = n.n + 1 })
end

function M.count(ctx)
  return ctx.integration.containersGet("seen", "ticks") or { n = 0 }
end

function M.on_created(ctx, input)
  if input.fail then error({ code = "ASKED_TO_FAIL", message = "payload asked this delivery to fail" }) end
  if input.slow then ctx.device.http("api", { method = "GET", path = "/slow/" .. input.id }) end
  local n = ctx.integration.containersGet("seen", "created") or { n = 0 }
  ctx.integration.containersSet("seen", "created", { n = n.n + 1, last = input.id })
end

return M
`;

export function notesManifest(version = "1.0.0", patch?: (m: Manifest) => void): Manifest {
  const handler = (type: "rpc" | "timer" | "event", fn: string, extra: Partial<Manifest["handlers"][string]> = {}) => ({
    type, file: "handlers/notes.lua", function: fn, displayName: fn, description: `The ${fn} handler.`, ...extra,
  });
  const m: Manifest = {
    slug: "notes",
    name: "Notes",
    description: "Service test integration.",
    version,
    publisher: "ihub tests",
    trustTier: "community",
    visibility: "public",
    categories: ["samples"],
    icon: "icon.svg",
    retentionTier: "short",
    auth: {
      type: "api_key",
      fields: { type: "object", properties: { apiKey: { type: "string", format: "password", minLength: 8 } }, required: ["apiKey"], additionalProperties: false },
      authHeaderName: "X-Api-Key",
    },
    configSchema: {
      type: "object",
      properties: { region: { enum: ["eu", "us"] }, pageSize: { type: "integer", minimum: 1, default: 10 } },
      required: ["region"],
      additionalProperties: false,
    },
    resources: { api: { kind: "http", description: "The notes API base URL." } },
    permissions: { device: { api: { methods: ["GET"] } }, cache: true, containers: { seen: "readwrite" }, events: { emit: ["note.created"] } },
    dataContainerSchemas: { seen: { type: "object" } },
    handlers: {
      lookup: handler("rpc", "lookup", {
        inputSchema: { type: "object", properties: { id: { type: "string", minLength: 1 } }, required: ["id"] },
        outputSchema: { type: "object", properties: { id: { type: "string" }, title: { type: "string" } }, required: ["id", "title"] },
      }),
      echo: handler("rpc", "echo"),
      spin: handler("rpc", "spin", { timeoutMs: 200 }),
      create: handler("rpc", "create"),
      tick: handler("timer", "tick", { schedule: "1m" }),
      on_created: handler("event", "on_created", { event: "note.created", inputSchema: { type: "object", properties: { id: { type: "string" } }, required: ["id"] } }),
    },
  };
  patch?.(m);
  return m;
}

/** The integration's folder; `lua` replaces the notes handlers' code in handlers/notes.lua. */
export async function writeNotesIntegration(root: string, manifest: Manifest, lua: string = NOTES_LUA): Promise<void> {
  const dir = path.join(root, "integrations", manifest.slug);
  await mkdir(path.join(dir, "handlers"), { recursive: true });
  await writeFile(path.join(dir, "integration.json"), JSON.stringify(manifest, null, 2));
  await writeFile(path.join(dir, "handlers", "notes.lua"), lua);
}
