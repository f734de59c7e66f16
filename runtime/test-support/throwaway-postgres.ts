/**
 * A throwaway PostgreSQL cluster for tests, from Debian's `postgresql` package (installed by
 * .ci/install-system-packages): initdb in a temp dir, a server listening only on a unix socket in
 * that dir (no TCP port, so no port race), stopped and deleted by `stop()`. Started by the test
 * files that use it, so the rest of the suite does not pay for it (about a second on one core).
 * initdb refuses to run as root: as root the cluster runs as the `postgres` system user.
 */
import { execFile } from "node:child_process";
import { chownSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";

const BIN = "/usr/lib/postgresql/15/bin";
const SUPERUSER = "ihub";
const run = promisify(execFile);

export type ThrowawayPostgres = {
  /** A connection URL for `database` on this cluster (the socket dir travels as `host`). */
  url(database: string): string;
  /** Creates an empty database and returns its URL. */
  createDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
};

export async function startThrowawayPostgres(): Promise<ThrowawayPostgres> {
  const dir = mkdtempSync(path.join(tmpdir(), "ihub-pg-"));
  const asRoot = userInfo().uid === 0;
  // pg_ctl and initdb run as the cluster's owner; as root that is the postgres system user.
  const tool = (name: string, args: string[]) => (asRoot ? run("runuser", ["-u", "postgres", "--", path.join(BIN, name), ...args]) : run(path.join(BIN, name), args));
  if (asRoot) chownSync(dir, Number((await run("id", ["-u", "postgres"])).stdout.trim()), -1);
  const data = path.join(dir, "data");
  try {
    await tool("initdb", ["-D", data, "-U", SUPERUSER, "--auth=trust", "--no-sync", "-E", "UTF8", "--locale=C.UTF-8"]);
    // Durability is not what these tests check; fsync off keeps CREATE DATABASE and commits cheap.
    await tool("pg_ctl", ["-D", data, "-w", "-l", path.join(dir, "server.log"), "-o", `-c listen_addresses='' -k ${dir} -c fsync=off -c max_connections=200`, "start"]);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const url = (database: string) => `postgresql://${SUPERUSER}@localhost/${database}?host=${encodeURIComponent(dir)}`;
  return {
    url,
    async createDatabase(name) {
      const admin = new pg.Client({ connectionString: url("postgres") });
      await admin.connect();
      try {
        await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
      } finally {
        await admin.end();
      }
      return url(name);
    },
    async stop() {
      await tool("pg_ctl", ["-D", data, "-m", "immediate", "stop"]).catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
