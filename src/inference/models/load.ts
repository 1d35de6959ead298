/**
 * The committed models (`models/<name>.json` at the repository root, written by `make models`), read once
 * per folder and kept compiled for scoring only (their JSON trees are left to the GC). A missing or damaged
 * file is a value with a stable reason code, never an exception.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type CompiledModel, compileEnsemble, parseTreeEnsemble, type TreeEnsemble } from './ensemble.ts';

export const MODEL_NAMES = ['fraud', 'churn', 'retry'] as const;
export type ModelName = (typeof MODEL_NAMES)[number];
export type Models = Readonly<Record<ModelName, CompiledModel>>;

/** The repository's `models/` folder. */
export const MODELS_DIR = fileURLToPath(new URL('../../../models/', import.meta.url));

export type LoadedModels =
  | { readonly kind: 'models'; readonly models: Models }
  | { readonly kind: 'missing_model' | 'invalid_model'; readonly reason: string };

const cache = new Map<string, LoadedModels>();

/** One model file's trees as exported, or why it cannot be used: for what reads the trees themselves. */
export function readEnsemble(dir: string, name: ModelName): { kind: 'model'; model: TreeEnsemble } | LoadedModels {
  let text: string;
  try {
    text = readFileSync(join(dir, `${name}.json`), 'utf8');
  } catch (error) {
    return { kind: 'missing_model', reason: `${name}: ${(error as Error).message}` };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { kind: 'invalid_model', reason: `${name}: ${(error as Error).message}` };
  }
  const parsed = parseTreeEnsemble(json);
  return parsed.kind === 'model' ? parsed : { kind: 'invalid_model', reason: `${name}: ${parsed.reason}` };
}

/** The three models from `dir` (default: the committed ones), or why they cannot be used. */
export function loadModels(dir: string = MODELS_DIR): LoadedModels {
  const cached = cache.get(dir);
  if (cached) return cached;
  const models: Partial<Record<ModelName, CompiledModel>> = {};
  let result: LoadedModels | undefined;
  for (const name of MODEL_NAMES) {
    const read = readEnsemble(dir, name);
    if (read.kind !== 'model') {
      result = read;
      break;
    }
    models[name] = compileEnsemble(read.model);
  }
  result ??= { kind: 'models', models: models as Models };
  cache.set(dir, result);
  return result;
}
