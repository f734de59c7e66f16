/** The LifecycleStore on the service's SQLite connection (its tables: migration 2). */
import type Database from "better-sqlite3";
import type { AccountCheck, LifecycleStore, OAuthConnection, PendingAuthorization, TenantBindings } from "./lifecycle-store.js";
import { USD_MICROS } from "./lifecycle-store.js";
import { toAccount, toConnection, toPendingAuthorization, usd, type AccountRow, type ConnectionRow, type PendingRow } from "./lifecycle-rows.js";

export function sqliteLifecycleStore(db: Database.Database): LifecycleStore {
  const q = {
    saveState: db.prepare("INSERT INTO oauth_states (state_hash, tenant_id, install_id, verifier, redirect_uri, return_to, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)"),
    takeState: db.prepare<[string], PendingRow>(
      "DELETE FROM oauth_states WHERE state_hash = ? RETURNING *",
    ),
    dropExpired: db.prepare("DELETE FROM oauth_states WHERE expires_at <= ?"),
    setConnection: db.prepare(
      `INSERT INTO oauth_connections (install_id, connected_at, expires_at, refreshed_at, scope, last_error) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (install_id) DO UPDATE SET connected_at = excluded.connected_at, expires_at = excluded.expires_at, refreshed_at = excluded.refreshed_at, scope = excluded.scope, last_error = excluded.last_error`,
    ),
    getConnection: db.prepare<[string], ConnectionRow>("SELECT * FROM oauth_connections WHERE install_id = ?"),
    deleteConnection: db.prepare("DELETE FROM oauth_connections WHERE install_id = ?"),
    setAccount: db.prepare(
      `INSERT INTO connected_accounts (install_id, account, error, run_id, checked_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (install_id) DO UPDATE SET account = excluded.account, error = excluded.error, run_id = excluded.run_id, checked_at = excluded.checked_at`,
    ),
    insertCharge: db.prepare("INSERT INTO run_charges (run_id, tenant_id, install_id, handler, usd_micros, note, charged_at) VALUES (?, ?, ?, ?, ?, ?, ?)"),
    chargesOfRun: db.prepare<[string, string], { usd_micros: number; note: string | null }>("SELECT usd_micros, note FROM run_charges WHERE tenant_id = ? AND run_id = ? ORDER BY seq"),
    usage: db.prepare<[string, number, number, string | null, string | null], { install_id: string; slug: string; handler: string; micros: number; charges: number; runs: number }>(
      `SELECT c.install_id, i.slug, c.handler, SUM(c.usd_micros) AS micros, COUNT(*) AS charges, COUNT(DISTINCT c.run_id) AS runs
       FROM run_charges c JOIN installs i ON i.id = c.install_id
       WHERE c.tenant_id = ? AND c.charged_at >= ? AND c.charged_at < ? AND (? IS NULL OR c.install_id = ?)
       GROUP BY c.install_id, c.handler ORDER BY i.seq, c.handler`,
    ),
    billed: db.prepare<[string, string], { micros: number | null }>("SELECT SUM(usd_micros) AS micros FROM run_charges WHERE tenant_id = ? AND install_id = ?"),
    account: db.prepare<[string], AccountRow>("SELECT * FROM connected_accounts WHERE install_id = ?"),
    tenantBindings: db.prepare<[string], { bindings: string }>("SELECT bindings FROM tenants WHERE id = ?"),
  };
  const recordCharges = db.transaction((run: Parameters<LifecycleStore["recordCharges"]>[0], charges: Parameters<LifecycleStore["recordCharges"]>[1], at: number) => {
    for (const c of charges) q.insertCharge.run(run.runId, run.tenantId, run.installId, run.handler, Math.round(c.usd * USD_MICROS), c.note, at);
  });
  const takeState = db.transaction((stateHash: string, now: number) => {
    const row = q.takeState.get(stateHash);
    q.dropExpired.run(now);
    return row;
  });

  return {
    async savePendingAuthorization(p: PendingAuthorization) {
      q.saveState.run(p.stateHash, p.tenantId, p.installId, JSON.stringify(p.verifier), p.redirectUri, p.returnTo, p.expiresAt);
    },
    async takePendingAuthorization(stateHash, now) {
      const row = takeState.immediate(stateHash, now);
      if (!row || row.expires_at <= now) return null;
      return toPendingAuthorization(row);
    },
    async setOAuthConnection(installId, c) {
      q.setConnection.run(installId, c.connectedAt, c.expiresAt, c.refreshedAt, c.scope, c.lastError === null ? null : JSON.stringify(c.lastError));
    },
    async getOAuthConnection(installId) {
      const row = q.getConnection.get(installId);
      return row ? toConnection(row) : null;
    },
    async deleteOAuthConnection(installId) {
      q.deleteConnection.run(installId);
    },
    async setAccountCheck(installId, check) {
      q.setAccount.run(installId, check.account === null ? null : JSON.stringify(check.account), check.error === null ? null : JSON.stringify(check.error), check.runId, check.checkedAt);
    },
    async recordCharges(run, charges, at) {
      if (charges.length > 0) recordCharges(run, charges, at);
    },
    async chargesOfRun(tenantId, runId) {
      return q.chargesOfRun.all(tenantId, runId).map((r) => ({ usd: usd(r.usd_micros), note: r.note }));
    },
    async usage(tenantId, { from, to, installId }) {
      return q.usage.all(tenantId, from, to, installId ?? null, installId ?? null).map((r) => ({
        installId: r.install_id, slug: r.slug, handler: r.handler, usd: usd(r.micros), charges: r.charges, runs: r.runs,
      }));
    },
    async installLifecycle(tenantId, installIds) {
      const out = new Map<string, { oauth: OAuthConnection | null; account: AccountCheck | null; billedUsd: number }>();
      for (const id of installIds) {
        const connection = q.getConnection.get(id);
        const account = q.account.get(id);
        out.set(id, { oauth: connection ? toConnection(connection) : null, account: account ? toAccount(account) : null, billedUsd: usd(q.billed.get(tenantId, id)?.micros ?? 0) });
      }
      return out;
    },
    async tenantBindings(tenantId): Promise<TenantBindings> {
      const row = q.tenantBindings.get(tenantId);
      return row ? (JSON.parse(row.bindings) as TenantBindings) : {};
    },
  };
}
