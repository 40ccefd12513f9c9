// WCAG contrast of the site's colour pairs, in both themes, read from the
// stylesheet itself: 4.5:1 for text, 3:1 for focus rings, borders and other
// non-text marks.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const css = readFileSync(new URL("../../site/static/styles.css", import.meta.url), "utf8");

function variables(block: string): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const [, name, value] of block.matchAll(/--([a-z-]+):\s*(#[0-9a-f]{6})\s*;/gi)) vars[name!] = value!;
  return vars;
}

const light = variables(css.slice(css.indexOf(":root {"), css.indexOf("@media (prefers-color-scheme: dark)")));
const dark = { ...light, ...variables(css.slice(css.indexOf("@media (prefers-color-scheme: dark)"))) };

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

const TEXT: [string, string][] = [
  ["fg", "bg"],
  ["fg", "panel"],
  ["muted", "bg"],
  ["muted", "panel"],
  ["accent-fg", "accent"],
  ["danger", "bg"],
  ["danger", "panel"],
  ["off-fg", "off"],
  ["warn-fg", "warn-bg"],
  ["strong-fg", "danger-strong"],
  ["hand-fg", "hand"],
  ["accent-text", "panel"],
  ["accent-text", "bg"],
];
const NON_TEXT: [string, string][] = [
  ["focus", "bg"],
  ["focus", "panel"],
  ["border", "panel"],
  ["border", "bg"],
  ["speaking", "tile"],
  ["accent", "bg"],
];

describe.each([
  ["light", light],
  ["dark", dark],
])("the %s theme", (_, theme) => {
  it.each(TEXT)("has text contrast of at least 4.5:1 for %s on %s", (fg, bg) => {
    expect(theme[fg], fg).toBeDefined();
    expect(theme[bg], bg).toBeDefined();
    expect(contrast(theme[fg]!, theme[bg]!)).toBeGreaterThanOrEqual(4.5);
  });

  it.each(NON_TEXT)("has non-text contrast of at least 3:1 for %s on %s", (fg, bg) => {
    expect(contrast(theme[fg]!, theme[bg]!)).toBeGreaterThanOrEqual(3);
  });
});
