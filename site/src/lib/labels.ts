/** Words for the catalog's enumerations, shared by the prebuilt pages and the browser's search results. */
import type { CardData, HandlerType } from "../../../tooling/src/catalog/card-data.ts";

export const tierLabels: Record<CardData["trustTier"], string> = {
  first_party: "First party",
  vendor_official: "Vendor official",
  verified_partner: "Verified partner",
  verified_publisher: "Verified publisher",
  community: "Community",
};

/** One line on what each tier promises, shown next to the badge so "is it trustworthy" has an answer. */
export const tierNotes: Record<CardData["trustTier"], string> = {
  first_party: "Built and maintained by the catalog's owners.",
  vendor_official: "Published by the vendor of the service it connects to.",
  verified_partner: "From a partner whose identity and integration were reviewed.",
  verified_publisher: "From a publisher whose identity was verified.",
  community: "From the community: validated and tested here, not reviewed or endorsed.",
};

export const authLabels: Record<CardData["authType"], string> = {
  none: "No auth",
  api_key: "API key",
  bearer_token: "Bearer token",
  oauth2: "OAuth 2.0",
  basic: "Basic auth",
};

export const handlerTypeLabels: Record<HandlerType, string> = {
  rpc: "Action (rpc)",
  timer: "Scheduled (timer)",
  event: "Event",
};
