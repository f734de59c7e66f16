/// <reference types="astro/client" />

declare module "virtual:ihub-catalog-data" {
  /** Absolute path of the catalog data file the build reads. */
  export const dataFile: string;
  /** Path the site is served under, e.g. `/` or `/catalog/`. */
  export const base: string;
}
