/**
 * Call-time checks of what a handler may do, against the manifest's `resources`, `permissions`
 * and `dataContainerSchemas`. Pure functions: they return the grant or throw a CtxError naming
 * the manifest field that would allow the call.
 */
import type { Manifest, Resource } from "../manifest/manifest-schema.js";
import { CtxError } from "./ctx-error.js";

type DeviceGrant = NonNullable<NonNullable<Manifest["permissions"]["device"]>[string]>;

const quote = (s: string) => JSON.stringify(s.length > 80 ? s.slice(0, 80) + "…" : s);

export function requireDevice(manifest: Manifest, alias: unknown, kind: Resource["kind"], method?: string): { resource: Resource; grant: DeviceGrant } {
  if (typeof alias !== "string" || alias === "") throw new CtxError("INVALID_ARGUMENT", `ctx.device.${kind}: the first argument must be a resource alias`);
  const resource = Object.hasOwn(manifest.resources ?? {}, alias) ? manifest.resources![alias] : undefined;
  if (!resource) throw new CtxError("UNDECLARED_ALIAS", `resource alias ${quote(alias)} is not declared`, `resources.${alias}`);
  if (resource.kind !== kind) throw new CtxError("PERMISSION_DENIED", `resource alias ${quote(alias)} is of kind ${resource.kind}, not ${kind}`, `resources.${alias}.kind`);
  const grant = Object.hasOwn(manifest.permissions.device ?? {}, alias) ? manifest.permissions.device![alias] : undefined;
  if (!grant) throw new CtxError("PERMISSION_DENIED", `device calls to ${quote(alias)} are not granted`, `permissions.device.${alias}`);
  if (method !== undefined && grant.methods && !grant.methods.includes(method as never)) {
    throw new CtxError("PERMISSION_DENIED", `method ${quote(method)} on ${quote(alias)} is not granted`, `permissions.device.${alias}.methods`);
  }
  return { resource, grant };
}

export function requireCache(manifest: Manifest): void {
  if (manifest.permissions.cache !== true) throw new CtxError("PERMISSION_DENIED", "the install cache is not granted", "permissions.cache");
}

export function requireContainer(manifest: Manifest, name: unknown, access: "read" | "readwrite"): Record<string, unknown> {
  if (typeof name !== "string" || name === "") throw new CtxError("INVALID_ARGUMENT", "the first argument must be a container name");
  const schema = Object.hasOwn(manifest.dataContainerSchemas ?? {}, name) ? manifest.dataContainerSchemas![name] : undefined;
  if (!schema) throw new CtxError("UNDECLARED_CONTAINER", `container ${quote(name)} is not declared`, `dataContainerSchemas.${name}`);
  const granted = Object.hasOwn(manifest.permissions.containers ?? {}, name) ? manifest.permissions.containers![name] : undefined;
  if (!granted) throw new CtxError("PERMISSION_DENIED", `container ${quote(name)} is not granted`, `permissions.containers.${name}`);
  if (access === "readwrite" && granted !== "readwrite") {
    throw new CtxError("PERMISSION_DENIED", `container ${quote(name)} is granted read only; writing needs "readwrite"`, `permissions.containers.${name}`);
  }
  return schema;
}

export function requireEmit(manifest: Manifest, topic: unknown): string {
  if (typeof topic !== "string" || topic === "") throw new CtxError("INVALID_ARGUMENT", "ctx.emit: the first argument must be a topic");
  if (!(manifest.permissions.events?.emit ?? []).includes(topic)) {
    throw new CtxError("PERMISSION_DENIED", `emitting topic ${quote(topic)} is not granted`, "permissions.events.emit");
  }
  return topic;
}
