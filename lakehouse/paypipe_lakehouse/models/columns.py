"""Which table columns each model reads. Identifiers, labels and `truth_*` columns never are inputs.

The failure code becomes one column per code seen in training (`failure_code=<code>`), so the TypeScript
evaluator needs no categorical splits: it sets the column of the event's code to 1.
"""

import numpy as np
import pyarrow as pa

NOT_INPUTS = {
    'event_id',
    'payment_ref',
    'customer_ref',
    'provider',
    'timestamp',
    'label',
    'label_at',
    'cutoff',
    'retry_candidate',
    'amount_minor',
    'currency',
    'failure_code',
}


def model_inputs(name: str, table: pa.Table) -> tuple[list[str], np.ndarray]:
    """The input column names of model `name`, and the inputs as a float64 matrix in that order."""
    names = [c for c in table.column_names if c not in NOT_INPUTS and not c.startswith('truth_')]
    columns = [table.column(c).to_numpy().astype(np.float64) for c in names]
    if name == 'retry':
        codes = np.array(table.column('failure_code').to_pylist(), dtype=object)
        for code in sorted(set(codes.tolist())):
            names.append(f'failure_code={code}')
            columns.append((codes == code).astype(np.float64))
    return names, np.column_stack(columns)
