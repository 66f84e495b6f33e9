/**
 * SVG to PNG with resvg (system fonts). The one rasteriser: maps are drawn through it in the
 * PNG worker (src/map/png-renderer.ts), and tests call it directly to compare.
 */
import { Resvg, type ResvgRenderOptions } from '@resvg/resvg-js';

/** The width maps are drawn at (the SVG's own), the font their text names. */
export const MAP_WIDTH = 1200;
export const MAP_FONT = 'DejaVu Sans';

export interface PngOptions {
  /** Output width in pixels (default 1200). */
  width?: number;
}

function resvgOptions(opts: PngOptions): ResvgRenderOptions {
  return {
    fitTo: { mode: 'width', value: opts.width ?? MAP_WIDTH },
    font: { loadSystemFonts: true, defaultFontFamily: MAP_FONT },
    background: '#ffffff',
  };
}

/** The PNG of an SVG map, via resvg with the system fonts. */
export function svgToPng(svg: string, opts: PngOptions = {}): Buffer {
  return new Resvg(svg, resvgOptions(opts)).render().asPng();
}
