"""Shared fixtures live in plugin modules, one per area, so each can grow without touching the others."""

import logging
import os
from collections.abc import Iterator

import pytest

os.environ.setdefault("PTB_TIMEDELTA", "1")

pytest_plugins: list[str] = ["tests.fixtures_db"]


@pytest.fixture(autouse=True)
def _root_logger_as_it_was() -> Iterator[None]:
    """A test that runs the command line configures the root logger; the next test starts without that."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
