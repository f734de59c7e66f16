/**
 * What keeps an install alive beyond its config: a pending OAuth authorization (state and PKCE
 * verifier, single-use and expiring), the OAuth connection's non-secret facts (the tokens live in
 * the sealed credential), the external account the install is connected to, and the costs its
 * runs reported. Part of the ServiceStore (`store.lifecycle`), in the same database; rows go with
 * their install when it is deleted.
 */
import type { SealedCredential } from "../vault/credential-vault.js";
import type { Binding, RunError } from "./service-store.js";

/** An authorization started by POST /v1/installs/:id/oauth/start, waiting for its callback. */
export type PendingAuthorization = {
  /** sha256 of the state parameter: the state itself is a bearer secret until it is used. */
  stateHash: string;
  tenantId: string;
  installId: string;
  /** The PKCE code verifier, sealed with the install's id. */
  verifier: SealedCredential;
  redirectUri: string;
  returnTo: string | null;
  expiresAt: number;
};

export type OAuthConnection = {
  connectedAt: number;
  /** When the access token expires; null when the provider did not say. */
  expiresAt: number | null;
  refreshedAt: number | null;
  scope: string | null;
  /** The last refresh that failed, until one succeeds or the install is connected again. */
  lastError: { code: string; message: string; at: number } | null;
};

export type ExternalAccount = { id: string; name: string; email?: string; avatarUrl?: string };

/** The last call of the manifest's connectedAccount handler: the account it returned, or why it failed. */
export type AccountCheck = { account: ExternalAccount | null; error: RunError | null; runId: string | null; checkedAt: number };

export type RecordedCharge = { usd: number; note: string | null };
export type ChargedRun = { runId: string; tenantId: string; installId: string; handler: string };

export type UsageQuery = { from: number; to: number; installId?: string };
/** Charges of one install's handler in a period. */
export type UsageRow = { installId: string; slug: string; handler: string; usd: number; charges: number; runs: number };

/** What the install view adds to the install record. */
export type InstallLifecycle = { oauth: OAuthConnection | null; account: AccountCheck | null; billedUsd: number };

/** The tenant's own targets for ctx.sql and ctx.graphql, given at the tenant's creation. */
export type TenantBindings = { sql?: Extract<Binding, { dsn: string }>; graphql?: Extract<Binding, { url: string }> };

export interface LifecycleStore {
  savePendingAuthorization(p: PendingAuthorization): Promise<void>;
  /** Removes and returns the authorization of this state when it has not expired; each state is taken once. Drops expired ones. */
  takePendingAuthorization(stateHash: string, now: number): Promise<PendingAuthorization | null>;

  setOAuthConnection(installId: string, c: OAuthConnection): Promise<void>;
  getOAuthConnection(installId: string): Promise<OAuthConnection | null>;
  /** A credential set by hand replaces the connection's tokens: its expiry and errors no longer apply. */
  deleteOAuthConnection(installId: string): Promise<void>;

  setAccountCheck(installId: string, check: AccountCheck): Promise<void>;

  /** Each charge in US dollars, kept in millionths so sums are exact. */
  recordCharges(run: ChargedRun, charges: readonly RecordedCharge[], at: number): Promise<void>;
  chargesOfRun(tenantId: string, runId: string): Promise<RecordedCharge[]>;
  /** Sums per install and handler of the tenant's charges with from <= time < to. */
  usage(tenantId: string, q: UsageQuery): Promise<UsageRow[]>;

  /** OAuth connection, account and billed total of each of the tenant's installs asked for. */
  installLifecycle(tenantId: string, installIds: readonly string[]): Promise<Map<string, InstallLifecycle>>;
  tenantBindings(tenantId: string): Promise<TenantBindings>;
}

export const USD_MICROS = 1_000_000;

/** A sum of dollar amounts in millionths, so 0.1 + 0.2 is 0.3. */
export const sumUsd = (amounts: readonly number[]) => amounts.reduce((sum, usd) => sum + Math.round(usd * USD_MICROS), 0) / USD_MICROS;
