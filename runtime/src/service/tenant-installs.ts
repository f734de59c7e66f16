/** Every install of a tenant, read page by page: for checks that look at all of them at once. */
import type { InstallRecord, ServiceStore } from "../service-store/service-store.js";

export async function allInstalls(store: ServiceStore, tenantId: string): Promise<InstallRecord[]> {
  const out: InstallRecord[] = [];
  for (let cursor: string | undefined, page; (page = await store.listInstalls(tenantId, { limit: 200, ...(cursor ? { cursor } : {}) })); ) {
    out.push(...page.items);
    if (!page.cursor) break;
    cursor = page.cursor;
  }
  return out;
}
