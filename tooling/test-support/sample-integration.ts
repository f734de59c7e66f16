/**
 * Writes small but complete, valid integration folders for tests and benchmarks. Two kinds:
 * "ping" (one rpc handler, no auth; what the release tests and the release benchmark bundle,
 * publish and pull, `body` changing its Lua) and "device" (the default: every handler type,
 * api_key auth, OpenAPI and chosen catalog traits; what the catalog tests build the site from and
 * the catalog benchmark generates a thousand of). Both manifests pass manifestSchema.
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Manifest } from "@ihub/runtime/manifest";
import { INTEGRATIONS_DIR, MANIFEST_FILE } from "@ihub/runtime/layout";

type SampleBase = {
  slug: string;
  version?: string;
  /** Last edits to the manifest, for traits the options do not name. */
  patch?: (manifest: Manifest) => void;
};

export type PingSample = SampleBase & {
  kind: "ping";
  /** What the handler replies, so two builds can differ in their Lua. */
  body?: string;
};

export type DeviceSample = SampleBase & {
  kind?: "device";
  name?: string;
  visibility?: Manifest["visibility"];
  trustTier?: Manifest["trustTier"];
  categories?: string[];
  authType?: Manifest["auth"]["type"];
  deprecated?: Manifest["deprecated"];
  /** Date of `version` in CHANGELOG.md (default 2026-11-01). */
  releasedOn?: string;
  /** Versions listed in CHANGELOG.md besides `version`, oldest first. */
  history?: { version: string; date: string; notes: string }[];
  readme?: string;
};

export type SampleOptions = PingSample | DeviceSample;

function pingManifest(o: PingSample): Manifest {
  return {
    slug: o.slug,
    name: `Sample ${o.slug}`,
    description: `Sample integration ${o.slug}.`,
    version: o.version ?? "1.0.0",
    publisher: "Integration Hub",
    trustTier: "community",
    visibility: "public",
    categories: ["samples"],
    icon: "icon.svg",
    retentionTier: "short",
    auth: { type: "none" },
    permissions: {},
    handlers: {
      ping: { type: "rpc", file: "handlers/ping.lua", function: "ping", displayName: "Ping", description: "Answers pong." },
    },
  };
}

function pingFiles(o: PingSample, manifest: Manifest): Record<string, string> {
  return {
    "handlers/ping.lua": `local M = {}\nfunction M.ping(ctx, input)\n  return { reply = ${JSON.stringify(o.body ?? "pong")} }\nend\nreturn M\n`,
    "icon.svg": '<svg xmlns="http://www.w3.org/2000/svg" width="512" height="512" viewBox="0 0 512 512"><rect width="512" height="512" fill="#36c"/></svg>\n',
    "README.md": `# ${o.slug}\n\nAnswers pong.\n`,
    "CHANGELOG.md": `# Changelog\n\n## ${manifest.version}\n\n- Release.\n`,
    "tests/ping.test.json": JSON.stringify({ handler: "ping", input: {}, expect: { output: { reply: "pong" } } }) + "\n",
  };
}

const ICON = (hue: number) =>
  `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512"><rect width="512" height="512" rx="96" fill="hsl(${hue} 60% 42%)"/><circle cx="256" cy="256" r="120" fill="#fff" opacity=".9"/></svg>\n`;

const HANDLER_LUA = `local M = {}

function M.get_status(ctx, input)
  local res = ctx.device.http("api", { method = "GET", path = "/devices/" .. input.deviceId })
  return { online = res.json.online, battery = res.json.battery }
end

function M.poll(ctx)
  local res = ctx.device.http("api", { method = "GET", path = "/devices" })
  ctx.integration.containersSet("readings", "last", { count = #res.json, at = "now" })
end

function M.on_alert(ctx, input)
  ctx.emit("device.alerted", { id = input.id })
end

return M
`;

const OPENAPI = `openapi: 3.0.3
info: { title: Device API, version: "1.0" }
paths:
  /devices:
    get: { operationId: listDevices, summary: List devices, responses: { "200": { description: ok } } }
  /devices/{id}:
    get: { operationId: getDevice, summary: Get one device, parameters: [{ name: id, in: path, required: true, schema: { type: string } }], responses: { "200": { description: ok } } }
    delete: { operationId: deleteDevice, summary: Remove a device, parameters: [{ name: id, in: path, required: true, schema: { type: string } }], responses: { "204": { description: gone } } }
`;

function deviceManifest(o: DeviceSample): Manifest {
  const authType = o.authType ?? "api_key";
  return {
    $schema: "../../schemas/integration.schema.json",
    slug: o.slug,
    name: o.name ?? o.slug.replace(/(^|-)(\w)/g, (_, sep: string, c: string) => (sep ? " " : "") + c.toUpperCase()),
    description: `Reads device status and battery from the ${o.slug} API and alerts when a device goes offline.`,
    version: o.version ?? "1.0.0",
    publisher: "Example Devices Inc.",
    trustTier: o.trustTier ?? "verified_partner",
    visibility: o.visibility ?? "public",
    categories: o.categories ?? ["iot", "monitoring"],
    icon: "icon.svg",
    retentionTier: "short",
    ...(o.deprecated ? { deprecated: o.deprecated } : {}),
    homepage: "https://devices.example.com/",
    auth:
      authType === "none"
        ? { type: "none" }
        : {
            type: authType,
            fields: {
              type: "object",
              required: ["apiKey"],
              properties: { apiKey: { type: "string", format: "password", description: "Key from the developer console." }, accountId: { type: "string" } },
            },
            authHeaderName: "X-Api-Key",
          },
    configSchema: {
      type: "object",
      required: ["region"],
      properties: {
        region: { type: "string", enum: ["eu", "us"], description: "Data region of the account." },
        pollMinutes: { type: "integer", default: 5, minimum: 1, description: "How often to poll." },
        labels: { type: "array", items: { type: "string" }, description: "Only devices with these labels." },
      },
    },
    resources: { api: { kind: "http", description: "The Device API base URL, e.g. https://api.devices.example.com", openapi: "openapi.yaml" } },
    permissions: { device: { api: { methods: ["GET"], maxCalls: 20 } }, containers: { readings: "readwrite" }, events: { emit: ["device.alerted"] } },
    dataContainerSchemas: {
      readings: { type: "object", required: ["count"], properties: { count: { type: "integer", description: "Devices seen." }, at: { type: "string", format: "date-time" } } },
    },
    handlers: {
      get_status: {
        type: "rpc",
        file: "handlers/main.lua",
        function: "get_status",
        displayName: "Get device status",
        description: "Returns whether a device is online and its battery level.",
        inputSchema: { type: "object", required: ["deviceId"], properties: { deviceId: { type: "string", description: "Device id.", examples: ["dev-42"] } } },
        outputSchema: {
          type: "object",
          required: ["online"],
          properties: { online: { type: "boolean", description: "Reachable now." }, battery: { type: "number", description: "Percent." } },
        },
      },
      poll: { type: "timer", file: "handlers/main.lua", function: "poll", displayName: "Poll devices", description: "Counts devices on a schedule.", schedule: "*/5 * * * *" },
      on_alert: {
        type: "event",
        file: "handlers/main.lua",
        function: "on_alert",
        displayName: "Forward alert",
        description: "Re-emits a device alert.",
        event: "device.offline",
        inputSchema: { type: "object", properties: { id: { type: "string" } } },
      },
    },
  };
}

function deviceFiles(o: DeviceSample, manifest: Manifest): Record<string, string> {
  const hue = [...o.slug].reduce((h, c) => (h * 31 + c.charCodeAt(0)) % 360, 7);
  const history = [...(o.history ?? []), { version: manifest.version, date: o.releasedOn ?? "2026-11-01", notes: "- Current release." }];
  return {
    "icon.svg": ICON(hue),
    "handlers/main.lua": HANDLER_LUA,
    "openapi.yaml": OPENAPI,
    "README.md": o.readme ?? `# ${manifest.name}\n\n${manifest.description}\n\n## Handlers\n\n- \`get_status\`: device status.\n`,
    "CHANGELOG.md": `# Changelog\n\n${history.reverse().map((h) => `## ${h.version} - ${h.date}\n\n${h.notes}\n`).join("\n")}`,
    "tests/get-status.test.json":
      JSON.stringify(
        {
          name: "online device",
          handler: "get_status",
          input: { deviceId: "dev-7" },
          config: { region: "eu" },
          fixtures: { http: [{ alias: "api", request: { method: "GET", path: "/devices/dev-7" }, response: { status: 200, json: { online: true, battery: 81 } } }] },
          expect: { output: { online: true, battery: 81 } },
        },
        null,
        2,
      ) + "\n",
  };
}

/** The manifest a sample of these options gets, before `patch`. */
export function sampleManifest(o: SampleOptions): Manifest {
  return o.kind === "ping" ? pingManifest(o) : deviceManifest(o);
}

/** Writes integrations/<slug>/ under `root` and returns its path. */
export async function writeSampleIntegration(root: string, o: SampleOptions): Promise<string> {
  const dir = path.join(root, INTEGRATIONS_DIR, o.slug);
  const manifest = sampleManifest(o);
  o.patch?.(manifest);
  const files = { [MANIFEST_FILE]: JSON.stringify(manifest, null, 2) + "\n", ...(o.kind === "ping" ? pingFiles(o, manifest) : deviceFiles(o, manifest)) };
  for (const rel of new Set(Object.keys(files).map((f) => path.dirname(f)))) await mkdir(path.join(dir, rel), { recursive: true });
  await Promise.all(Object.entries(files).map(([rel, text]) => writeFile(path.join(dir, rel), text)));
  return dir;
}
