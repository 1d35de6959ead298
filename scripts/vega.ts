/**
 * Vega-Lite rendered to SVG headlessly (vega's SVG renderer needs no canvas and no native download), for
 * the pictures of the benchmarks and the demo.
 */

/** The parts of vega and vega-lite used here. */
interface VegaLite {
  compile(spec: object): { spec: object };
}
interface Vega {
  parse(spec: object): unknown;
  View: new (runtime: unknown, options: { renderer: 'none' }) => { toSVG(): Promise<string> };
}

/**
 * Loaded by name when a picture is drawn: they are devDependencies of the tooling, so type checking or
 * running the pipeline never needs them.
 */
async function load(): Promise<{ vega: Vega; vegaLite: VegaLite }> {
  const names = { vega: 'vega', vegaLite: 'vega-lite' };
  return { vega: (await import(names.vega)) as Vega, vegaLite: (await import(names.vegaLite)) as VegaLite };
}

/** A Vega-Lite spec as SVG text. */
export async function renderSvg(spec: object): Promise<string> {
  const { vega, vegaLite } = await load();
  const view = new vega.View(vega.parse(vegaLite.compile(spec).spec), { renderer: 'none' });
  return view.toSVG();
}
