"""Trains the three models with fixed seeds: `python -m paypipe_lakehouse.models.train TABLES_DIR OUT_DIR`.

TABLES_DIR holds one folder per training world (`fraud.csv`, `churn.csv`, `retry.csv`, written by
`paypipe models tables`); OUT_DIR receives `<name>.json` per model and `parity.json`, a few rows' inputs
with the Python predictions, for the TypeScript evaluator's parity test.
"""

import hashlib
import json
import sys
from pathlib import Path

import lightgbm as lgb
import numpy as np
import pyarrow as pa
import pyarrow.csv as csv

from paypipe_lakehouse.models.columns import model_inputs
from paypipe_lakehouse.models.export import export_booster

SEED = 20260101
# Trained in seconds on 2 cores. Chosen on a held-out world (seed 999, never a training seed): fraud needs
# deep trees (its signal is in combinations: a new merchant at night above the owner's largest payment);
# churn has a few thousand rows, so small trees, which overfit less.
SHARED = {
    'objective': 'binary',
    'feature_fraction': 0.8,
    'bagging_fraction': 0.8,
    'bagging_freq': 1,
    'lambda_l2': 1.0,
    'seed': SEED,
    'deterministic': True,
    'force_row_wise': True,
    'num_threads': 2,
    'verbose': -1,
}
PARAMS = {
    'fraud': {**SHARED, 'learning_rate': 0.03, 'num_leaves': 63, 'min_data_in_leaf': 20},
    'churn': {**SHARED, 'learning_rate': 0.03, 'num_leaves': 7, 'min_data_in_leaf': 50},
    'retry': {**SHARED, 'learning_rate': 0.05, 'num_leaves': 31, 'min_data_in_leaf': 40},
}
ROUNDS = {'fraud': 400, 'churn': 300, 'retry': 300}


# Churn also learns from each world's earlier cutoffs (`churn_earlier.csv`): one row per customer and cutoff.
EXTRA_TABLES = {'churn': ['churn_earlier']}


def read_tables(tables: Path, name: str) -> pa.Table:
    frames = [csv.read_csv(path) for path in sorted(tables.glob(f'*/{name}.csv'))]
    if not frames:
        raise SystemExit(f'no {name}.csv under {tables}')
    for extra in EXTRA_TABLES.get(name, []):
        frames += [csv.read_csv(path) for path in sorted(tables.glob(f'*/{extra}.csv'))]
    return pa.concat_tables(frames, promote_options='permissive')


def train(name: str, table: pa.Table) -> tuple[lgb.Booster, list[str], np.ndarray]:
    names, inputs = model_inputs(name, table)
    labels = table.column('label').to_numpy().astype(np.float64)
    data = lgb.Dataset(inputs, label=labels, feature_name=names, free_raw_data=False)
    return lgb.train(PARAMS[name], data, num_boost_round=ROUNDS[name]), names, inputs


def version(name: str, model: dict) -> str:
    digest = hashlib.sha256(json.dumps(model, sort_keys=True).encode()).hexdigest()[:10]
    return f'{name}-lgbm-{digest}'


def main(tables: Path, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    parity = {}
    for name in ('fraud', 'churn', 'retry'):
        booster, names, inputs = train(name, read_tables(tables, name))
        model = export_booster(booster, name, '', names)
        model['version'] = version(name, model)
        (out / f'{name}.json').write_text(json.dumps(model, separators=(',', ':')) + '\n')
        picked = np.random.default_rng(SEED).choice(len(inputs), size=min(60, len(inputs)), replace=False)
        sample = inputs[np.sort(picked)]
        parity[name] = {'rows': sample.tolist(), 'scores': booster.predict(sample).tolist()}
        print(f'{name}: {len(inputs)} rows, {len(names)} inputs, version {model["version"]}')
    (out / 'parity.json').write_text(json.dumps(parity, separators=(',', ':')) + '\n')


if __name__ == '__main__':
    if len(sys.argv) != 3:
        raise SystemExit('usage: python -m paypipe_lakehouse.models.train TABLES_DIR OUT_DIR')
    main(Path(sys.argv[1]), Path(sys.argv[2]))
