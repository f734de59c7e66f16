/**
 * The oauth2 integration the OAuth tests install: `auth.provider: github`, an http resource for
 * the provider's API, a connectedAccount handler and a billed lookup.
 */
import type { Manifest } from "../../src/manifest/manifest-schema.js";
import { notesManifest } from "./notes-integration.js";

export const CRM_LUA = `local M = {}

local function get(ctx, path)
  local res = ctx.device.http("api", { path = path })
  if res.status ~= 200 then error({ code = "API_REFUSED", message = "the API answered " .. res.status }) end
  return res.json
end

function M.whoami(ctx)
  local me = get(ctx, "/api/me")
  return { id = me.id, name = me.name, email = me.email, avatarUrl = me.avatarUrl }
end

function M.lookup(ctx, input)
  local note = get(ctx, "/api/notes/" .. input.id)
  ctx.billing.charge(0.002, "note lookup")
  return { id = note.id, title = note.title }
end

return M
`;

export function crmManifest(patch?: (m: Manifest) => void): Manifest {
  return notesManifest("1.0.0", (m) => {
    m.slug = "crm";
    m.auth = { type: "oauth2", provider: "github", scopes: ["repo", "read:user"] };
    delete m.configSchema;
    m.resources = { api: { kind: "http", description: "The provider's API." } };
    m.permissions = { device: { api: { methods: ["GET"] } } };
    m.billing = true;
    m.connectedAccount = { handler: "whoami" };
    const rpc = (fn: string) => ({ type: "rpc" as const, file: "handlers/notes.lua", function: fn, displayName: fn, description: `The ${fn} handler.` });
    m.handlers = { whoami: rpc("whoami"), lookup: rpc("lookup") };
    patch?.(m);
  });
}
