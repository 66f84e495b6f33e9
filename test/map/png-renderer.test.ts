/**
 * The report draws its maps through PngRenderer, on a worker thread: the bytes must be those of
 * `svgToPng` on the caller's thread, in the order asked, and a failure must name the map's error.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { svgToPng } from '../../src/map/png.js';
import { PngRenderer } from '../../src/map/png-renderer.js';
import { planMapInputs, renderPlanMapSvg } from '../../src/map/render.js';
import { buildModel } from '../report/model-builder.js';

describe('PngRenderer', () => {
  const renderer = new PngRenderer();
  afterAll(() => renderer.close());

  it('draws the same bytes as svgToPng, in the order asked', async () => {
    const inputs = planMapInputs(buildModel());
    const svgs = [
      renderPlanMapSvg(inputs[0]!),
      renderPlanMapSvg({ ...inputs[0]!, colourBy: 'members' }),
    ];
    const widths = [960, 600];
    const drawn = await Promise.all(
      svgs.map((svg, i) => renderer.render(svg, { width: widths[i]! })),
    );
    svgs.forEach((svg, i) => {
      expect(drawn[i]!.equals(svgToPng(svg, { width: widths[i]! })), `map ${i}`).toBe(true);
    });
    expect(drawn[1]!.readUInt32BE(16)).toBe(600);
  });

  it('rejects a map resvg cannot draw with its reason, and goes on drawing the next', async () => {
    await expect(renderer.render('<svg not closed')).rejects.toThrow(
      /^the map could not be drawn: /,
    );
    const ok = await renderer.render(
      '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10" fill="red"/></svg>',
      { width: 10 },
    );
    expect(ok.subarray(1, 4).toString('latin1')).toBe('PNG');
  });

  it('rejects what is still being drawn when closed, and starts again when asked', async () => {
    const r = new PngRenderer();
    const svg = renderPlanMapSvg(planMapInputs(buildModel())[0]!);
    const pending = r.render(svg);
    await r.close();
    await expect(pending).rejects.toThrow(/closed|stopped/);
    const again = await r.render(svg, { width: 300 });
    expect(again.readUInt32BE(16)).toBe(300);
    await r.close();
  });
});
