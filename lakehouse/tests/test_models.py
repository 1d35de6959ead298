"""The model exporter: the exported JSON, walked as paypipe's TypeScript evaluator walks it, gives LightGBM's
own predictions, and the input columns leave identifiers, labels and truth out."""

import math

import lightgbm as lgb
import numpy as np
import pyarrow as pa

from paypipe_lakehouse.models.columns import model_inputs
from paypipe_lakehouse.models.export import export_booster


def walk(model: dict, row: list[float]) -> float:
    raw = 0.0
    for tree in model['trees']:
        if not tree['nodes']:
            raw += tree['leaves'][0]
            continue
        index = 0
        while index >= 0:
            feature, threshold, left, right, default_left, missing, _ = tree['nodes'][index]
            value = row[feature]
            if missing != 'nan' and math.isnan(value):
                value = 0.0
            if (missing == 'zero' and abs(value) <= 1e-35) or (missing == 'nan' and math.isnan(value)):
                index = left if default_left else right
            else:
                index = left if value <= threshold else right
        raw += tree['leaves'][-1 - index]
    return 1 / (1 + math.exp(-raw))


def test_exported_trees_predict_as_lightgbm():
    rng = np.random.default_rng(1)
    inputs = rng.normal(size=(600, 3))
    inputs[rng.random(600) < 0.1, 1] = np.nan
    labels = ((inputs[:, 0] + np.nan_to_num(inputs[:, 1]) * 0.5 + rng.normal(scale=0.5, size=600)) > 0).astype(float)
    params = {'objective': 'binary', 'num_leaves': 7, 'verbose': -1, 'seed': 1, 'deterministic': True}
    booster = lgb.train(params, lgb.Dataset(inputs, label=labels, feature_name=['a', 'b', 'c']), num_boost_round=20)
    model = export_booster(booster, 'test', 'test-1', ['a', 'b', 'c'])
    assert model['format'] == 'paypipe-trees-1'
    assert len(model['trees']) == 20
    expected = booster.predict(inputs)
    for row, score in zip(inputs.tolist(), expected, strict=True):
        assert abs(walk(model, row) - score) < 1e-9


def test_inputs_leave_out_identifiers_labels_and_truth_and_one_hot_the_failure_code():
    table = pa.table(
        {
            'event_id': ['e1', 'e2'],
            'failure_code': ['do_not_honor', 'insufficient_funds'],
            'amount': [1.5, 2.0],
            'retry_delay_hours': [1.0, 24.0],
            'label': [0, 1],
            'truth_retry_probability': [0.1, 0.9],
        }
    )
    names, inputs = model_inputs('retry', table)
    assert names == ['amount', 'retry_delay_hours', 'failure_code=do_not_honor', 'failure_code=insufficient_funds']
    assert inputs.tolist() == [[1.5, 1.0, 1.0, 0.0], [2.0, 24.0, 0.0, 1.0]]


def test_churn_trains_on_the_earlier_cutoffs_too(tmp_path):
    from paypipe_lakehouse.models.train import read_tables

    for world in ('seed-1', 'seed-2'):
        (tmp_path / world).mkdir()
        (tmp_path / world / 'churn.csv').write_text('amount,label,truth_churn_probability\n1.0,0,0.2\n')
        (tmp_path / world / 'churn_earlier.csv').write_text('amount,label,truth_churn_probability\n2.0,1,\n')
        (tmp_path / world / 'fraud.csv').write_text('amount,label\n3.0,0\n')
    churn = read_tables(tmp_path, 'churn')
    assert churn.num_rows == 4
    assert sorted(churn.column('label').to_pylist()) == [0, 0, 1, 1]
    assert read_tables(tmp_path, 'fraud').num_rows == 2
