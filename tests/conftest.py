"""Shared fixtures live in plugin modules, one per area, so each can grow without touching the others."""

import logging
import os
from collections.abc import Iterator

import pytest

from bot.app.logging_setup import CAPS

os.environ.setdefault("PTB_TIMEDELTA", "1")

pytest_plugins: list[str] = ["tests.fixtures_db"]


@pytest.fixture(autouse=True)
def _root_logger_as_it_was() -> Iterator[None]:
    """A test that runs the command line configures the root logger (and caps the libraries' loggers); the
    next test starts without that."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    libraries = {name: logging.getLogger(name).level for name in CAPS}
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
    for name, old in libraries.items():
        logging.getLogger(name).setLevel(old)
