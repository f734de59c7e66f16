/** The lifecycle tables' rows as both engines return them, and their mapping to the LifecycleStore's records. */
import type { AccountCheck, OAuthConnection, PendingAuthorization } from "./lifecycle-store.js";
import { USD_MICROS } from "./lifecycle-store.js";

export type PendingRow = { state_hash: string; tenant_id: string; install_id: string; verifier: string; redirect_uri: string; return_to: string | null; expires_at: number };
export type ConnectionRow = { install_id: string; connected_at: number; expires_at: number | null; refreshed_at: number | null; scope: string | null; last_error: string | null };
export type AccountRow = { install_id: string; account: string | null; error: string | null; run_id: string | null; checked_at: number };

export const toConnection = (r: ConnectionRow): OAuthConnection => ({
  connectedAt: r.connected_at,
  expiresAt: r.expires_at,
  refreshedAt: r.refreshed_at,
  scope: r.scope,
  lastError: r.last_error === null ? null : JSON.parse(r.last_error),
});
export const toAccount = (r: AccountRow): AccountCheck => ({
  account: r.account === null ? null : JSON.parse(r.account),
  error: r.error === null ? null : JSON.parse(r.error),
  runId: r.run_id,
  checkedAt: r.checked_at,
});
export const usd = (micros: number) => micros / USD_MICROS;

export const toPendingAuthorization = (row: PendingRow): PendingAuthorization => ({
  stateHash: row.state_hash, tenantId: row.tenant_id, installId: row.install_id, verifier: JSON.parse(row.verifier),
  redirectUri: row.redirect_uri, returnTo: row.return_to, expiresAt: row.expires_at,
});
