// Where each tile goes on the stage, as a pure function of the stage's size
// and who is there: tiles as large as the stage allows, video cropped to
// fill them (never a screen share: the tile says so and the view contains
// it), a pinned or shared tile taking most of the stage with the others in
// a strip, and with two people the other person filling the stage with our
// own preview as a small picture-in-picture.

export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface LayoutTile {
  key: string;
  self: boolean;
}

export interface LayoutInput {
  width: number;
  height: number;
  tiles: LayoutTile[];
  /** The tile that takes the stage (pinned, or a screen being shared), if any. */
  spotlight: string | null;
}

export interface Layout {
  rects: Map<string, Rect>;
  /** The tile shown small over another (our own preview, on a phone with two people). */
  floating: string | null;
}

export const GAP = 8;
/** Narrower than this, the stage is a phone's. */
export const NARROW = 600;
/** Tiles keep between these aspect ratios; a cell wider or taller gets a centred tile. */
const WIDEST = 16 / 9;
const TALLEST = 3 / 4;

/** A tile of an allowed shape inside a cell, centred. */
function fit(cell: Rect): Rect {
  let { w, h } = cell;
  if (w / h > WIDEST) w = h * WIDEST;
  if (w / h < TALLEST) h = w / TALLEST;
  return { x: cell.x + (cell.w - w) / 2, y: cell.y + (cell.h - h) / 2, w, h };
}

/** The grid of `n` cells in `area` that gives each tile the most room. */
function grid(n: number, area: Rect): Rect[] {
  let best: { cols: number; rows: number; size: number } = { cols: 1, rows: n, size: -1 };
  for (let cols = 1; cols <= n; cols++) {
    const rows = Math.ceil(n / cols);
    const cw = (area.w - (cols - 1) * GAP) / cols;
    const ch = (area.h - (rows - 1) * GAP) / rows;
    if (cw <= 0 || ch <= 0) continue;
    const tile = fit({ x: 0, y: 0, w: cw, h: ch });
    const size = tile.w * tile.h;
    if (size > best.size) best = { cols, rows, size };
  }
  const { cols, rows } = best;
  const cw = (area.w - (cols - 1) * GAP) / cols;
  const ch = (area.h - (rows - 1) * GAP) / rows;
  const rects: Rect[] = [];
  for (let i = 0; i < n; i++) {
    const row = Math.floor(i / cols);
    // The last row, if short, is centred.
    const inRow = row === rows - 1 ? n - row * cols : cols;
    const offset = ((cols - inRow) * (cw + GAP)) / 2;
    const col = i % cols;
    rects.push(fit({ x: area.x + offset + col * (cw + GAP), y: area.y + row * (ch + GAP), w: cw, h: ch }));
  }
  return rects;
}

export function layout(input: LayoutInput): Layout {
  const { width, height, tiles } = input;
  const rects = new Map<string, Rect>();
  const stage: Rect = { x: 0, y: 0, w: Math.max(1, width), h: Math.max(1, height) };
  const narrow = width < NARROW;
  const spotlight = tiles.length > 1 ? tiles.find((t) => t.key === input.spotlight) : undefined;

  if (spotlight) {
    // The spotlight takes most of the stage; the others share a strip beside
    // it (below it on a tall stage), each as large as the strip allows.
    const others = tiles.filter((t) => t !== spotlight);
    const tall = height > width;
    const strip = tall ? Math.min(height * 0.22, 160) : Math.min(width * 0.22, 280);
    const main: Rect = tall
      ? { x: 0, y: 0, w: width, h: height - strip - GAP }
      : { x: 0, y: 0, w: width - strip - GAP, h: height };
    const rest: Rect = tall
      ? { x: 0, y: height - strip, w: width, h: strip }
      : { x: width - strip, y: 0, w: strip, h: height };
    rects.set(spotlight.key, main);
    const cells = tall ? row(others.length, rest) : column(others.length, rest);
    others.forEach((t, i) => rects.set(t.key, cells[i]!));
    return { rects, floating: null };
  }

  // Two people: the other person fills the stage and our own preview floats
  // small in a corner, as a one-to-one call is shown everywhere. It also keeps
  // the most expensive picture to draw (our own camera, redrawn every frame
  // while the call connects) small.
  if (tiles.length === 2) {
    const self = tiles.find((t) => t.self);
    const other = tiles.find((t) => !t.self);
    if (self && other) {
      rects.set(other.key, stage);
      // Portrait on a phone, landscape elsewhere.
      const w = narrow ? Math.max(96, Math.round(width * 0.28)) : Math.round(Math.min(280, Math.max(160, width * 0.2)));
      const h = Math.round(narrow ? w * (4 / 3) : w * (9 / 16));
      rects.set(self.key, { x: width - w - 12, y: height - h - 12, w, h });
      return { rects, floating: self.key };
    }
  }

  if (tiles.length === 1) {
    rects.set(tiles[0]!.key, stage);
    return { rects, floating: null };
  }
  grid(tiles.length, stage).forEach((rect, i) => rects.set(tiles[i]!.key, rect));
  return { rects, floating: null };
}

/** `n` tiles side by side in a strip, each at most the strip's height wide × 16:9. */
function row(n: number, area: Rect): Rect[] {
  const w = Math.min((area.w - (n - 1) * GAP) / Math.max(1, n), area.h * WIDEST);
  const offset = (area.w - (n * w + (n - 1) * GAP)) / 2;
  return Array.from({ length: n }, (_, i) => ({ x: area.x + offset + i * (w + GAP), y: area.y, w, h: area.h }));
}

/** `n` tiles stacked in a strip. */
function column(n: number, area: Rect): Rect[] {
  const h = Math.min((area.h - (n - 1) * GAP) / Math.max(1, n), area.w / WIDEST);
  const offset = (area.h - (n * h + (n - 1) * GAP)) / 2;
  return Array.from({ length: n }, (_, i) => ({ x: area.x, y: area.y + offset + i * (h + GAP), w: area.w, h }));
}

/** The share of `area` that the rects cover (they never overlap, except a floating one). */
export function coverage(rects: Iterable<Rect>, area: { w: number; h: number }, skip?: Rect): number {
  let covered = 0;
  for (const r of rects) if (r !== skip) covered += r.w * r.h;
  return covered / (area.w * area.h);
}
