"""Which database a command uses, checked before it connects, and the ``db`` commands (upgrade, backup).

Every command that touches the database takes ``--database-url``; without it, DATABASE_URL (or its
default) is used. A problem is one line naming whichever of the two was used, and exit status 2.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
from dataclasses import dataclass
from pathlib import Path

from bot.app.config import load_settings
from db.backup import backup_sqlite, postgres_advice
from db.engine import sqlite_file
from db.migrate import upgrade_to_head
from db.problems import DATABASE_FAILURES, DatabaseProblem, checked_url, explain


@dataclass(frozen=True)
class Database:
    url: str
    #: The option or setting the URL came from, as the operator would write it.
    setting: str

    def problem(self, exc: BaseException) -> DatabaseProblem:
        return explain(exc, self.url, self.setting)


def chosen_database(args: argparse.Namespace) -> Database:
    """``--database-url`` if given, else DATABASE_URL; raises :class:`DatabaseProblem` for a URL that names
    an unsupported database or a driver that is not installed."""
    given = getattr(args, "database_url", None)
    database = (
        Database(given, "--database-url") if given else Database(load_settings().database_url, "DATABASE_URL")
    )
    checked_url(database.url, database.setting)
    return database


def add_database_option(parser: argparse.ArgumentParser, what: str = "database to use") -> None:
    parser.add_argument("--database-url", metavar="URL", help=f"{what} (default: DATABASE_URL)")


def _refuse(message: str) -> int:
    print(message, file=sys.stderr)
    return 2


def db_upgrade(args: argparse.Namespace) -> int:
    database = chosen_database(args)
    try:
        upgrade_to_head(database.url)
    except DATABASE_FAILURES as exc:
        raise database.problem(exc) from None
    print("database is at the latest schema")
    return 0


def db_backup(args: argparse.Namespace) -> int:
    database = chosen_database(args)
    target = Path(args.path)
    source = sqlite_file(database.url)
    if source is None:
        return _refuse(postgres_advice(database.url, str(target)))
    try:
        result = backup_sqlite(source, target, overwrite=args.force)
    except FileExistsError:
        return _refuse(f"{target} exists already; pick another name, or add --force to replace it")
    except FileNotFoundError as exc:
        if exc.filename == str(source):
            raise DatabaseProblem(f"{database.setting}: no database at {source}") from None
        return _refuse(f"cannot write {target}: its folder does not exist")
    except PermissionError as exc:
        return _refuse(f"cannot back up: permission denied ({exc.filename})")
    except sqlite3.DatabaseError as exc:
        raise DatabaseProblem(f"{database.setting}: cannot back up {source} ({exc})") from None
    revision = result.revision or "none"
    print(f"backed up {source} to {result.path} ({result.size_bytes:,} bytes, schema revision {revision})")
    return 0
