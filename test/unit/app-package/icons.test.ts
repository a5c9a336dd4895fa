import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { checkColorIcon, checkOutlineIcon } from '../../../scripts/app-package/validate';
import { makeColorIcon, makeOutlineIcon } from '../../../scripts/make-icons';
import { ROOT } from './helpers';

function png(width: number, height: number, rgba: readonly [number, number, number, number]): Buffer {
  const img = new PNG({ width, height });
  for (let i = 0; i < img.data.length; i += 4) img.data.set(rgba, i);
  return PNG.sync.write(img);
}

describe('app icons', () => {
  const color = readFileSync(join(ROOT, 'appPackage', 'color.png'));
  const outline = readFileSync(join(ROOT, 'appPackage', 'outline.png'));

  it('color.png is 192x192 and opaque', () => {
    const img = PNG.sync.read(color);
    assert.deepEqual([img.width, img.height], [192, 192]);
    assert.deepEqual(checkColorIcon(color), []);
  });

  it('outline.png is 32x32, white on transparent', () => {
    const img = PNG.sync.read(outline);
    assert.deepEqual([img.width, img.height], [32, 32]);
    assert.deepEqual(checkOutlineIcon(outline), []);
  });

  it('the committed icons are what scripts/make-icons.ts draws', () => {
    assert.ok(makeColorIcon().equals(color), 'color.png is stale: run npx tsx scripts/make-icons.ts');
    assert.ok(makeOutlineIcon().equals(outline), 'outline.png is stale: run npx tsx scripts/make-icons.ts');
  });

  it('rejects icons of the wrong size', () => {
    assert.match(checkColorIcon(png(96, 96, [10, 20, 30, 255])).join(), /must be 192x192, is 96x96/);
    assert.match(checkOutlineIcon(makeColorIcon()).join(), /must be 32x32, is 192x192/);
  });

  it('rejects a transparent color icon and a coloured or opaque outline icon', () => {
    assert.match(checkColorIcon(png(192, 192, [10, 20, 30, 0])).join(), /must be opaque/);
    assert.match(checkOutlineIcon(png(32, 32, [255, 0, 0, 255])).join(), /not white/);
    assert.match(checkOutlineIcon(png(32, 32, [255, 255, 255, 255])).join(), /background must be transparent/);
    assert.match(checkOutlineIcon(png(32, 32, [0, 0, 0, 0])).join(), /fully transparent/);
  });

  it('rejects bytes that are not a PNG', () => {
    assert.match(checkColorIcon(Buffer.from('nope')).join(), /not a readable PNG/);
  });
});
