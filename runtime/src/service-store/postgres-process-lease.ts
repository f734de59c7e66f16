/**
 * Which process of a fleet owns a run, a claimed job or a reserved idempotency key. Each store
 * holds a session advisory lock under a random owner number on a connection of its own for as
 * long as it is open; PostgreSQL releases it the moment that session ends, whether the process
 * closed, crashed or was killed with -9. Work whose owner holds no lock is orphaned: only that is
 * recovered, so a process joining a running fleet leaves its peers' work in flight alone, and a
 * peer's periodic recovery picks up the work of one that died.
 */
import { randomInt } from "node:crypto";
import pg from "pg";

/** The first key of the two-key advisory locks that mark live owners. */
const LEASE_SPACE = 4870;

export type ProcessLease = {
  owner: number;
  /** SQL that holds for a row whose `owner` column names a process that is gone (null: written before owners were recorded). */
  orphaned: string;
  release(): Promise<void>;
};

export async function holdProcessLease(url: string): Promise<ProcessLease> {
  const owner = randomInt(1, 2 ** 31 - 1);
  const client = new pg.Client({ connectionString: url });
  // A dropped lease connection makes this process look gone to its peers; they then recover its work (at least once).
  client.on("error", () => undefined);
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1, $2)", [LEASE_SPACE, owner]);
  } catch (error) {
    await client.end();
    throw error;
  }
  return {
    owner,
    // This process holds its own lease, so its own work in flight never counts as orphaned.
    orphaned: `(owner IS NULL OR NOT EXISTS (SELECT 1 FROM pg_locks l WHERE l.locktype = 'advisory' AND l.classid = ${LEASE_SPACE} AND l.objsubid = 2 AND l.objid::bigint = owner AND l.granted))`,
    release: () => client.end(),
  };
}
