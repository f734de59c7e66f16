/**
 * Typed failures of the registry client. Every rejection (hostile archive, tampered bytes,
 * malformed document, untrusted key) is one of these codes, so callers and tests can tell
 * them apart and a person gets a hint they can act on.
 */
export const registryErrorCodes = [
  "REG_NOT_FOUND",
  "REG_NO_MATCH",
  "REG_YANKED",
  "REG_BAD_SPEC",
  "REG_BAD_DOCUMENT",
  "REG_TOO_LARGE",
  "REG_TRANSPORT",
  "REG_INTEGRITY",
  "REG_SIGNATURE",
  "REG_UNTRUSTED_KEY",
  "ARCHIVE_CORRUPT",
  "ARCHIVE_PATH_TRAVERSAL",
  "ARCHIVE_ABSOLUTE_PATH",
  "ARCHIVE_LINK",
  "ARCHIVE_SPECIAL_FILE",
  "ARCHIVE_DUPLICATE",
  "ARCHIVE_CASE_COLLISION",
  "ARCHIVE_ENTRY_TOO_LARGE",
  "ARCHIVE_TOO_MANY_ENTRIES",
  "ARCHIVE_TOO_LARGE",
] as const;
export type RegistryErrorCode = (typeof registryErrorCodes)[number];

export class RegistryError extends Error {
  readonly code: RegistryErrorCode;
  readonly hint: string | undefined;
  /** The registry file or URL, or the archive entry, the error is about. */
  readonly file: string | undefined;
  /** JSON pointer into `file` when a document failed validation. */
  readonly pointer: string | undefined;

  constructor(code: RegistryErrorCode, message: string, opts: { hint?: string; file?: string; pointer?: string; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = "RegistryError";
    this.code = code;
    this.hint = opts.hint;
    this.file = opts.file;
    this.pointer = opts.pointer;
  }

  toJSON() {
    return { code: this.code, message: this.message, hint: this.hint, file: this.file, pointer: this.pointer };
  }
}
