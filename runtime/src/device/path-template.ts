/**
 * `ctx.device.http(alias, { path = "/items/{id}", params = { id = input.id } })`: each `{name}` of
 * the path is replaced by its param, percent-encoded as one path segment's text, so no value (a
 * `/`, `..`, `?` or `#` included) can change which path is called. The template itself is
 * normalised first, like any path; the values are put in afterwards and are not normalised again.
 */
import { DeviceError } from "./device-error.js";

/** `{name}` as OpenAPI path templates write it; a name is any text without braces or slashes. */
const PLACEHOLDER = /\{([^{}/]+)\}/g;

export type PathParams = Record<string, string | number | boolean>;

/** The names of a template's placeholders, in order of appearance. */
function placeholdersOf(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1]!);
}

/**
 * Beyond encodeURIComponent: the sub-delimiters it leaves alone, so a value reads as data to
 * any server or proxy on the way.
 */
const encodeSegmentText = (value: string) => encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

function paramText(alias: string, name: string, value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  if (typeof value === "boolean") return String(value);
  throw new DeviceError("HTTP_BAD_PARAMS", `params.${name} must be a string, a finite number or a boolean, not ${value === null ? "null" : typeof value}`, { alias });
}

/**
 * The normalised template's placeholders filled in. Every placeholder needs a param and every
 * param a placeholder; a value that would make its segment empty, `.` or `..` is refused, since
 * servers and URL parsers read those as a different path whatever the encoding.
 */
export function fillPathTemplate(alias: string, template: string, params: PathParams | undefined): string {
  const wanted = new Set(placeholdersOf(template));
  const given = params ?? {};
  const missing = [...wanted].filter((name) => !Object.hasOwn(given, name));
  if (missing.length) throw new DeviceError("HTTP_BAD_PARAMS", `path ${JSON.stringify(template.slice(0, 200))} needs params ${missing.map((n) => `"${n}"`).join(", ")}`, { alias });
  const extra = Object.keys(given).filter((name) => !wanted.has(name));
  if (extra.length) throw new DeviceError("HTTP_BAD_PARAMS", `params ${extra.map((n) => `"${n}"`).join(", ")} have no {placeholder} in path ${JSON.stringify(template.slice(0, 200))}`, { alias });
  if (wanted.size === 0) return template;
  return template
    .split("/")
    .map((segment) => {
      if (!segment.includes("{")) return segment;
      const filled = segment.replace(PLACEHOLDER, (_m, name: string) => encodeSegmentText(paramText(alias, name, given[name])));
      if (filled === "" || filled === "." || filled === "..") {
        throw new DeviceError("HTTP_BAD_PARAMS", `params make the path segment ${JSON.stringify(segment)} ${filled === "" ? "empty" : `"${filled}"`}, which would call another path`, { alias });
      }
      return filled;
    })
    .join("/");
}
