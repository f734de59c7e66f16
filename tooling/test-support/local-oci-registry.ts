/**
 * Starts the distribution project's `docker-registry` (Debian package) on 127.0.0.1 with a
 * filesystem store in a temp folder: a real OCI registry for tests and local trials.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

const DOCKER_REGISTRY_BIN = "/usr/bin/docker-registry";

export type LocalOciRegistry = { host: string; url: string; /** The filesystem store, for tests that tamper with stored blobs. */ storageDir: string; stop(): Promise<void> };

/**
 * The registry binds port 0 and logs the address the kernel gave it: unlike probing a free port
 * and passing it on, nothing else can take the port in between.
 */
function boundAddress(child: ChildProcess, log: () => string): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`docker-registry did not start listening within 15 s: ${log()}`)), 15_000);
    const onData = () => {
      const address = /listening on (127\.0\.0\.1:\d+)/.exec(log())?.[1];
      if (address) done(null, address);
    };
    const onExit = (code: number | null) => done(new Error(`docker-registry exited with ${code}: ${log()}`));
    const onError = (error: Error) => done(new Error(`could not start ${DOCKER_REGISTRY_BIN}: ${error.message}`));
    function done(error: Error | null, address?: string) {
      clearTimeout(timer);
      child.stderr!.off("data", onData);
      child.off("exit", onExit);
      child.off("error", onError);
      if (error) reject(error);
      else resolve(address!);
    }
    child.stderr!.on("data", onData);
    child.once("exit", onExit);
    child.once("error", onError);
  });
}

export async function startLocalOciRegistry(): Promise<LocalOciRegistry> {
  const dir = await mkdtemp(path.join(tmpdir(), "ihub-oci-"));
  const config = path.join(dir, "config.yml");
  const storageDir = path.join(dir, "data");
  await writeFile(
    config,
    [
      "version: 0.1",
      "log:",
      // info, for the "listening on" line that carries the bound port.
      "  level: info",
      "storage:",
      "  filesystem:",
      `    rootdirectory: ${storageDir}`,
      "  delete:",
      "    enabled: true",
      "http:",
      "  addr: 127.0.0.1:0",
      "",
    ].join("\n"),
  );
  const child = spawn(DOCKER_REGISTRY_BIN, ["serve", config], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr!.on("data", (c: Buffer) => (stderr = (stderr + c.toString()).slice(-4000)));
  const stop = async () => {
    if (child.exitCode === null && child.pid !== undefined) {
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await exited;
    }
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const host = await boundAddress(child, () => stderr);
    return { host, url: `http://${host}`, storageDir, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
