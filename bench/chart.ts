/**
 * The benchmark picture: Vega-Lite rendered to SVG headlessly (vega's SVG renderer needs no canvas and no
 * native download). Left, requests/s of the bare server and the gateway; right, the pipeline's events/s.
 * Each bar is labelled with its value, so the picture reads without the JSON beside it.
 */
import { renderSvg } from '../scripts/vega.ts';

export interface Bar {
  readonly panel: string;
  readonly label: string;
  readonly value: number;
  /** A goal met or missed, the baseline it is compared with, or a breakdown shown for insight. */
  readonly status: 'baseline' | 'met' | 'missed' | 'breakdown';
}

/** Whole numbers, except small values (latencies in ms) which keep two decimals. */
const label = (value: number) => (value < 10 ? value.toFixed(2) : Math.round(value).toLocaleString('en-US'));

/** `unit` titles the vertical axes (the scoring chart's bars are milliseconds). */
export async function renderChart(bars: readonly Bar[], title: string, unit = 'per second'): Promise<string> {
  const spec = {
    title,
    data: { values: bars.map((bar) => ({ ...bar, text: label(bar.value) })) },
    facet: { column: { field: 'panel', type: 'nominal', title: null } },
    resolve: { scale: { y: 'independent', x: 'independent' } },
    spec: {
      width: 320,
      height: 220,
      layer: [
        {
          mark: 'bar',
          encoding: {
            x: { field: 'label', type: 'nominal', title: null, sort: null, axis: { labelAngle: -35, labelLimit: 160 } },
            y: { field: 'value', type: 'quantitative', title: unit },
            color: {
              field: 'status',
              type: 'nominal',
              scale: {
                domain: ['baseline', 'met', 'missed', 'breakdown'],
                range: ['#9e9e9e', '#2e7d32', '#c62828', '#90caf9'],
              },
              title: 'goal',
            },
          },
        },
        {
          mark: { type: 'text', dy: -6 },
          encoding: {
            x: { field: 'label', type: 'nominal', sort: null },
            y: { field: 'value', type: 'quantitative' },
            text: { field: 'text' },
          },
        },
      ],
    },
  };
  return renderSvg(spec);
}
