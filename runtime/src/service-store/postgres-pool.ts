/** The node-postgres pool the PostgreSQL stores share, and transactions on it. */
import pg from "pg";

const INT8 = 20;
const NUMERIC = 1700;
/** Epoch milliseconds, sequence numbers, counts and sums of millionths fit a double exactly; pg would hand them over as strings. */
const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === INT8 || oid === NUMERIC ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as "text")) as pg.CustomTypesConfig["getTypeParser"],
};

export function openPool(url: string): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, types });
  // An idle connection the server dropped must not crash the process; the next query reconnects.
  pool.on("error", () => undefined);
  return pool;
}

/** Runs `work` in one transaction on one pooled connection: committed if it returns, rolled back if it throws. */
export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const result = await work(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
