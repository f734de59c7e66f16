/**
 * The built-in OAuth 2.0 providers a manifest may name with `auth.provider` instead of spelling
 * out endpoints. The endpoints are the providers' documented ones; what an installation needs
 * besides (client id and secret, and endpoint overrides for tests or sovereign clouds) is a
 * runtime setting (oauth-settings.ts), never part of a bundle.
 */
export type OAuthEndpoints = {
  authorizationUrl: string;
  tokenUrl: string;
  /** Whether the provider accepts PKCE (RFC 7636) with S256; the runtime then always sends it. */
  pkce: boolean;
  /** How scopes are joined in the authorization request. */
  scopeSeparator: string;
  /** Parameters the provider needs on the authorization request to hand out a refresh token. */
  authorizationParams?: Readonly<Record<string, string>>;
};

export const OAUTH_PROVIDERS = {
  github: {
    authorizationUrl: "https://github.com/login/oauth/authorize",
    tokenUrl: "https://github.com/login/oauth/access_token",
    pkce: true,
    scopeSeparator: " ",
  },
  slack: {
    authorizationUrl: "https://slack.com/oauth/v2/authorize",
    tokenUrl: "https://slack.com/api/oauth.v2.access",
    pkce: false,
    scopeSeparator: ",",
  },
  google: {
    authorizationUrl: "https://accounts.google.com/o/oauth2/v2/auth",
    tokenUrl: "https://oauth2.googleapis.com/token",
    pkce: true,
    scopeSeparator: " ",
    authorizationParams: { access_type: "offline", prompt: "consent" },
  },
  microsoft: {
    authorizationUrl: "https://login.microsoftonline.com/common/oauth2/v2.0/authorize",
    tokenUrl: "https://login.microsoftonline.com/common/oauth2/v2.0/token",
    pkce: true,
    scopeSeparator: " ",
  },
  atlassian: {
    authorizationUrl: "https://auth.atlassian.com/authorize",
    tokenUrl: "https://auth.atlassian.com/oauth/token",
    pkce: true,
    scopeSeparator: " ",
    authorizationParams: { audience: "api.atlassian.com", prompt: "consent" },
  },
  hubspot: {
    authorizationUrl: "https://app.hubspot.com/oauth/authorize",
    tokenUrl: "https://api.hubapi.com/oauth/v1/token",
    pkce: false,
    scopeSeparator: " ",
  },
  salesforce: {
    authorizationUrl: "https://login.salesforce.com/services/oauth2/authorize",
    tokenUrl: "https://login.salesforce.com/services/oauth2/token",
    pkce: true,
    scopeSeparator: " ",
  },
  gitlab: {
    authorizationUrl: "https://gitlab.com/oauth/authorize",
    tokenUrl: "https://gitlab.com/oauth/token",
    pkce: true,
    scopeSeparator: " ",
  },
  zoom: {
    authorizationUrl: "https://zoom.us/oauth/authorize",
    tokenUrl: "https://zoom.us/oauth/token",
    pkce: true,
    scopeSeparator: " ",
  },
} as const satisfies Record<string, OAuthEndpoints>;

export type OAuthProviderName = keyof typeof OAUTH_PROVIDERS;

export const oauthProviderNames = Object.keys(OAUTH_PROVIDERS) as [OAuthProviderName, ...OAuthProviderName[]];
