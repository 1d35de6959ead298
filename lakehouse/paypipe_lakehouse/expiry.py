"""Snapshot expiry, the deletion of the files only the expired snapshots reached, and of orphan files.

PyIceberg 0.12.0 (the newest release) expires a snapshot by dropping it from the table metadata alone: its
manifest list, manifests and data files stay on disk, and there is no orphan-file or expired-file cleanup
to call (`table.maintenance` offers `expire_snapshots` only). So the cleanup is written here, the way Iceberg's
Java `ExpireSnapshots` does it: after the commit, delete what the expired snapshots reach and no retained
snapshot does. That never touches an in-flight writer's files, which no committed snapshot names yet.

What it cannot reach, the files a write killed before its commit left and those an expiry killed before its
deletions had yet to delete, no snapshot names any more; `delete_orphan_files` scans a local table's folder
for them, as Java's `DeleteOrphanFiles` does, and deletes only those older than the retention.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from pyiceberg.io import FileIO
from pyiceberg.io.pyarrow import PyArrowFileIO
from pyiceberg.manifest import ManifestFile
from pyiceberg.table import Table
from pyiceberg.table.snapshots import Snapshot

logger = logging.getLogger(__name__)


def expire_snapshots(table: Table, older_than: datetime, log: logging.Logger = logger) -> None:
    """Drops the snapshots taken before `older_than` from the table's history, keeping every branch's head,
    then deletes the files that only they reached.

    Commits only when there is something to drop, so a quiet table gains no metadata version (PyIceberg's own
    `older_than` commits an empty removal too). Deletion comes after the commit: a failed commit raises and
    deletes nothing. A file that cannot be deleted is logged and left: it is garbage, not data.
    """
    heads = {ref.snapshot_id for ref in table.metadata.refs.values()}
    cutoff_ms = older_than.timestamp() * 1000
    expired = [s for s in table.snapshots() if s.timestamp_ms < cutoff_ms and s.snapshot_id not in heads]
    if not expired:
        return
    table.maintenance.expire_snapshots().by_ids([s.snapshot_id for s in expired]).commit()
    name = '.'.join(table.name())
    # The committed metadata, which may hold another writer's newer snapshots: they are retained too.
    retained = table.snapshots()
    retained_ids = {s.snapshot_id for s in retained}
    gone = [s for s in expired if s.snapshot_id not in retained_ids]
    try:
        garbage = _unreachable(table.io, gone, retained)
    except OSError:
        log.warning('%s: could not read the manifests, so the expired snapshots keep their files', name, exc_info=True)
        return
    deleted = sum(_delete(table.io, path, log) for path in sorted(garbage))
    log.info('%s: expired %d snapshots, deleted %d of their files', name, len(gone), deleted)


def delete_orphan_files(table: Table, older_than: datetime, log: logging.Logger = logger) -> bool:
    """Deletes the files in the table's folder, on the local file system, that were last modified before
    `older_than` and that nothing in the current metadata names: no retained snapshot's manifest list,
    manifests, data or delete files, no statistics file, neither the current `metadata.json` nor one in its log.

    Call it only where no writer can have uncommitted files older than `older_than`: a copy calls it under
    its copy lock, with the snapshot retention as the age, so another run's copy is not writing, and a
    compaction outside a copy would have to run longer than the retention. A table on object storage is left
    alone. A manifest that cannot be read leaves every file, a file that cannot be deleted is logged and left.
    True when every old file was looked at (each orphan deleted or logged), False when the manifests could not
    be read (or the table is not local).
    """
    scheme, _, folder = PyArrowFileIO.parse_location(table.location())
    if scheme != 'file':
        return False
    # Listed before the metadata is read, so a file another writer commits meanwhile is named by what is read.
    old = _modified_before(Path(folder), older_than.timestamp())
    if not old:
        return True
    name = '.'.join(table.name())
    try:
        named = _named(table.refresh())
    except OSError:
        log.warning('%s: could not read the manifests, so no orphan file is deleted', name, exc_info=True)
        return False
    orphans = [path for path in old if str(path) not in named]
    # Named as the metadata names files, so the file system is asked the same way as for the expiry's.
    deleted = sum(_delete(table.io, f'file://{path}', log) for path in orphans)
    if orphans:
        log.info('%s: deleted %d orphan files no snapshot names', name, deleted)
    return True


def _modified_before(folder: Path, cutoff: float) -> list[Path]:
    """The files under `folder` last modified before `cutoff` (seconds since the epoch)."""
    found = []
    for path in folder.rglob('*'):
        try:
            if path.is_file() and path.stat().st_mtime < cutoff:
                found.append(path)
        except FileNotFoundError:
            continue
    return sorted(found)


def _named(table: Table) -> set[str]:
    """The local paths of every file the table's metadata names."""
    metadata = table.metadata
    snapshots = table.snapshots()
    manifests = {m.manifest_path: m for s in snapshots for m in s.manifests(table.io)}
    named = {
        table.metadata_location,
        *(entry.metadata_file for entry in metadata.metadata_log),
        *(stats.statistics_path for stats in [*metadata.statistics, *metadata.partition_statistics]),
        *(s.manifest_list for s in snapshots),
        *manifests,
        *_files(table.io, manifests.values()),
    }
    return {PyArrowFileIO.parse_location(path)[2] for path in named}


def _unreachable(io: FileIO, expired: list[Snapshot], retained: list[Snapshot]) -> set[str]:
    """The manifest lists, manifests, data and delete files the expired snapshots name and no retained one does."""
    kept_manifests = {m.manifest_path: m for s in retained for m in s.manifests(io)}
    gone_manifests = {m.manifest_path: m for s in expired for m in s.manifests(io)}
    for path in kept_manifests:
        gone_manifests.pop(path, None)
    candidates = _files(io, gone_manifests.values())
    # Reading every retained manifest is the costly part; expiring appends alone frees no manifest and no file.
    if candidates:
        candidates -= _files(io, kept_manifests.values())
    return candidates | gone_manifests.keys() | {s.manifest_list for s in expired}


def _files(io: FileIO, manifests: Iterable[ManifestFile]) -> set[str]:
    """Every file the manifests name, deleted entries too: a file an expired snapshot removed may have been
    live only in snapshots expired earlier, and a file a retained manifest names stays while it does."""
    return {
        entry.data_file.file_path
        for manifest in manifests
        for entry in manifest.fetch_manifest_entry(io, discard_deleted=False)
    }


def _delete(io: FileIO, path: str, log: logging.Logger) -> bool:
    """Deletes one file; True if it was there. One that is already gone is not an error."""
    try:
        io.delete(path)
    except FileNotFoundError:
        return False
    except OSError:
        log.warning('could not delete %s, which no retained snapshot needs', path, exc_info=True)
        return False
    return True
