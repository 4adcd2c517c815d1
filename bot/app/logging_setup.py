"""Logging that never writes the bot token: it is redacted from every formatted line, tracebacks included.

Lines are plain text, or one JSON object each with ``LOG_FORMAT=json`` (for log collectors).
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
from datetime import UTC, datetime
from typing import TextIO

from bot.app.config import LOG_LEVELS, LogFormat, SettingsError

_TOKEN = re.compile(r"\d{5,}:[A-Za-z0-9_-]{20,}")


def _redact(line: str) -> str:
    return _TOKEN.sub("<token>", line)


class RedactingFormatter(logging.Formatter):
    """Replaces anything shaped like a bot token (``123456:ABC...``) after formatting, so a token inside a
    message, its arguments or an exception's text is caught whoever logs it."""

    def format(self, record: logging.LogRecord) -> str:
        return _redact(super().format(record))


class JsonFormatter(logging.Formatter):
    """One JSON object a line: ``time`` (UTC, ISO 8601), ``level``, ``logger``, ``message`` and, when there
    is one, ``exception`` (the traceback as text). Redacted like the plain lines."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return _redact(json.dumps(entry, ensure_ascii=False))


class StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever ``sys.stderr`` is when a line is logged, not the stream it was when logging was
    set up (which a test's capture, or a redirect, may have closed since)."""

    def __init__(self) -> None:
        super().__init__()

    @property
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, _value: TextIO) -> None:
        """Ignored: the stream is always the current ``sys.stderr``."""


def _setting(name: str, problem: str) -> SettingsError:
    return SettingsError(f"invalid setting (check .env or the environment): {name}: {problem}")


def configure_logging(default_level: str = "INFO", log_format: str | None = None) -> None:
    """LOG_LEVEL wins; otherwise ``default_level`` (interactive commands pass WARNING to keep the screen clean).
    LOG_FORMAT (or ``log_format``) picks plain or JSON lines. An unknown value is a :class:`SettingsError`."""
    raw_level = os.environ.get("LOG_LEVEL") or default_level
    level = raw_level.strip().upper()
    if level not in LOG_LEVELS:
        raise _setting("LOG_LEVEL", f"unknown level {raw_level!r}; use DEBUG, INFO, WARNING or ERROR")
    raw_format = log_format or os.environ.get("LOG_FORMAT") or LogFormat.TEXT.value
    try:
        chosen = LogFormat(raw_format.strip().lower())
    except ValueError:
        raise _setting("LOG_FORMAT", f"unknown format {raw_format!r}; use text or json") from None
    handler = StderrHandler()
    if chosen is LogFormat.JSON:
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # httpx logs every request URL, and Bot API URLs contain the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
