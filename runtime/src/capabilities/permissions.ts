/**
 * What the manifest must declare and grant for a ctx call, decided once for both judges: the host
 * at call time (host/sandbox-host.ts) and `ihub validate` before run time (ctx-calls-check.ts).
 * Each returns every denial in the order the host meets them; the host raises the first, the
 * validator reports each. Lookups are own-property only, so an alias named `constructor` is
 * undeclared rather than found on Object.prototype.
 */
import type { Manifest, Resource, TenantApi } from "../manifest/manifest-schema.js";

export type Permission =
  | { kind: "device"; resource: Resource["kind"] }
  | { kind: "cache" }
  | { kind: "container"; access: "read" | "readwrite" }
  | { kind: "emit" }
  | { kind: "billing" }
  | { kind: "tenantApi"; api: TenantApi }
  | { kind: "none" };

/** What the call names (alias, container or topic), and for http the method when it is known. */
export type Subject = { name: string; method?: string };

export type DenialCode = "PERMISSION_DENIED" | "UNDECLARED_ALIAS" | "UNDECLARED_CONTAINER";

export type Denial = { code: DenialCode; field: string } & (
  | { reason: "undeclared-resource" }
  | { reason: "wrong-kind"; actual: Resource["kind"]; expected: Resource["kind"] }
  | { reason: "device-not-granted" }
  | { reason: "method-not-granted"; allowed: readonly string[] }
  | { reason: "cache-not-granted" }
  | { reason: "undeclared-container" }
  | { reason: "container-not-granted" }
  | { reason: "container-read-only" }
  | { reason: "topic-not-granted" }
  | { reason: "billing-not-declared" }
  | { reason: "tenant-api-not-granted"; api: TenantApi }
);

type DeviceGrant = NonNullable<NonNullable<Manifest["permissions"]["device"]>[string]>;

const own = <T>(record: Record<string, T> | undefined, key: string): T | undefined => (record && Object.hasOwn(record, key) ? record[key] : undefined);

export const declaredResource = (m: Manifest, alias: string): Resource | undefined => own(m.resources, alias);
export const deviceGrant = (m: Manifest, alias: string): DeviceGrant | undefined => own(m.permissions.device, alias);
export const containerSchema = (m: Manifest, name: string): Record<string, unknown> | undefined => own(m.dataContainerSchemas, name);

/** Whether the permission is granted for something the call names (its first argument). */
export const hasSubject = (p: Permission): boolean => p.kind === "device" || p.kind === "container" || p.kind === "emit";

function deviceDenials(m: Manifest, resourceKind: Resource["kind"], { name, method }: Subject): Denial[] {
  const resource = declaredResource(m, name);
  if (!resource) return [{ code: "UNDECLARED_ALIAS", field: `resources.${name}`, reason: "undeclared-resource" }];
  if (resource.kind !== resourceKind) return [{ code: "PERMISSION_DENIED", field: `resources.${name}.kind`, reason: "wrong-kind", actual: resource.kind, expected: resourceKind }];
  const grant = deviceGrant(m, name);
  if (!grant) return [{ code: "PERMISSION_DENIED", field: `permissions.device.${name}`, reason: "device-not-granted" }];
  if (method !== undefined && grant.methods && !grant.methods.includes(method as never)) {
    return [{ code: "PERMISSION_DENIED", field: `permissions.device.${name}.methods`, reason: "method-not-granted", allowed: grant.methods }];
  }
  return [];
}

// Unlike a device alias, an undeclared container may also be ungranted: both are worth knowing.
function containerDenials(m: Manifest, access: "read" | "readwrite", { name }: Subject): Denial[] {
  const out: Denial[] = [];
  if (!containerSchema(m, name)) out.push({ code: "UNDECLARED_CONTAINER", field: `dataContainerSchemas.${name}`, reason: "undeclared-container" });
  const granted = own(m.permissions.containers, name);
  if (!granted) out.push({ code: "PERMISSION_DENIED", field: `permissions.containers.${name}`, reason: "container-not-granted" });
  else if (access === "readwrite" && granted !== "readwrite") out.push({ code: "PERMISSION_DENIED", field: `permissions.containers.${name}`, reason: "container-read-only" });
  return out;
}

/** Every reason the manifest refuses the call; `subject` is required when `hasSubject(permission)`. */
export function permissionDenials(m: Manifest, permission: Permission, subject?: Subject): Denial[] {
  switch (permission.kind) {
    case "none":
      return [];
    case "cache":
      return m.permissions.cache === true ? [] : [{ code: "PERMISSION_DENIED", field: "permissions.cache", reason: "cache-not-granted" }];
    case "device":
      return deviceDenials(m, permission.resource, subject!);
    case "container":
      return containerDenials(m, permission.access, subject!);
    case "emit":
      return (m.permissions.events?.emit ?? []).includes(subject!.name) ? [] : [{ code: "PERMISSION_DENIED", field: "permissions.events.emit", reason: "topic-not-granted" }];
    case "billing":
      return m.billing === true ? [] : [{ code: "PERMISSION_DENIED", field: "billing", reason: "billing-not-declared" }];
    case "tenantApi":
      return (m.permissions.tenantApis ?? []).includes(permission.api)
        ? []
        : [{ code: "PERMISSION_DENIED", field: "permissions.tenantApis", reason: "tenant-api-not-granted", api: permission.api }];
  }
}

/** For docs: the manifest fields that grant a permission. */
export function permissionText(p: Permission): string {
  switch (p.kind) {
    case "none":
      return "none";
    case "cache":
      return "`permissions.cache: true`";
    case "device":
      return `\`resources.<alias>\` of kind \`${p.resource}\` and \`permissions.device.<alias>\`${p.resource === "http" ? " (its `methods`, when listed)" : ""}`;
    case "container":
      return `\`dataContainerSchemas.<name>\` and \`permissions.containers.<name>\`: ${p.access === "read" ? '"read" or "readwrite"' : '"readwrite"'}`;
    case "emit":
      return "the topic listed in `permissions.events.emit`";
    case "billing":
      return "`billing: true`";
    case "tenantApi":
      return `\`"${p.api}"\` in \`permissions.tenantApis\``;
  }
}

/** For docs: the errors a call raises when the manifest refuses it, as the host decides above. */
export function permissionFailures(p: Permission): { code: DenialCode | "INVALID_ARGUMENT"; when: string }[] {
  const subject = { device: "alias", container: "container name", emit: "topic" } as const;
  const notString = (what: string) => ({ code: "INVALID_ARGUMENT" as const, when: `the ${what} is not a non-empty string` });
  switch (p.kind) {
    case "none":
      return [];
    case "cache":
      return [{ code: "PERMISSION_DENIED", when: "`permissions.cache` is not true" }];
    case "device":
      return [
        notString(subject.device),
        { code: "UNDECLARED_ALIAS", when: "the alias is not declared under `resources`" },
        {
          code: "PERMISSION_DENIED",
          when: `the alias is not of kind ${p.resource}, or \`permissions.device\` does not grant it${p.resource === "http" ? " (or the method, when its `methods` are listed)" : ""}`,
        },
      ];
    case "container":
      return [
        notString(subject.container),
        { code: "UNDECLARED_CONTAINER", when: "the container is not declared under `dataContainerSchemas`" },
        { code: "PERMISSION_DENIED", when: `\`permissions.containers\` does not grant it${p.access === "readwrite" ? ' as "readwrite"' : ""}` },
      ];
    case "emit":
      return [notString(subject.emit), { code: "PERMISSION_DENIED", when: "`permissions.events.emit` does not list the topic" }];
    case "billing":
      return [{ code: "PERMISSION_DENIED", when: "the manifest does not say `billing: true`" }];
    case "tenantApi":
      return [{ code: "PERMISSION_DENIED", when: `\`permissions.tenantApis\` does not list "${p.api}"` }];
  }
}
