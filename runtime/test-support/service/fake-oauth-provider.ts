/**
 * A loopback OAuth 2.0 provider for the runtime's tests: an authorization endpoint (a user who
 * always consents, driven by `approve`), a token endpoint for the authorization_code and
 * refresh_token grants (RFC 6749) with PKCE S256 checks (RFC 7636) and rotating refresh tokens,
 * and a protected API (`/api/me`, `/api/notes/<id>`) that accepts only live access tokens, expiry
 * measured on the test's clock. Every request it receives is recorded for assertions.
 */
import { createHash, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import type { Clock } from "../../src/storage/install-store.js";

export type TokenRequest = Record<string, string>;
export type FakeOAuthProvider = {
  url: string;
  clientId: string;
  clientSecret: string;
  /** Seconds each issued access token lives. */
  accessTokenSeconds: number;
  tokenRequests: TokenRequest[];
  /** Authorization headers of API requests, in order. */
  apiAuthorizations: string[];
  /** What the user's browser does at the authorization URL: consents, and follows the redirect back (path and query of the callback). */
  approve(authorizationUrl: string): string;
  /** The redirect of a user who declined. */
  decline(authorizationUrl: string): string;
  /** Makes an access token invalid before its expiry, as a provider does on revocation. */
  revoke(accessToken: string): void;
  /** Invalidates every refresh token issued so far, as a provider does when the user revokes the app. */
  forgetRefreshTokens(): void;
  /** Access tokens issued so far, oldest first. */
  accessTokens(): string[];
  /** Holds every token request until the returned function is called. */
  holdTokens(): () => void;
  close(): Promise<void>;
};

const s256 = (verifier: string) => createHash("sha256").update(verifier).digest("base64url");

async function body(req: IncomingMessage): Promise<string> {
  let raw = "";
  for await (const chunk of req) raw += chunk;
  return raw;
}

export async function startFakeOAuthProvider(clock: Clock, opts: { accessTokenSeconds?: number; account?: Record<string, unknown> } = {}): Promise<FakeOAuthProvider> {
  const codes = new Map<string, { challenge: string | null; redirectUri: string; scope: string }>();
  const access = new Map<string, { expiresAt: number; revoked: boolean }>();
  const refresh = new Set<string>();
  const issued: string[] = [];
  let held: Promise<void> | null = null;
  const account = opts.account ?? { id: 4242, name: "Ada Lovelace", email: "ada@example.com", avatarUrl: "https://avatars.example.com/ada.png" };
  const provider: FakeOAuthProvider = {
    url: "",
    clientId: "client-3f9a",
    clientSecret: "client-secret-77c1e2",
    accessTokenSeconds: opts.accessTokenSeconds ?? 3600,
    tokenRequests: [],
    apiAuthorizations: [],
    approve(authorizationUrl) {
      const u = new URL(authorizationUrl);
      const code = `code-${randomBytes(6).toString("hex")}`;
      codes.set(code, { challenge: u.searchParams.get("code_challenge"), redirectUri: u.searchParams.get("redirect_uri")!, scope: u.searchParams.get("scope") ?? "" });
      const back = new URL(u.searchParams.get("redirect_uri")!);
      back.searchParams.set("code", code);
      back.searchParams.set("state", u.searchParams.get("state")!);
      return back.pathname + back.search;
    },
    decline(authorizationUrl) {
      const u = new URL(authorizationUrl);
      const back = new URL(u.searchParams.get("redirect_uri")!);
      back.searchParams.set("error", "access_denied");
      back.searchParams.set("error_description", "The user declined.");
      back.searchParams.set("state", u.searchParams.get("state")!);
      return back.pathname + back.search;
    },
    revoke(token) {
      const t = access.get(token);
      if (t) t.revoked = true;
    },
    forgetRefreshTokens: () => refresh.clear(),
    accessTokens: () => [...issued],
    holdTokens() {
      let release!: () => void;
      held = new Promise<void>((r) => (release = r));
      return () => {
        held = null;
        release();
      };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };

  const tokens = (scope: string) => {
    const accessToken = `at-${issued.length + 1}-${randomBytes(6).toString("hex")}`;
    const refreshToken = `rt-${issued.length + 1}-${randomBytes(6).toString("hex")}`;
    issued.push(accessToken);
    access.set(accessToken, { expiresAt: clock.now() + provider.accessTokenSeconds * 1000, revoked: false });
    refresh.add(refreshToken);
    return { access_token: accessToken, token_type: "Bearer", expires_in: provider.accessTokenSeconds, refresh_token: refreshToken, scope };
  };

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    const json = (status: number, value: unknown) => res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" }).end(JSON.stringify(value));
    if (req.method === "POST" && url.pathname === "/token") {
      const form = Object.fromEntries(new URLSearchParams(await body(req)));
      provider.tokenRequests.push(form);
      if (held) await held;
      if (form.client_id !== provider.clientId || form.client_secret !== provider.clientSecret) return json(401, { error: "invalid_client" });
      if (form.grant_type === "authorization_code") {
        const grant = codes.get(form.code ?? "");
        codes.delete(form.code ?? "");
        if (!grant || grant.redirectUri !== form.redirect_uri) return json(400, { error: "invalid_grant", error_description: "unknown code or redirect_uri" });
        if (grant.challenge !== null && s256(form.code_verifier ?? "") !== grant.challenge) return json(400, { error: "invalid_grant", error_description: "PKCE verification failed" });
        return json(200, tokens(grant.scope));
      }
      if (form.grant_type === "refresh_token") {
        if (!refresh.delete(form.refresh_token ?? "")) return json(400, { error: "invalid_grant", error_description: "refresh token unknown or used" });
        return json(200, tokens("repo read:user"));
      }
      return json(400, { error: "unsupported_grant_type" });
    }
    if (url.pathname.startsWith("/api/")) {
      const auth = req.headers.authorization ?? "";
      provider.apiAuthorizations.push(auth);
      const t = access.get(auth.replace(/^Bearer /, ""));
      if (!t || t.revoked || t.expiresAt <= clock.now()) return json(401, { message: "Bad credentials" });
      if (url.pathname === "/api/me") return json(200, account);
      const note = /^\/api\/notes\/([^/]+)$/.exec(url.pathname);
      if (note) return json(200, { id: note[1], title: `Title of ${note[1]}` });
    }
    json(404, { message: "not found" });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  provider.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return provider;
}
