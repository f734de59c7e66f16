import { describe, expect, it } from "vitest";
import { notesManifest } from "../../test-support/service/notes-integration.js";
import { manifestChanges, widenedAccess } from "./manifest-diff.js";

describe("widenedAccess", () => {
  it("lists each permission grant and auth scope the newer manifest adds, with its pointer", () => {
    const base = notesManifest("1.0.0", (m) => (m.auth.scopes = ["notes:read"]));
    const head = notesManifest("1.1.0", (m) => {
      m.auth.scopes = ["notes:read", "notes:write", "admin"];
      m.permissions.device = { api: { methods: ["GET", "POST"] } };
      m.permissions.events = { emit: ["note.created", "note.deleted"] };
      m.permissions.tenantApis = ["users.read"];
    });
    expect(widenedAccess(base, head)).toEqual([
      { level: "minor", area: "access", message: "permission added: device api POST", pointer: "/permissions/device/api" },
      { level: "minor", area: "access", message: "permission added: emit note.deleted", pointer: "/permissions/events/emit" },
      { level: "minor", area: "access", message: "permission added: tenant api users.read", pointer: "/permissions/tenantApis" },
      { level: "major", area: "access", message: "auth scopes added: notes:write, admin (existing credentials were granted without them)", pointer: "/auth/scopes" },
    ]);
  });

  it("counts billing switched on and another OAuth provider as wider access", () => {
    const base = notesManifest("1.0.0", (m) => (m.auth = { type: "oauth2", provider: "github" }));
    const head = notesManifest("1.1.0", (m) => {
      m.auth = { type: "oauth2", provider: "gitlab" };
      m.billing = true;
    });
    expect(widenedAccess(base, head)).toEqual([
      { level: "minor", area: "access", message: "permission added: billing", pointer: "/billing" },
      { level: "major", area: "access", message: "OAuth provider changed from github to gitlab (existing tokens were issued by the other)", pointer: "/auth/provider" },
    ]);
    expect(widenedAccess(head, base)).toEqual([{ level: "major", area: "access", message: "OAuth provider changed from gitlab to github (existing tokens were issued by the other)", pointer: "/auth/provider" }]);
  });

  it("is empty when access only narrows or stays the same", () => {
    const base = notesManifest("1.0.0", (m) => (m.auth.scopes = ["a", "b"]));
    const head = notesManifest("1.1.0", (m) => {
      m.auth.scopes = ["a"];
      delete m.permissions.cache;
      m.permissions.device = { api: { methods: ["GET"], readOnly: true } };
    });
    expect(widenedAccess(base, head)).toEqual([]);
    expect(widenedAccess(base, base)).toEqual([]);
  });

  it("is the access part of the manifest's contract changes", () => {
    const base = notesManifest("1.0.0");
    const head = notesManifest("2.0.0", (m) => {
      delete m.handlers.spin;
      m.permissions.tenantApis = ["users.read"];
    });
    const changes = manifestChanges(base, head);
    expect(changes.filter((c) => c.area === "access")).toEqual(widenedAccess(base, head));
    expect(changes).toContainEqual({ level: "major", area: "handlers", message: 'handler "spin" removed', pointer: "/handlers/spin" });
  });
});
