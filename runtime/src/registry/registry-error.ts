import { CodedError } from "../errors/coded-error.js";

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
  "ARCHIVE_UNSAFE_NAME",
  "ARCHIVE_PATH_TOO_LONG",
  "ARCHIVE_LINK",
  "ARCHIVE_SPECIAL_FILE",
  "ARCHIVE_DUPLICATE",
  "ARCHIVE_CASE_COLLISION",
  "ARCHIVE_ENTRY_TOO_LARGE",
  "ARCHIVE_TOO_MANY_ENTRIES",
  "ARCHIVE_TOO_LARGE",
] as const;
export type RegistryErrorCode = (typeof registryErrorCodes)[number];

export class RegistryError extends CodedError<RegistryErrorCode> {
  /**
   * `file` is the registry file or URL, or the archive entry, the error is about; `pointer` a
   * JSON pointer into it when a document failed validation.
   */
  constructor(code: RegistryErrorCode, message: string, opts: { hint?: string; file?: string; pointer?: string; cause?: unknown } = {}) {
    const { file, pointer, ...rest } = opts;
    super(code, message, { ...rest, location: { ...(file === undefined ? {} : { file }), ...(pointer === undefined ? {} : { pointer }) } });
    this.name = "RegistryError";
  }
}
