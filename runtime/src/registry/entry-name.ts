/**
 * Which archive entry names the safe unpack accepts. A bundle's names end up as file names on
 * whatever system installs it and in every message that mentions them, so a name must be a plain
 * relative path that means the same file everywhere and prints as what it is.
 */
import { RegistryError } from "./registry-error.js";

/**
 * Well below what file systems refuse (ENAMETOOLONG): 255 bytes is NAME_MAX on ext4, APFS and
 * NTFS, and 1,024 bytes leaves room for the cache folder the bundle is unpacked under within
 * Linux's 4,096-byte PATH_MAX. No real bundle nests 32 folders deep; a deeper one is an attack on
 * the unpacker's recursion or the file system, not an integration.
 */
export const ENTRY_NAME_LIMITS = { maxDepth: 32, maxComponentBytes: 255, maxPathBytes: 1024 } as const;

/**
 * tar decodes names as UTF-8, so invalid bytes arrive as U+FFFD; a genuine U+FFFD has no place
 * in a bundle's file name either. Control characters (C0, DEL, C1) rewrite terminals and split
 * log lines; format characters (bidi overrides and isolates, zero-width and other invisible
 * characters) and line separators make a name read as another.
 */
const INVALID_UTF8 = /\uFFFD/u;
const CONTROL = /\p{Cc}/u;
const INVISIBLE = /[\p{Cf}\p{Zl}\p{Zp}]/u;
/** Windows opens the device, not a file, for these names with any extension, in any case (superscript digits included). */
const WINDOWS_DEVICE = /^(con|prn|aux|nul|com[1-9¹²³]|lpt[1-9¹²³]) *(\..*)?$/iu;
const SHOWN_CHARS = 200;

/** The name as it may be printed: every control, format or undecodable character as \u{hex}, long names cut. */
export function displayName(raw: string): string {
  const escaped = raw.replace(/\\/g, "\\\\").replace(/[\p{C}\p{Zl}\p{Zp}\uFFFD]/gu, (c) => `\\u{${c.codePointAt(0)!.toString(16)}}`);
  return escaped.length > SHOWN_CHARS ? `${escaped.slice(0, SHOWN_CHARS)}… (${Buffer.byteLength(raw)} bytes)` : escaped;
}

function unsafe(raw: string, why: string, hint: string): RegistryError {
  const shown = displayName(raw);
  return new RegistryError("ARCHIVE_UNSAFE_NAME", `entry name "${shown}" ${why}`, { file: shown, hint });
}

function checkComponent(raw: string, segment: string): void {
  if (INVALID_UTF8.test(segment)) throw unsafe(raw, "is not valid UTF-8", "Bundle file names are UTF-8 text.");
  if (CONTROL.test(segment)) throw unsafe(raw, "holds a control character", "Newlines, tabs and escape sequences in a file name forge what terminals and logs show.");
  if (INVISIBLE.test(segment)) throw unsafe(raw, "holds an invisible or bidirectional formatting character", "Such characters make a file name read as another one.");
  if (/[. ]$/.test(segment)) throw unsafe(raw, `has a component ending in a ${segment.endsWith(".") ? "dot" : "space"}`, "Windows drops trailing dots and spaces, so the name would become another file's.");
  if (WINDOWS_DEVICE.test(segment)) throw unsafe(raw, "uses a Windows device name", "CON, PRN, AUX, NUL, COM1-9 and LPT1-9 (with any extension) open a device on Windows, not a file.");
  if (Buffer.byteLength(segment) > ENTRY_NAME_LIMITS.maxComponentBytes) {
    throw new RegistryError("ARCHIVE_PATH_TOO_LONG", `entry name "${displayName(raw)}" has a component above ${ENTRY_NAME_LIMITS.maxComponentBytes} bytes`, { file: displayName(raw) });
  }
}

/** A safe relative path, or a typed error saying why not. Folders come with a trailing slash, which is dropped. */
export function checkEntryPath(raw: string): string {
  const shown = displayName(raw);
  if (raw.includes("\0") || raw.includes("\\")) throw new RegistryError("ARCHIVE_PATH_TRAVERSAL", `entry path "${shown}" contains a NUL or backslash`, { file: shown });
  if (raw.startsWith("/") || /^[A-Za-z]:/.test(raw)) throw new RegistryError("ARCHIVE_ABSOLUTE_PATH", `entry path "${shown}" is absolute`, { file: shown });
  const segments = raw.split("/").filter((s) => s !== "" && s !== ".");
  if (segments.includes("..")) throw new RegistryError("ARCHIVE_PATH_TRAVERSAL", `entry path "${shown}" climbs out with ..`, { file: shown });
  if (!segments.length) throw new RegistryError("ARCHIVE_CORRUPT", `entry path "${shown}" is empty`, { file: shown });
  for (const segment of segments) checkComponent(raw, segment);
  if (segments.length > ENTRY_NAME_LIMITS.maxDepth) throw new RegistryError("ARCHIVE_PATH_TOO_LONG", `entry path "${shown}" is ${segments.length} levels deep, above ${ENTRY_NAME_LIMITS.maxDepth}`, { file: shown });
  const p = segments.join("/");
  if (Buffer.byteLength(p) > ENTRY_NAME_LIMITS.maxPathBytes) throw new RegistryError("ARCHIVE_PATH_TOO_LONG", `entry path "${shown}" is above ${ENTRY_NAME_LIMITS.maxPathBytes} bytes`, { file: shown });
  return p;
}

/**
 * The key two names collide under: macOS and Windows compare names case-insensitively and (APFS,
 * HFS+) regardless of Unicode normalisation form. Upper- then lower-casing also folds ß and ss,
 * which refuses a little more than a file system would, never less.
 */
export function collisionKey(p: string): string {
  return p.normalize("NFC").toUpperCase().toLowerCase();
}
