/**
 * The README's "Run the runtime" curl lines, run verbatim by bash against a real runtime on a
 * loopback socket, with a registry built from the repository's own printer-status and twilio-sms-alerts by the real
 * bundler and publisher, and a loopback stand-in for the printer gateway and the Twilio API.
 */
import { spawn } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, it } from "vitest";
import { buildSignedBundles } from "../../../tooling/src/bundle/sign-built.js";
import { publishBundles } from "../../../tooling/src/publish/publish-bundles.js";
import { loadSigningKey } from "../../../tooling/src/signing/signing-key.js";
import { startRuntime } from "./start-runtime.js";

const REPO = fileURLToPath(new URL("../../../", import.meta.url));
const ADMIN = "admin-readme-zq-3390";

type Sent = { authorization: string | undefined; url: string; form: URLSearchParams };
/** Messages posted to the stand-in Twilio; the printer poll timer may call the same server for the gateway. */
let dir: string;
let fakeUrl: string;
const sent: Sent[] = [];
const fake = createServer((req, res) => {
  let body = "";
  req.on("data", (d: Buffer) => (body += d.toString()));
  req.on("end", () => {
    const form = new URLSearchParams(body);
    if (!req.url?.endsWith("/Messages.json")) return void res.writeHead(503).end();
    sent.push({ authorization: req.headers.authorization, url: req.url, form });
    res.writeHead(201, { "content-type": "application/json" });
    const sid = `SM${String(sent.length).padStart(32, "0")}`;
    res.end(JSON.stringify({ sid, to: form.get("To"), status: "queued", date_created: "Fri, 04 Dec 2026 10:00:00 +0000", num_segments: "1", error_code: null }));
  });
});

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "ihub-readme-"));
  await new Promise<void>((resolve) => fake.listen(0, "127.0.0.1", resolve));
  fakeUrl = `http://127.0.0.1:${(fake.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => fake.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

async function quickstartBlock(): Promise<string> {
  const readme = await readFile(path.join(REPO, "README.md"), "utf8");
  const block = /<!-- runtime-quickstart:start -->\n```sh\n([\s\S]*?)```\n<!-- runtime-quickstart:end -->/.exec(readme);
  if (!block) throw new Error("README.md has no runtime-quickstart block");
  return block[1]!;
}

/** stdin is closed: bash reads its startup file when stdin is a socket, as Node's pipes are. */
function runBash(script: string, env: NodeJS.ProcessEnv): Promise<string> {
  const child = spawn("bash", ["-euo", "pipefail", "-c", script], { cwd: dir, env, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr.on("data", (d: Buffer) => (err += d.toString()));
  return new Promise((resolve, reject) => child.on("exit", (code) => (code === 0 ? resolve(out) : reject(new Error(`quickstart exited ${code}: ${err}\n${out}`)))));
}

it("runs the README's curl lines verbatim: tenant, install with binding and credential, rpc, event, catalog, upgrade", async () => {
  const key = await loadSigningKey(dir, { IHUB_SIGNING_KEY: generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString() });
  const { bundles, failures } = await buildSignedBundles(REPO, ["printer-status", "twilio-sms-alerts"], key);
  expect(failures).toEqual([]);
  const registry = path.join(dir, "registry");
  await publishBundles(bundles, [{ kind: "dir", dir: registry }], key, { commit: null });
  const trusted = path.join(dir, "publisher.pem");
  await writeFile(trusted, key.publicKeyPem);
  const { app, url } = await startRuntime({
    root: dir, registry, port: 0, trustedKeyFiles: [trusted], logStream: new PassThrough(),
    env: { IHUB_RUNTIME_ADMIN_TOKEN: ADMIN, IHUB_RUNTIME_KEY: "3c".repeat(32) },
  });
  try {
    const stdout = await runBash(await quickstartBlock(), { PATH: process.env.PATH, RUNTIME: url, TWILIO_API: fakeUrl, PRINTERS_API: fakeUrl, IHUB_RUNTIME_ADMIN_TOKEN: ADMIN });
    const [installLine, rpcLine, eventLine] = stdout.split("\n");
    expect(JSON.parse(installLine!)).toEqual({ id: expect.any(String), integration: "printer-status", version: "1.1.0", credentials: { set: ["apiKey"] } });
    expect(JSON.parse(rpcLine!)).toEqual({ output: { messageSid: `SM${"1".padStart(32, "0")}`, status: "queued", segments: 1 }, runId: expect.any(String) });
    expect(JSON.parse(eventLine!)).toEqual({ eventId: expect.any(String), deliveries: 1 });
    const [catalogLines, upgradeLine] = [stdout.trim().split("\n").slice(-3, -1), stdout.trim().split("\n").at(-1)];
    expect(catalogLines.map((l) => JSON.parse(l))).toEqual([
      { slug: "printer-status", install: "printer-status@^1", retention: "medium" },
      { slug: "twilio-sms-alerts", install: "twilio-sms-alerts@^1", retention: "short" },
    ]);
    // Already on the newest version in its range, the upgrade changes nothing.
    const twilio = JSON.parse(await readFile(path.join(REPO, "integrations/twilio-sms-alerts/integration.json"), "utf8")) as { version: string };
    expect(JSON.parse(upgradeLine!)).toEqual({ version: twilio.version, previousVersion: null, pendingUpgrade: null });
    const basic = `Basic ${Buffer.from("SK5d1c0e6f7a8b9c0d1e2f3a4b5c6d7e8f:replace-with-your-api-key-secret").toString("base64")}`;
    expect(sent[0]).toMatchObject({ authorization: basic, url: "/2010-04-01/Accounts/AC7f0c5c1e9a0b4d2e8f6a3b1c0d9e8f7a/Messages.json" });
    expect(Object.fromEntries(sent[0]!.form)).toEqual({ To: "+14155550188", Body: "Hello from ihub", From: "+15017122661" });
    // The event is delivered by the worker after the 202; wait for the alert to reach "Twilio".
    while (sent.length < 2) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(sent[1]!.authorization).toBe(basic);
    expect(Object.fromEntries(sent[1]!.form)).toMatchObject({ To: "+14155550123", Body: "Printer xl-office is offline (was printing)." });
  } finally {
    await app.close();
  }
}, 60_000);
