/**
 * The authorization code flow with PKCE and the refresh grant, through oauth4webapi: the
 * endpoints come from the manifest's `auth.oauth2` or its built-in `auth.provider`, the client
 * from the runtime's settings, with setting overrides winning over both.
 */
import * as oauth from "oauth4webapi";
import type { Manifest } from "../manifest/manifest-schema.js";
import { OAuthError } from "./oauth-error.js";
import { OAUTH_PROVIDERS, type OAuthEndpoints } from "./oauth-providers.js";
import { isLoopback, settingName, type OAuthSettings } from "./oauth-settings.js";

/** Everything one integration's flows need: where, who, and what to ask for. */
export type OAuthClient = {
  /** The provider, or the slug for an integration with its own endpoints: what the settings are named after. */
  name: string;
  endpoints: OAuthEndpoints & { refreshUrl: string };
  clientId: string;
  clientSecret: string | null;
  scopes: readonly string[];
};

export type TokenSet = { accessToken: string; tokenType: string; refreshToken: string | null; expiresIn: number | null; scope: string | null };

/** Milliseconds of one token endpoint request before it is given up. */
export const TOKEN_REQUEST_TIMEOUT_MS = 15_000;

export function oauthClientFor(manifest: Manifest, settings: OAuthSettings): OAuthClient {
  const { auth } = manifest;
  if (auth.type !== "oauth2") throw new OAuthError("OAUTH_NOT_OAUTH2", `${manifest.slug} authenticates with ${auth.type}, not OAuth 2.0`, "Set its credential with PATCH /v1/installs/:id instead.");
  const name = auth.provider ?? manifest.slug;
  const base: OAuthEndpoints | undefined = auth.provider
    ? OAUTH_PROVIDERS[auth.provider]
    : auth.oauth2 && { authorizationUrl: auth.oauth2.authorizationUrl, tokenUrl: auth.oauth2.tokenUrl, pkce: auth.oauth2.pkce !== false, scopeSeparator: auth.oauth2.scopeSeparator ?? " " };
  if (!base) throw new OAuthError("OAUTH_NOT_CONFIGURED", `${manifest.slug} names neither auth.provider nor auth.oauth2 endpoints`, "The bundle should not have passed `ihub validate` (IH041).");
  const setting = settings.clients[settingName(name)] ?? {};
  if (!setting.clientId) {
    throw new OAuthError("OAUTH_NOT_CONFIGURED", `this runtime has no OAuth client for ${name}`, `Register an OAuth app with ${name} and start the runtime with IHUB_OAUTH_${settingName(name)}_CLIENT_ID and _CLIENT_SECRET.`);
  }
  const tokenUrl = setting.tokenUrl ?? base.tokenUrl;
  return {
    name,
    endpoints: {
      ...base,
      authorizationUrl: setting.authorizationUrl ?? base.authorizationUrl,
      tokenUrl,
      // An override of the token endpoint moves refreshes too: they go to the same server.
      refreshUrl: setting.tokenUrl ?? (auth.provider ? undefined : auth.oauth2?.refreshUrl) ?? tokenUrl,
    },
    clientId: setting.clientId,
    clientSecret: setting.clientSecret ?? null,
    scopes: auth.scopes ?? [],
  };
}

function server(c: OAuthClient, tokenEndpoint: string): oauth.AuthorizationServer {
  return { issuer: new URL(c.endpoints.authorizationUrl).origin, authorization_endpoint: c.endpoints.authorizationUrl, token_endpoint: tokenEndpoint };
}

const clientAuth = (c: OAuthClient) => (c.clientSecret === null ? oauth.None() : oauth.ClientSecretPost(c.clientSecret));

function requestOptions(endpoint: string): oauth.TokenEndpointRequestOptions {
  // oauth4webapi refuses http; a loopback endpoint (a test's stand-in provider) is the one exception.
  return { signal: AbortSignal.timeout(TOKEN_REQUEST_TIMEOUT_MS), ...(isLoopback(new URL(endpoint)) ? { [oauth.allowInsecureRequests]: true } : {}) };
}

/** The URL to send the user to, with a fresh state and, where the provider takes it, a PKCE challenge (S256). */
export async function authorizationRequest(c: OAuthClient, redirectUri: string): Promise<{ url: string; state: string; verifier: string | null }> {
  const state = oauth.generateRandomState();
  const url = new URL(c.endpoints.authorizationUrl);
  url.searchParams.set("response_type", "code");
  url.searchParams.set("client_id", c.clientId);
  url.searchParams.set("redirect_uri", redirectUri);
  url.searchParams.set("state", state);
  if (c.scopes.length > 0) url.searchParams.set("scope", c.scopes.join(c.endpoints.scopeSeparator));
  for (const [k, v] of Object.entries(c.endpoints.authorizationParams ?? {})) url.searchParams.set(k, v);
  let verifier: string | null = null;
  if (c.endpoints.pkce) {
    verifier = oauth.generateRandomCodeVerifier();
    url.searchParams.set("code_challenge", await oauth.calculatePKCECodeChallenge(verifier));
    url.searchParams.set("code_challenge_method", "S256");
  }
  return { url: url.href, state, verifier };
}

function tokenSet(r: oauth.TokenEndpointResponse): TokenSet {
  return {
    accessToken: r.access_token,
    tokenType: r.token_type,
    refreshToken: typeof r.refresh_token === "string" ? r.refresh_token : null,
    expiresIn: typeof r.expires_in === "number" ? r.expires_in : null,
    scope: typeof r.scope === "string" ? r.scope : null,
  };
}

/** A token endpoint failure as a typed error carrying the provider's error code, never the request's secrets. */
function tokenError(what: string, error: unknown): OAuthError {
  if (error instanceof oauth.ResponseBodyError) {
    return new OAuthError("OAUTH_TOKEN_REFUSED", `the token endpoint refused the ${what}: ${error.error}${error.error_description ? ` (${error.error_description.slice(0, 200)})` : ""}`, "Connect the install again with POST /v1/installs/:id/oauth/start.");
  }
  if (error instanceof oauth.OperationProcessingError) {
    return new OAuthError("OAUTH_TOKEN_REFUSED", `the token endpoint's answer to the ${what} is not a usable token: ${error.message}`, "Check the provider's endpoints in the runtime's settings.");
  }
  return new OAuthError("OAUTH_TOKEN_UNREACHABLE", `the token endpoint could not be reached for the ${what}: ${(error as Error).message}`, "Retry later; check the runtime's network and the provider's status.");
}

/** Checks the callback against the state it was started with and exchanges its code for tokens. */
export async function exchangeCode(c: OAuthClient, callback: URL, expectedState: string, verifier: string | null, redirectUri: string): Promise<TokenSet> {
  const as = server(c, c.endpoints.tokenUrl);
  const client: oauth.Client = { client_id: c.clientId };
  let params: URLSearchParams;
  try {
    params = oauth.validateAuthResponse(as, client, callback, expectedState);
  } catch (error) {
    if (error instanceof oauth.AuthorizationResponseError) throw new OAuthError("OAUTH_DENIED", `${c.name} answered the authorization with ${error.error}${error.error_description ? `: ${error.error_description.slice(0, 200)}` : ""}`, "Start the connection again and grant the requested access.");
    throw new OAuthError("OAUTH_STATE_INVALID", `the callback does not answer the authorization it claims to: ${(error as Error).message}`, "Start the connection again.");
  }
  try {
    const response = await oauth.authorizationCodeGrantRequest(as, client, clientAuth(c), params, redirectUri, verifier ?? oauth.nopkce, requestOptions(c.endpoints.tokenUrl));
    return tokenSet(await oauth.processAuthorizationCodeResponse(as, client, response));
  } catch (error) {
    throw tokenError("authorization code", error);
  }
}

export async function refreshTokens(c: OAuthClient, refreshToken: string): Promise<TokenSet> {
  const as = server(c, c.endpoints.refreshUrl);
  const client: oauth.Client = { client_id: c.clientId };
  try {
    const response = await oauth.refreshTokenGrantRequest(as, client, clientAuth(c), refreshToken, requestOptions(c.endpoints.refreshUrl));
    return tokenSet(await oauth.processRefreshTokenResponse(as, client, response));
  } catch (error) {
    throw tokenError("refresh token", error);
  }
}
