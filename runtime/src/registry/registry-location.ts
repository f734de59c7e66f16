/**
 * Where a registry lives: a directory, an HTTP(S) base URL serving the same static layout, or an
 * OCI registry namespace (`oci://host[:port]/namespace`). OCI uses HTTPS except on loopback
 * hosts, or when spelled `oci+http://` for a plain-HTTP registry on a trusted network.
 */
import path from "node:path";
import { RegistryError } from "./registry-error.js";

export type RegistryLocation =
  | { kind: "dir"; dir: string }
  | { kind: "http"; baseUrl: URL }
  | { kind: "oci"; registryUrl: URL; namespace: string };

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);
/** OCI repository path components (distribution spec). */
const OCI_NAMESPACE = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*)*$/;

export function parseRegistryLocation(spec: string, cwd = process.cwd()): RegistryLocation {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(spec)?.[1]?.toLowerCase();
  if (scheme === undefined || scheme === "file") {
    return { kind: "dir", dir: path.resolve(cwd, scheme === "file" ? new URL(spec).pathname : spec) };
  }
  if (scheme === "http" || scheme === "https") {
    const baseUrl = new URL(spec);
    if (!baseUrl.pathname.endsWith("/")) baseUrl.pathname += "/";
    return { kind: "http", baseUrl };
  }
  if (scheme === "oci" || scheme === "oci+http") {
    const url = new URL(spec.replace(/^oci(\+http)?:/i, "http:"));
    const namespace = url.pathname.replace(/^\/+|\/+$/g, "");
    if (!OCI_NAMESPACE.test(namespace)) {
      throw new RegistryError("REG_BAD_SPEC", `OCI registry ${spec} needs a namespace: oci://host[:port]/namespace`, { hint: "For example oci://ghcr.io/acme/integrations." });
    }
    const plain = scheme === "oci+http" || LOOPBACK.has(url.hostname);
    return { kind: "oci", registryUrl: new URL(`${plain ? "http" : "https"}://${url.host}`), namespace };
  }
  throw new RegistryError("REG_BAD_SPEC", `unsupported registry ${spec}`, { hint: "Use a directory, an http(s):// URL or oci://host/namespace." });
}

export function describeLocation(location: RegistryLocation): string {
  switch (location.kind) {
    case "dir":
      return location.dir;
    case "http":
      return location.baseUrl.href;
    case "oci":
      return `oci://${location.registryUrl.host}/${location.namespace}`;
  }
}
