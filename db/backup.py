"""A consistent copy of an SQLite database, taken while the bot runs (``securebase db backup PATH``).

SQLite's online backup API copies the pages under one read transaction: in WAL mode the bot keeps writing
meanwhile, and the copy is the database as it was at one moment. The copy is written beside the target
(under a new, unguessable name, so no planted link is followed) and renamed into place, so a failed backup never leaves a half-written file under the target's name; it is
readable by its owner only (it holds families' data) and stands alone (no ``-wal`` file to carry along).
PostgreSQL has its own tool for this, ``pg_dump`` (see :func:`postgres_advice`).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import URL, make_url


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size_bytes: int
    revision: str | None


def backup_sqlite(source: Path, target: Path, *, overwrite: bool = False) -> BackupResult:
    """Copy the database at ``source`` to ``target`` and check the copy's integrity.

    Raises :class:`FileNotFoundError` when there is no database at ``source``, :class:`FileExistsError`
    when ``target`` exists (unless ``overwrite``), and :class:`sqlite3.DatabaseError` when the source is no
    database or the copy fails its integrity check."""
    if not source.is_file():
        raise FileNotFoundError(2, "no database file", str(source))
    if target.exists() and not overwrite:
        raise FileExistsError(17, "the backup file exists already", str(target))
    # A new file under a name nobody can guess (created exclusively, owner only): a link planted in the folder
    # under a fixed name would otherwise be followed, and its target overwritten with the copy.
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent)
    os.close(fd)
    partial = Path(name)
    try:
        source_uri = f"{source.resolve().as_uri()}?mode=ro"
        with (
            contextlib.closing(sqlite3.connect(source_uri, uri=True)) as src,
            contextlib.closing(sqlite3.connect(partial)) as copy,
        ):
            src.backup(copy)
            copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
            (verdict,) = copy.execute("PRAGMA integrity_check").fetchone()
            if verdict != "ok":
                raise sqlite3.DatabaseError(f"the copy failed its integrity check: {verdict}")
            revision = _revision(copy)
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return BackupResult(target, target.stat().st_size, revision)


def _revision(connection: sqlite3.Connection) -> str | None:
    try:
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.OperationalError:  # no version table: a database never migrated
        return None
    return str(row[0]) if row else None


def postgres_advice(url: str, target: str) -> str:
    """How to back up (and restore) a PostgreSQL database: pg_dump takes a consistent snapshot while the bot
    runs. The password is left out of the printed URL (pg_dump reads PGPASSWORD or ~/.pgpass)."""
    parsed = make_url(url)
    shown = URL.create(
        "postgresql", parsed.username, None, parsed.host, parsed.port, parsed.database, parsed.query
    ).render_as_string(hide_password=False)
    return (
        "PostgreSQL databases are backed up with pg_dump, which takes a consistent snapshot while the bot "
        f'runs:\n  pg_dump --format=custom --file {target} "{shown}"\n'
        f'Restore into an empty database with:\n  pg_restore --no-owner --dbname "{shown}" {target}'
    )
