/**
 * A catalog of any size whose integrations differ the way real ones do: names, publishers,
 * descriptions, categories, trust tiers, auth types, handler sets and release dates. The listing
 * test builds a hundred of them and `bench/catalog` ten thousand; the test derives what a search
 * or filter must find from these options, not from the site.
 */
import type { DeviceSample } from "./sample-integration.js";

const VENDORS = ["Acme", "Globex", "Initech", "Umbrella", "Hooli", "Stark", "Wayne", "Wonka", "Tyrell", "Cyberdyne", "Soylent", "Vandelay", "Pied Piper", "Aperture", "Massive", "Oscorp", "Gringotts", "Monarch", "Dunder", "Nakatomi"];
const PRODUCTS = ["Tickets", "Payments", "Inventory", "Mail", "Chat", "Calendar", "Storage", "Analytics", "Invoices", "Forms", "Alerts", "Contacts", "Shipping", "Payroll", "Sensors"];
const PUBLISHERS = ["Northwind Traders", "Contoso Ltd", "Fabrikam Inc", "Tailspin Toys", "Woodgrove Bank", "Litware Labs", "Adventure Works"];
const VERBS = ["Syncs", "Reads", "Sends", "Archives", "Tracks", "Imports"];
const OBJECTS = ["orders", "tickets", "invoices", "messages", "readings", "contacts", "shipments", "events"];
const TAILS = ["your workflows, for teams that work in", "the rest of your stack, built for", "your data warehouse, tuned for", "on-call rotations in", "scheduled reports on"];
export const POPULATION_CATEGORIES = ["messaging", "payments", "iot", "crm", "storage", "monitoring", "support", "analytics", "devtools", "weather"];
const TIERS = ["first_party", "vendor_official", "verified_partner", "verified_publisher", "community"] as const;
const AUTHS = ["none", "api_key", "bearer_token", "oauth2", "basic"] as const;

export type PopulationMember = DeviceSample & {
  slug: string;
  name: string;
  publisher: string;
  description: string;
  categories: string[];
  trustTier: NonNullable<DeviceSample["trustTier"]>;
  authType: NonNullable<DeviceSample["authType"]>;
  /** Handler types it keeps: every member answers rpc; some drop the timer, some the event handler. */
  handlerTypes: ("rpc" | "timer" | "event")[];
  /** Display name of its rpc handler, a phrase of its own that search must find. */
  actionName: string;
  releasedOn: string;
};

function day(i: number): string {
  const d = new Date(Date.UTC(2025, 0, 1) + ((i * 37) % 700) * 86_400_000);
  return d.toISOString().slice(0, 10);
}

/** The i-th member (0-based); the same i always gives the same member. */
export function populationMember(i: number): PopulationMember {
  const vendor = VENDORS[i % VENDORS.length]!;
  const product = PRODUCTS[Math.floor(i / VENDORS.length) % PRODUCTS.length]!;
  const round = Math.floor(i / (VENDORS.length * PRODUCTS.length));
  const name = `${vendor} ${product}${round ? ` ${round + 1}` : ""}`;
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, "-");
  const publisher = PUBLISHERS[(i * 3) % PUBLISHERS.length]!;
  const verb = VERBS[i % VERBS.length]!;
  const object = OBJECTS[(i * 5) % OBJECTS.length]!;
  const categories = [POPULATION_CATEGORIES[i % POPULATION_CATEGORIES.length]!, POPULATION_CATEGORIES[(i * 7 + 3) % POPULATION_CATEGORIES.length]!].filter((c, k, a) => a.indexOf(c) === k);
  const handlerTypes: PopulationMember["handlerTypes"] = i % 3 === 0 ? ["rpc"] : i % 3 === 1 ? ["rpc", "timer"] : ["rpc", "timer", "event"];
  const actionName = `${verb} ${object} from ${vendor}`;
  const description = `${verb} ${object} between ${vendor} ${product} and ${TAILS[i % TAILS.length]} ${categories[0]}.`;
  return {
    slug,
    name,
    publisher,
    description,
    categories,
    trustTier: TIERS[i % TIERS.length]!,
    authType: AUTHS[(i * 2 + 1) % AUTHS.length]!,
    handlerTypes,
    actionName,
    releasedOn: day(i),
    version: `${1 + (i % 3)}.${i % 5}.0`,
    patch: (m) => {
      m.publisher = publisher;
      m.description = description;
      m.handlers.get_status!.displayName = actionName;
      if (!handlerTypes.includes("timer")) delete m.handlers.poll;
      if (!handlerTypes.includes("event")) delete m.handlers.on_alert;
    },
  };
}
