/** The integrations the service benchmarks install: the test integration cut down to one trigger. */
import { notesManifest } from "@ihub/runtime/test-support";

type Handler = ReturnType<typeof notesManifest>["handlers"][string];

/** The test integration with one trigger kept, renamed: no device calls, so the runtime itself is measured. */
export const variant = (slug: string, keep: string, patch?: (h: Handler) => void) =>
  notesManifest("1.0.0", (m) => {
    m.slug = slug;
    const handler = { ...m.handlers[keep]!, function: "echo" };
    patch?.(handler);
    m.handlers = { [keep]: handler };
  });
