/** Typed failures of the credential vault and the runtime's secret loading. */
export type VaultErrorCode = "VAULT_BAD_KEY" | "VAULT_KEY_UNKNOWN" | "VAULT_TAMPERED";

export class VaultError extends Error {
  constructor(
    readonly code: VaultErrorCode,
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = "VaultError";
  }
}
