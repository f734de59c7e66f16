/** Parts several stage documents share: findings, the `--changed` selection and a failure kept in a document. */
import { z } from "zod";
import type { Finding } from "../findings/finding.js";
import type { Selection } from "../repo/select-integrations.js";

export const findingSchema = z.object({
  code: z.string(),
  severity: z.enum(["error", "warning"]),
  integration: z.string().nullable(),
  file: z.string().nullable(),
  line: z.number().int().nullable(),
  column: z.number().int().nullable(),
  pointer: z.string().nullable(),
  message: z.string(),
  hint: z.string(),
  excerpt: z.string().optional(),
}) satisfies z.ZodType<Finding>;

const changeReasonSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("committed") }),
  z.object({ kind: z.literal("uncommitted") }),
  z.object({ kind: z.literal("module"), module: z.string() }),
  z.object({ kind: z.literal("schemas") }),
]);

/** With `--changed`: what changed since which base, and why. */
export const changedSchema = z.object({
  base: z.string(),
  mergeBase: z.string(),
  reasons: z.record(z.string(), z.array(changeReasonSchema)),
  removed: z.array(z.string()),
}) satisfies z.ZodType<NonNullable<Selection["changed"]>>;

/** A coded error (see runtime/src/errors/coded-error.ts) as a document carries it. */
export const codedErrorSchema = z.object({
  code: z.string(),
  message: z.string(),
  hint: z.string().optional(),
  file: z.string().optional(),
  pointer: z.string().optional(),
  line: z.number().int().optional(),
  column: z.number().int().optional(),
});

/** An integration a build-and-sign stage (tag, bundle, publish) could not build. */
export const slugErrorSchema = codedErrorSchema.extend({ slug: z.string() });
