// The site build refuses to ship a page over its size budget.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));

function build(budget?: number) {
  return spawnSync(process.execPath, ["site/build.ts"], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, ...(budget === undefined ? {} : { SITE_BUDGET_BYTES: String(budget) }) },
  });
}

describe("the site build", () => {
  it("stays within 33 kB of gzipped JavaScript and CSS, and says how much it used", () => {
    const result = build();
    expect(result.status).toBe(0);
    const kb = Number(/site: ([\d.]+) kB gzipped/.exec(result.stdout)?.[1]);
    expect(kb).toBeGreaterThan(5);
    expect(kb).toBeLessThanOrEqual(33);
  });

  it("fails when the budget is exceeded", () => {
    const result = build(1_000);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("over budget");
  });
});
