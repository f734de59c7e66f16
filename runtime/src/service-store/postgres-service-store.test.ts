import pg from "pg";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startThrowawayPostgres, type ThrowawayPostgres } from "../../test-support/throwaway-postgres.js";
import type { Clock } from "../storage/install-store.js";
import { serviceStoreContract } from "./service-store-contract.js";
import { upgradesStoreContract } from "./service-store-upgrades-contract.js";
import { postgresServiceStore } from "./postgres-service-store.js";

let server: ThrowawayPostgres;
beforeAll(async () => {
  server = await startThrowawayPostgres();
});
afterAll(() => server?.stop());
let databases = 0;

const freshDatabase = () => {
  const name = `store_${++databases}`;
  let url: Promise<string> | undefined;
  return { open: async (clock: Clock) => postgresServiceStore(await (url ??= server.createDatabase(name)), clock) };
};
serviceStoreContract("postgres", freshDatabase);
upgradesStoreContract("postgres", freshDatabase);

it("brings one schema up once when several processes start against an empty database together", async () => {
  const url = await server.createDatabase("racing_starts");
  const stores = await Promise.all(Array.from({ length: 4 }, () => postgresServiceStore(url)));
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    expect((await admin.query("SELECT version FROM schema_migrations ORDER BY version")).rows).toEqual([{ version: 1 }, { version: 2 }, { version: 3 }]);
    // Every store works on the shared schema: a tenant made through one is found through the others.
    await stores[0]!.createTenant({ id: "t1", name: "T", createdAt: 0, bindings: {} }, "hash-1");
    for (const s of stores) expect(await s.tenantByTokenHash("hash-1")).toMatchObject({ id: "t1" });
  } finally {
    await admin.end();
    await Promise.all(stores.map((s) => s.close()));
  }
});
