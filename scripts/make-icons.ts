/**
 * Draws Convene's Teams app icons with pngjs and writes them to appPackage/:
 * - color.png   192×192, opaque: a white calendar page on the accent colour.
 * - outline.png 32×32, a white calendar outline on a fully transparent background (Teams requires pure white
 *   pixels with alpha only, https://learn.microsoft.com/microsoftteams/platform/concepts/build-and-test/apps-package).
 *
 * Deterministic (no anti-aliasing, no randomness), so re-running it produces byte-identical files.
 * Usage: npx tsx scripts/make-icons.ts [outDir]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PNG } from 'pngjs';

/** The manifest's accentColor; keep the two in sync. */
export const ACCENT_COLOR = '#4F52B2';

type Rgba = readonly [number, number, number, number];

function hexToRgba(hex: string): Rgba {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) throw new Error(`not a #rrggbb colour: ${hex}`);
  return [parseInt(m[1]!, 16), parseInt(m[2]!, 16), parseInt(m[3]!, 16), 255];
}

const WHITE: Rgba = [255, 255, 255, 255];
const CLEAR: Rgba = [0, 0, 0, 0];

class Canvas {
  readonly png: PNG;
  constructor(
    readonly size: number,
    background: Rgba,
  ) {
    this.png = new PNG({ width: size, height: size, colorType: 6 });
    this.fill(0, 0, size, size, background);
  }

  /** Fills the half-open rectangle [x0,x1)×[y0,y1). */
  fill(x0: number, y0: number, x1: number, y1: number, c: Rgba): void {
    for (let y = Math.max(0, y0); y < Math.min(this.size, y1); y++) {
      for (let x = Math.max(0, x0); x < Math.min(this.size, x1); x++) {
        const i = (y * this.size + x) * 4;
        this.png.data[i] = c[0];
        this.png.data[i + 1] = c[1];
        this.png.data[i + 2] = c[2];
        this.png.data[i + 3] = c[3];
      }
    }
  }

  /** A rectangle outline of thickness t. */
  frame(x0: number, y0: number, x1: number, y1: number, t: number, c: Rgba): void {
    this.fill(x0, y0, x1, y0 + t, c);
    this.fill(x0, y1 - t, x1, y1, c);
    this.fill(x0, y0, x0 + t, y1, c);
    this.fill(x1 - t, y0, x1, y1, c);
  }

  toBuffer(): Buffer {
    return PNG.sync.write(this.png, { colorType: 6 });
  }
}

/**
 * A calendar glyph scaled to a canvas of `size` px: a page with a header bar, two binder rings above it and a
 * 3×2 grid of day cells. `ink` is the glyph colour, `paper` the colour cut out of it (background for the outline).
 */
function drawCalendar(canvas: Canvas, ink: Rgba, paper: Rgba, solidPage: boolean): void {
  const s = canvas.size / 32; // design grid is 32×32
  const px = (v: number): number => Math.round(v * s);
  const [l, t, r, b] = [px(5), px(7), px(27), px(27)];
  if (solidPage) {
    canvas.fill(l, t, r, b, ink);
  } else {
    canvas.frame(l, t, r, b, Math.max(1, px(2)), ink);
  }
  // Header bar (solid) separating the month from the days.
  canvas.fill(l, t, r, px(12), ink);
  // Binder rings sticking out above the page, cut where they cross the header.
  for (const x of [px(10), px(20)]) {
    canvas.fill(x, px(4), x + Math.max(1, px(2)), px(10), ink);
  }
  // Day cells: in `paper` on a solid page, in `ink` on an outlined page.
  const cell = solidPage ? paper : ink;
  const cols = [px(8), px(14.5), px(21)];
  const rows = [px(15), px(20.5)];
  const w = Math.max(2, px(3));
  for (const y of rows) for (const x of cols) canvas.fill(x, y, x + w, y + w, cell);
  if (solidPage) canvas.fill(l, px(12), r, px(12) + Math.max(1, px(0.75)), paper); // line under the header
}

export function makeColorIcon(accent: string = ACCENT_COLOR): Buffer {
  const accentRgba = hexToRgba(accent);
  const canvas = new Canvas(192, accentRgba);
  drawCalendar(canvas, WHITE, accentRgba, true);
  return canvas.toBuffer();
}

export function makeOutlineIcon(): Buffer {
  const canvas = new Canvas(32, CLEAR);
  drawCalendar(canvas, WHITE, CLEAR, false);
  return canvas.toBuffer();
}

function main(): void {
  const outDir = resolve(process.argv[2] ?? join(__dirname, '..', 'appPackage'));
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'color.png'), makeColorIcon());
  writeFileSync(join(outDir, 'outline.png'), makeOutlineIcon());
  console.log(`wrote ${join(outDir, 'color.png')} and ${join(outDir, 'outline.png')}`);
}

if (require.main === module) main();
