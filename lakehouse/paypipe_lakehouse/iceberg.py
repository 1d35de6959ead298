"""The Iceberg side: the catalog from `PYICEBERG_CATALOG__DEFAULT__*`, table creation and schema evolution."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Mapping

import pyarrow as pa
from pyiceberg.catalog import Catalog, load_catalog
from pyiceberg.exceptions import NamespaceAlreadyExistsError, NoSuchTableError
from pyiceberg.table import Table
from pyiceberg.transforms import DayTransform

from .settings import CATALOG_NAME, NAMESPACE
from .tables import TableSpec

WATERMARK_PROPERTY = 'paypipe.ingested-seq'

TABLE_PROPERTIES = {
    # Every commit writes a new metadata file; PyIceberg deletes those that fall off the table's metadata log.
    'write.metadata.delete-after-commit.enabled': 'true',
    'write.metadata.previous-versions-max': '100',
    # PyIceberg's default fast append adds a manifest per commit and every later commit, upsert and read walks
    # them all; merging appends (honoured by 0.12 on every append, an upsert's included) folds them into one
    # once ten pile up, so the current snapshot lists at most about ten whatever the number of copies.
    'commit.manifest-merge.enabled': 'true',
    'commit.manifest.min-count-to-merge': '10',
}


def open_catalog(env: Mapping[str, str] = os.environ) -> Catalog:
    """Loads the catalog from the environment as it is now.

    PyIceberg snapshots its environment at import time, so the properties are read here and passed
    explicitly: tests and tools may point the catalog elsewhere after the import.
    """
    prefix = f'PYICEBERG_CATALOG__{CATALOG_NAME.upper()}__'
    properties = {
        name.removeprefix(prefix).lower().replace('__', '.').replace('_', '-'): value
        for name, value in env.items()
        if name.startswith(prefix)
    }
    return load_catalog(CATALOG_NAME, **properties)


def ensure_table(catalog: Catalog, spec: TableSpec, schema: pa.Schema) -> Table:
    """Opens `data.<name>`, creating it (partitioned by day) from the first batch's schema if needed."""
    identifier = (NAMESPACE, spec.name)
    try:
        table = catalog.load_table(identifier)
    except NoSuchTableError:
        pass
    else:
        # Tables created before these properties existed get them once.
        if any(table.properties.get(name) != value for name, value in TABLE_PROPERTIES.items()):
            with table.transaction() as transaction:
                transaction.set_properties(TABLE_PROPERTIES)
        return table
    with contextlib.suppress(NamespaceAlreadyExistsError):
        catalog.create_namespace(NAMESPACE)
    # One commit creates the table with its partition spec: a crash cannot leave an unpartitioned table.
    with (
        catalog.create_table_transaction(identifier, schema=schema, properties=TABLE_PROPERTIES) as transaction,
        transaction.update_spec() as update,
    ):
        update.add_field(spec.partition_column, DayTransform(), f'{spec.partition_column}_day')
    return catalog.load_table(identifier)


def evolve(table: Table, schema: pa.Schema) -> Table:
    """Adds the store's new columns to the Iceberg schema; existing columns are left as they are."""
    known = {field.name for field in table.schema().fields}
    added = [field for field in schema if field.name not in known]
    if added:
        with table.update_schema() as update:
            update.union_by_name(pa.schema(added))
    return table


def watermark(table: Table) -> int:
    """The last store sequence committed to this table; written in the same commit as the rows."""
    try:
        return int(table.properties.get(WATERMARK_PROPERTY, '0'))
    except ValueError:
        return 0
