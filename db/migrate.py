"""Alembic, driven from code: the bot upgrades to head on start and ``securebase db upgrade`` does it on demand.

The Alembic config is built here rather than read from ``alembic.ini`` so that migrations run from any working
directory and from an installed package; ``alembic.ini`` at the repository root is only for developers who
generate new revisions with the ``alembic`` command.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

import migrations
from db.engine import create_engine

# ``__path__`` rather than ``__file__``: it also works when the package is installed as a namespace package.
SCRIPT_LOCATION = Path(next(iter(migrations.__path__))).resolve()


def alembic_config(connection: Connection | None = None) -> Config:
    """A config pointing at the packaged migrations; ``connection`` is used by ``migrations/env.py``."""
    config = Config()
    config.set_main_option("script_location", str(SCRIPT_LOCATION))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def _upgrade(connection: Connection) -> None:
    command.upgrade(alembic_config(connection), "head")


async def upgrade_to_head_async(engine: AsyncEngine) -> None:
    """Bring the database behind ``engine`` to the latest schema (a no-op when it is already there)."""
    async with engine.begin() as connection:
        await connection.run_sync(_upgrade)


async def _upgrade_url(url: str) -> None:
    engine = create_engine(url)
    try:
        await upgrade_to_head_async(engine)
    finally:
        await engine.dispose()


def upgrade_to_head(url: str) -> None:
    """Synchronous entry point for the command line (must not be called from a running event loop)."""
    asyncio.run(_upgrade_url(url))
