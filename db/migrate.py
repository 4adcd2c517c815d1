"""Alembic, driven from code: the bot upgrades to head on start and ``securebase db upgrade`` does it on demand.

The Alembic config is built here rather than read from ``alembic.ini`` so that migrations run from any working
directory and from an installed package; ``alembic.ini`` at the repository root is only for developers who
generate new revisions with the ``alembic`` command.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

import migrations
from db.engine import create_engine

# ``__path__`` rather than ``__file__``: it also works when the package is installed as a namespace package.
SCRIPT_LOCATION = Path(next(iter(migrations.__path__))).resolve()
# Any fixed number: the PostgreSQL advisory lock that lets one process migrate at a time.
MIGRATION_LOCK_KEY = 0x5EC0BA5E
VERSION_TABLE = "alembic_version"


def alembic_config(connection: Connection | None = None) -> Config:
    """A config pointing at the packaged migrations; ``connection`` is used by ``migrations/env.py``."""
    config = Config()
    config.set_main_option("script_location", str(SCRIPT_LOCATION))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def _upgrade(connection: Connection) -> None:
    command.upgrade(alembic_config(connection), "head")


async def _one_at_a_time(connection: AsyncConnection) -> None:
    """Hold a database-wide lock until the migration commits, so that processes starting together (two bots,
    the bot and a scheduled ``send-due``) take turns: the first migrates, the others then find it done."""
    if connection.dialect.name == "postgresql":
        await connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
    elif connection.dialect.name == "sqlite":
        # The driver would only begin at the first write, after Alembic has read the version table.
        await connection.exec_driver_sql("BEGIN IMMEDIATE")


async def upgrade_to_head_async(engine: AsyncEngine) -> None:
    """Bring the database behind ``engine`` to the latest schema (a no-op when it is already there), in one
    transaction on both backends."""
    async with engine.begin() as connection:
        await _one_at_a_time(connection)
        await connection.run_sync(_upgrade)


async def _upgrade_url(url: str) -> None:
    engine = create_engine(url, time_limits=False)
    try:
        await upgrade_to_head_async(engine)
    finally:
        await engine.dispose()


@dataclass(frozen=True)
class SchemaState:
    """Where a database's schema stands: its Alembic revision (None before the first migration) and the
    latest one this code knows."""

    current: str | None
    head: str

    @property
    def at_head(self) -> bool:
        return self.current == self.head

    def describe(self) -> str:
        if self.at_head:
            return f"schema at the latest revision ({self.head})"
        if self.current is None:
            return f"schema not created yet (latest is {self.head}): run `securebase db upgrade`"
        if self.current in _known_revisions():
            return f"schema behind ({self.current}, latest is {self.head}): run `securebase db upgrade`"
        return f"schema at {self.current}, which this version does not know (newer code wrote it?)"


def _known_revisions() -> set[str]:
    return {script.revision for script in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


async def schema_state(engine: AsyncEngine) -> SchemaState:
    """Read the schema's revision without changing anything (no version table is created)."""

    def current(connection: Connection) -> str | None:
        # Read directly: Alembic's MigrationContext would log about itself at INFO on every look.
        if not inspect(connection).has_table(VERSION_TABLE):
            return None
        revision = connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar()  # noqa: S608
        return None if revision is None else str(revision)

    async with engine.connect() as connection:
        revision = await connection.run_sync(current)
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return SchemaState(revision, head)


def upgrade_to_head(url: str) -> None:
    """Synchronous entry point for the command line (must not be called from a running event loop)."""
    asyncio.run(_upgrade_url(url))
