/**
 * A model's input vector from a record of named values: the one place that maps names to columns, used
 * by the online scoring and by the evaluation alike. `name=value` columns are one-hot columns of a text
 * field (the retry model's `failure_code=<code>`); a value the record lacks is NaN, which the trees read as
 * LightGBM does.
 */
import type { TreeEnsemble } from './ensemble.ts';

export type InputRecord = Readonly<Record<string, number | string | null>>;

export function inputVector(model: TreeEnsemble, record: InputRecord): number[] {
  return model.features.map((name) => {
    const equals = name.indexOf('=');
    if (equals > 0) return record[name.slice(0, equals)] === name.slice(equals + 1) ? 1 : 0;
    const value = record[name];
    return typeof value === 'number' ? value : Number.NaN;
  });
}
