/**
 * The repository's own examples, built into a registry by the real bundler: printer-status's
 * 1-minute timer sees a printer go offline and emits printer.offline, which reaches
 * twilio-sms-alerts of the same tenant, and only of that tenant. Driven on a fake clock, on SQLite
 * and on PostgreSQL (a throwaway cluster).
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTestRegistry } from "../../test-support/service/test-registry.js";
import { createTenant, startTestRuntime, type TestRuntime } from "../../test-support/service/test-runtime.js";
import { databaseMaker, ENGINES } from "../../test-support/service/engines.js";
import { startThrowawayPostgres, type ThrowawayPostgres } from "../../test-support/throwaway-postgres.js";

const REPO = fileURLToPath(new URL("../../../", import.meta.url));
const GATEWAY_KEY = "gw-key-zq-81c4e2";
const TWILIO = { username: "SK5d1c0e6f7a8b9c0d1e2f3a4b5c6d7e8f", password: "twilio-secret-zq-0b9e7d3c5a1f8e2d4" };

let dir: string;
let registry: string;
let publicKeyPem: string;
let cluster: ThrowawayPostgres;
let fakeUrl: string;
let officeOnline = true;
const gatewayKeys: (string | undefined)[] = [];
const messages: { authorization: string | undefined; to: string | null; body: string | null }[] = [];
const fake = createServer((req, res) => {
  let body = "";
  req.on("data", (d: Buffer) => (body += d.toString()));
  req.on("end", () => {
    const url = new URL(req.url ?? "/", "http://fake");
    res.setHeader("content-type", "application/json");
    if (url.pathname === "/api/v1/status") {
      gatewayKeys.push(req.headers["x-api-key"] as string | undefined);
      if (url.searchParams.get("printer") === "xl-office" && !officeOnline) return void res.writeHead(503).end("{}");
      return void res.end(JSON.stringify({ printer: { state: "PRINTING", temp_nozzle: 215, temp_bed: 60 }, job: { progress: 40 } }));
    }
    const form = new URLSearchParams(body);
    messages.push({ authorization: req.headers.authorization, to: form.get("To"), body: form.get("Body") });
    res.writeHead(201).end(JSON.stringify({ sid: `SM${String(messages.length).padStart(32, "0")}`, to: form.get("To"), status: "queued", date_created: "Thu, 01 Jan 2026 00:02:00 +0000", error_code: null }));
  });
});

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "ihub-cross-"));
  await new Promise<void>((resolve) => fake.listen(0, "127.0.0.1", resolve));
  fakeUrl = `http://127.0.0.1:${(fake.address() as AddressInfo).port}`;
  [{ registry, publicKeyPem }, cluster] = await Promise.all([buildTestRegistry(dir, [], { from: REPO, slugs: ["printer-status", "twilio-sms-alerts"] }), startThrowawayPostgres()]);
});
afterAll(async () => {
  await cluster?.stop();
  await new Promise((resolve) => fake.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

const freshDatabase = databaseMaker("cross", () => dir, () => cluster);

describe.each(ENGINES)("on %s", (engine) => {
  let rt: TestRuntime;
  beforeAll(async () => {
    // The fake gateway's printer and what it received start over for each engine.
    officeOnline = true;
    gatewayKeys.length = 0;
    messages.length = 0;
    rt = await startTestRuntime({ dir, registry, publicKeyPem, db: await freshDatabase(engine) });
  });
  afterAll(async () => {
    await rt?.app.close();
  });

  async function installPair(name: string, printerId: string, recipient: string) {
    const tenant = await createTenant(rt.app, name);
    const printers = await tenant.api.post("/v1/installs", { integration: "printer-status@^1", config: { printerIds: [printerId] }, bindings: { printers: { url: fakeUrl } }, credentials: { apiKey: GATEWAY_KEY } });
    expect(printers.status).toBe(201);
    const sms = await tenant.api.post("/v1/installs", {
      integration: "twilio-sms-alerts@^1",
      config: { accountSid: "AC7f0c5c1e9a0b4d2e8f6a3b1c0d9e8f7a", fromNumber: "+15017122661", recipients: [recipient] },
      bindings: { twilio: { url: fakeUrl } },
      credentials: TWILIO,
    });
    expect(sms.status).toBe(201);
    return { api: tenant.api, printers: printers.body.id as string, sms: sms.body.id as string };
  }

  it("carries printer.offline from printer-status's timer to twilio-sms-alerts in the same tenant only", async () => {
    const office = await installPair("office", "xl-office", "+14155550123");
    const lab = await installPair("lab", "mk4-lab", "+14155550188");
    rt.clock.advance(60_000);
    await rt.app.runtime.worker.tick();
    expect(messages).toEqual([]);

    officeOnline = false;
    rt.clock.advance(60_000);
    await rt.app.runtime.worker.tick();
    await rt.app.runtime.worker.tick();
    const basic = `Basic ${Buffer.from(`${TWILIO.username}:${TWILIO.password}`).toString("base64")}`;
    expect(messages).toEqual([{ authorization: basic, to: "+14155550123", body: "Printer xl-office is offline (was printing)." }]);
    expect(gatewayKeys.every((k) => k === GATEWAY_KEY)).toBe(true);

    const runs = async (api: typeof office.api, id: string) => (await api.get(`/v1/installs/${id}/runs`)).body.items.map((r: { handler: string; trigger: string; status: string }) => `${r.trigger}:${r.handler}:${r.status}`);
    expect(await runs(office.api, office.sms)).toEqual(["event:on_printer_offline:ok"]);
    expect(await runs(office.api, office.printers)).toEqual(["timer:poll_printers:ok", "timer:poll_printers:ok"]);
    expect(await runs(lab.api, lab.sms)).toEqual([]);
    const logs = JSON.stringify((await office.api.get(`/v1/installs/${office.sms}/runs`)).body);
    expect(logs).not.toContain(TWILIO.password);
  });
});
