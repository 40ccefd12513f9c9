// The stage layout as a pure function: tiles fill the stage for 1 to 8
// people, never overlap (but for the floating preview), stay inside it.
import { describe, expect, it } from "vitest";
import { coverage, layout, type Rect } from "../../site/src/ui/layout";

const people = (n: number) => Array.from({ length: n }, (_, i) => ({ key: i === 0 ? "self" : `p${i}`, self: i === 0 }));
const overlaps = (a: Rect, b: Rect) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

function check(width: number, height: number, n: number, spotlight: string | null = null) {
  const result = layout({ width, height, tiles: people(n), spotlight });
  const rects = [...result.rects.entries()];
  expect(rects).toHaveLength(n);
  for (const [key, r] of rects) {
    expect(r.x, key).toBeGreaterThanOrEqual(-0.01);
    expect(r.y, key).toBeGreaterThanOrEqual(-0.01);
    expect(r.x + r.w, key).toBeLessThanOrEqual(width + 0.01);
    expect(r.y + r.h, key).toBeLessThanOrEqual(height + 0.01);
  }
  for (const [a, ra] of rects) {
    for (const [b, rb] of rects) {
      if (a < b && a !== result.floating && b !== result.floating) expect(overlaps(ra, rb), `${a} ${b}`).toBe(false);
    }
  }
  return result;
}

describe("the stage layout", () => {
  it("floats our own preview over the other person with two on a desktop stage too", () => {
    const two = check(1264, 600, 2);
    expect(two.floating).toBe("self");
    expect(two.rects.get("p1")).toEqual({ x: 0, y: 0, w: 1264, h: 600 });
    const pip = two.rects.get("self")!;
    expect(pip.w / pip.h).toBeCloseTo(16 / 9, 1);
    expect(pip.w * pip.h).toBeLessThan(0.1 * 1264 * 600);
  });

  it("fills a desktop stage for 1 to 8 people", () => {
    const expected = [1, 0.8, 0.65, 0.65, 0.55, 0.6, 0.5, 0.55];
    for (let n = 1; n <= 8; n++) {
      const { rects } = check(1264, 600, n);
      expect(coverage(rects.values(), { w: 1264, h: 600 }), `${n} people`).toBeGreaterThanOrEqual(expected[n - 1]!);
    }
  });

  it("fills a phone stage for 1 to 8 people, and floats our own preview over the other person with two", () => {
    for (let n = 1; n <= 8; n++) check(374, 720, n);
    const two = check(374, 720, 2);
    expect(two.floating).toBe("self");
    expect(two.rects.get("p1")).toEqual({ x: 0, y: 0, w: 374, h: 720 });
    const pip = two.rects.get("self")!;
    expect(pip.w * pip.h).toBeLessThan(0.1 * 374 * 720);
  });

  it("gives a pinned tile most of the stage, the others a strip, on desktop and phone", () => {
    for (const [w, h] of [
      [1264, 600],
      [374, 720],
    ] as const) {
      for (const n of [2, 4, 8]) {
        const { rects } = check(w, h, n, "p1");
        const main = rects.get("p1")!;
        expect((main.w * main.h) / (w * h), `${w}x${h}, ${n} people`).toBeGreaterThanOrEqual(0.55);
      }
    }
  });

  it("ignores a spotlight on somebody who is not there, and on the only person", () => {
    expect(check(1264, 600, 3, "gone")).toEqual(
      layout({ width: 1264, height: 600, tiles: people(3), spotlight: null }),
    );
    expect(check(1264, 600, 1, "self").rects.get("self")).toEqual({ x: 0, y: 0, w: 1264, h: 600 });
  });
});
