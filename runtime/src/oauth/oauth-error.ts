/** Failures of the OAuth 2.0 flows, each with what a person can do about it. */
import { CodedError } from "../errors/coded-error.js";

export type OAuthErrorCode =
  /** The install's integration does not authenticate with OAuth 2.0. */
  | "OAUTH_NOT_OAUTH2"
  /** The runtime has no client id for the provider or integration. */
  | "OAUTH_NOT_CONFIGURED"
  /** A runtime setting (endpoint override, public URL) cannot be used. */
  | "OAUTH_SETTING_INVALID"
  /** The callback's state is unknown, used already, expired or does not match. */
  | "OAUTH_STATE_INVALID"
  /** The provider answered the authorization with an error (the user declined, a bad scope). */
  | "OAUTH_DENIED"
  /** The token endpoint refused the code or the refresh token, or answered something that is not a token. */
  | "OAUTH_TOKEN_REFUSED"
  /** The token endpoint could not be reached. */
  | "OAUTH_TOKEN_UNREACHABLE";

export class OAuthError extends CodedError<OAuthErrorCode> {
  constructor(code: OAuthErrorCode, message: string, hint?: string) {
    super(code, message, hint === undefined ? {} : { hint });
    this.name = "OAuthError";
  }
}
