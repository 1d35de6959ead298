"""LightGBM boosters as paypipe's tree-ensemble JSON (`paypipe-trees-1`), which src/inference/models reads.

Each tree is a flat list of split nodes; a child is a node index, or `-1 - leaf` for a leaf. A split sends
a value left when `value <= threshold`, or, for a missing value (NaN, or zero when `missing` is `zero`), to
the side `default_left` names. The score is the sigmoid of the sum of the leaves. Each split also keeps the
tree's value at that node (LightGBM's `internal_value`), so a score can be explained by the change in value
along its path (Saabas' contributions), feature by feature.
"""

from typing import Any

import lightgbm as lgb

FORMAT = 'paypipe-trees-1'


def _flatten(root: dict[str, Any]) -> dict[str, Any]:
    nodes: list[list[Any]] = []
    leaves: list[float] = []

    def visit(node: dict[str, Any]) -> int:
        if 'leaf_value' in node:
            leaves.append(float(node['leaf_value']))
            return -len(leaves)
        if node['decision_type'] != '<=':
            raise ValueError(f'unsupported decision type {node["decision_type"]}')
        index = len(nodes)
        nodes.append([])
        left = visit(node['left_child'])
        right = visit(node['right_child'])
        missing = {'None': 'none', 'NaN': 'nan', 'Zero': 'zero'}[node['missing_type']]
        nodes[index] = [
            node['split_feature'],
            float(node['threshold']),
            left,
            right,
            bool(node['default_left']),
            missing,
            float(node['internal_value']),
        ]
        return index

    visit(root)
    return {'nodes': nodes, 'leaves': leaves}


def export_booster(booster: lgb.Booster, name: str, version: str, features: list[str]) -> dict[str, Any]:
    """The booster as a JSON-ready dict; `features` are the input columns in order."""
    dump = booster.dump_model()
    if dump['feature_names'] != features:
        raise ValueError('booster features differ from the declared ones')
    return {
        'format': FORMAT,
        'name': name,
        'version': version,
        'objective': 'binary',
        'features': features,
        'trees': [_flatten(tree['tree_structure']) for tree in dump['tree_info']],
    }
