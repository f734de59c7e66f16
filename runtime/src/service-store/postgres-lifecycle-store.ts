/** The LifecycleStore on the service's PostgreSQL pool (its tables: migration 2 of postgres-migrations.ts). */
import type pg from "pg";
import { toAccount, toConnection, toPendingAuthorization, usd, type AccountRow, type ConnectionRow, type PendingRow } from "./lifecycle-rows.js";
import { USD_MICROS, type InstallLifecycle, type LifecycleStore, type TenantBindings } from "./lifecycle-store.js";
import { inTransaction } from "./postgres-pool.js";

export function postgresLifecycleStore(pool: pg.Pool): LifecycleStore {
  const query = async <R extends pg.QueryResultRow>(sql: string, params: unknown[]) => (await pool.query<R>(sql, params)).rows;
  return {
    async savePendingAuthorization(p) {
      await query("INSERT INTO oauth_states (state_hash, tenant_id, install_id, verifier, redirect_uri, return_to, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)", [
        p.stateHash, p.tenantId, p.installId, JSON.stringify(p.verifier), p.redirectUri, p.returnTo, p.expiresAt,
      ]);
    },
    async takePendingAuthorization(stateHash, now) {
      // DELETE … RETURNING takes each state once, even when two processes receive the same callback.
      const row = await inTransaction(pool, async (c) => {
        const [taken] = (await c.query<PendingRow>("DELETE FROM oauth_states WHERE state_hash = $1 RETURNING *", [stateHash])).rows;
        await c.query("DELETE FROM oauth_states WHERE expires_at <= $1", [now]);
        return taken;
      });
      return !row || row.expires_at <= now ? null : toPendingAuthorization(row);
    },
    async setOAuthConnection(installId, c) {
      await query(
        `INSERT INTO oauth_connections (install_id, connected_at, expires_at, refreshed_at, scope, last_error) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (install_id) DO UPDATE SET connected_at = excluded.connected_at, expires_at = excluded.expires_at, refreshed_at = excluded.refreshed_at, scope = excluded.scope, last_error = excluded.last_error`,
        [installId, c.connectedAt, c.expiresAt, c.refreshedAt, c.scope, c.lastError === null ? null : JSON.stringify(c.lastError)],
      );
    },
    async getOAuthConnection(installId) {
      const [row] = await query<ConnectionRow>("SELECT * FROM oauth_connections WHERE install_id = $1", [installId]);
      return row ? toConnection(row) : null;
    },
    async deleteOAuthConnection(installId) {
      await query("DELETE FROM oauth_connections WHERE install_id = $1", [installId]);
    },
    async setAccountCheck(installId, check) {
      await query(
        `INSERT INTO connected_accounts (install_id, account, error, run_id, checked_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (install_id) DO UPDATE SET account = excluded.account, error = excluded.error, run_id = excluded.run_id, checked_at = excluded.checked_at`,
        [installId, check.account === null ? null : JSON.stringify(check.account), check.error === null ? null : JSON.stringify(check.error), check.runId, check.checkedAt],
      );
    },
    async recordCharges(run, charges, at) {
      if (charges.length === 0) return;
      // One statement inserts them all, so the run's charges are recorded together or not at all.
      await query(
        `INSERT INTO run_charges (run_id, tenant_id, install_id, handler, usd_micros, note, charged_at)
         SELECT $1, $2, $3, $4, micros, note, $7 FROM unnest($5::bigint[], $6::text[]) WITH ORDINALITY AS c(micros, note, n) ORDER BY n`,
        [run.runId, run.tenantId, run.installId, run.handler, charges.map((c) => Math.round(c.usd * USD_MICROS)), charges.map((c) => c.note), at],
      );
    },
    async chargesOfRun(tenantId, runId) {
      const rows = await query<{ usd_micros: number; note: string | null }>("SELECT usd_micros, note FROM run_charges WHERE tenant_id = $1 AND run_id = $2 ORDER BY seq", [tenantId, runId]);
      return rows.map((r) => ({ usd: usd(r.usd_micros), note: r.note }));
    },
    async usage(tenantId, { from, to, installId }) {
      const rows = await query<{ install_id: string; slug: string; handler: string; micros: number; charges: number; runs: number }>(
        `SELECT c.install_id, i.slug, c.handler, SUM(c.usd_micros) AS micros, COUNT(*) AS charges, COUNT(DISTINCT c.run_id) AS runs
         FROM run_charges c JOIN installs i ON i.id = c.install_id
         WHERE c.tenant_id = $1 AND c.charged_at >= $2 AND c.charged_at < $3 AND ($4::text IS NULL OR c.install_id = $4)
         GROUP BY c.install_id, i.slug, i.seq, c.handler ORDER BY i.seq, c.handler`,
        [tenantId, from, to, installId ?? null],
      );
      return rows.map((r) => ({ installId: r.install_id, slug: r.slug, handler: r.handler, usd: usd(r.micros), charges: r.charges, runs: r.runs }));
    },
    async installLifecycle(tenantId, installIds) {
      const ids = [...installIds];
      const [connections, accounts, billed] = await Promise.all([
        query<ConnectionRow>("SELECT * FROM oauth_connections WHERE install_id = ANY($1)", [ids]),
        query<AccountRow>("SELECT * FROM connected_accounts WHERE install_id = ANY($1)", [ids]),
        query<{ install_id: string; micros: number }>("SELECT install_id, SUM(usd_micros) AS micros FROM run_charges WHERE tenant_id = $1 AND install_id = ANY($2) GROUP BY install_id", [tenantId, ids]),
      ]);
      const out = new Map<string, InstallLifecycle>();
      for (const id of ids) {
        const connection = connections.find((r) => r.install_id === id);
        const account = accounts.find((r) => r.install_id === id);
        out.set(id, { oauth: connection ? toConnection(connection) : null, account: account ? toAccount(account) : null, billedUsd: usd(billed.find((r) => r.install_id === id)?.micros ?? 0) });
      }
      return out;
    },
    async tenantBindings(tenantId): Promise<TenantBindings> {
      const [row] = await query<{ bindings: string }>("SELECT bindings FROM tenants WHERE id = $1", [tenantId]);
      return row ? (JSON.parse(row.bindings) as TenantBindings) : {};
    },
  };
}
