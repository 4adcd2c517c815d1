"""Shared fixtures live in plugin modules, one per area, so each can grow without touching the others."""

import logging
import os
from collections.abc import Iterator

import pytest

os.environ.setdefault("PTB_TIMEDELTA", "1")

pytest_plugins: list[str] = ["tests.fixtures_db"]


@pytest.fixture(autouse=True)
def _root_logging_restored() -> Iterator[None]:
    """A test that runs the command line configures logging for the whole process; put it back afterwards,
    so what later tests log (or find on stderr) does not depend on which tests ran before."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
