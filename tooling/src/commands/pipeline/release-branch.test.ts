import { describe, expect, it } from "vitest";
import { judgeRelease, releaseBranchOf } from "./release-branch.js";

describe("the release guard", () => {
  it("releases on the release branch only, by git's branch first", () => {
    expect(judgeRelease({ branch: "main", ciRef: null }, "main")).toEqual({ releaseBranch: "main", branch: "main", release: true, reason: null });
    expect(judgeRelease({ branch: "feature/x", ciRef: null }, "main")).toEqual({
      releaseBranch: "main",
      branch: "feature/x",
      release: false,
      reason: "on branch feature/x, not main: tag, bundle, publish and catalog run only on the release branch",
    });
    // git's own branch wins over what the CI says the run is for.
    expect(judgeRelease({ branch: "feature/x", ciRef: "main" }, "main").release).toBe(false);
    expect(judgeRelease({ branch: "trunk", ciRef: null }, "trunk").release).toBe(true);
  });

  it("on a detached HEAD goes by GITHUB_REF_NAME, and without one releases nothing", () => {
    expect(judgeRelease({ branch: null, ciRef: "main" }, "main")).toMatchObject({ branch: "main", release: true });
    expect(judgeRelease({ branch: null, ciRef: "42/merge" }, "main")).toMatchObject({ release: false, reason: expect.stringMatching(/^on GITHUB_REF_NAME 42\/merge, not main/) });
    expect(judgeRelease({ branch: null, ciRef: null }, "main")).toMatchObject({ branch: null, release: false, reason: expect.stringMatching(/detached HEAD.*GITHUB_REF_NAME is not set/) });
  });

  it("takes the release branch from --release-branch, else IHUB_RELEASE_BRANCH, else main", () => {
    expect(releaseBranchOf("release", { IHUB_RELEASE_BRANCH: "trunk" })).toBe("release");
    expect(releaseBranchOf(undefined, { IHUB_RELEASE_BRANCH: "trunk" })).toBe("trunk");
    expect(releaseBranchOf(undefined, {})).toBe("main");
  });
});
