"""Shared fixtures live in plugin modules, one per area, so each can grow without touching the others."""

import os

os.environ.setdefault("PTB_TIMEDELTA", "1")

pytest_plugins: list[str] = ["tests.fixtures_db"]
