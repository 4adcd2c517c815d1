"""Logging that stays private at every level: no token, no names, no message text, no secrets.

Our own modules log ids, counts and error types only. Libraries are another matter: at DEBUG,
python-telegram-bot logs every raw update and every request's parameters (the webhook secret among them),
aiosqlite every SQL statement with its parameters, httpx every URL (which contains the token). So, whatever
``LOG_LEVEL`` says:

- each such library's logger is capped (:data:`CAPS`) so its chatty levels are never even formatted;
- a filter on the handler drops any library record below INFO, shows a library record's arguments only
  when they are numbers (the template stays: "Error while parsing updates! Received data was <hidden>"),
  and turns a library's traceback into its error type on the same line;
- tracebacks (ours included) show error types and code locations, never the exception's message or the
  source lines, either of which may quote what a parent wrote;
- anything shaped like a bot token is replaced after formatting, as a last resort.

Lines are plain text, or one JSON object each with ``LOG_FORMAT=json`` (for log collectors).
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
import traceback
from datetime import UTC, datetime
from types import TracebackType
from typing import TextIO

from bot.app.config import LOG_LEVELS, LogFormat, SettingsError

_TOKEN = re.compile(r"\d{5,}:[A-Za-z0-9_-]{20,}")

OURS = ("bot", "db", "content", "migrations", "bench", "__main__")
# The most each library may log; their lower levels carry updates, parameters, URLs or SQL.
CAPS: dict[str, int] = {
    "telegram": logging.INFO,
    "httpx": logging.WARNING,
    "httpcore": logging.WARNING,
    "sqlalchemy": logging.WARNING,
    "aiosqlite": logging.WARNING,
    "asyncpg": logging.WARNING,
    "tornado": logging.WARNING,
    "apscheduler": logging.WARNING,
    "alembic.runtime.plugins": logging.WARNING,
}
# Libraries whose arguments are safe to show (schema revision ids).
_SAFE_ARGUMENTS = ("alembic",)


class _Hidden:
    """What a library's argument is shown as (also under ``%r``)."""

    def __repr__(self) -> str:
        return "<hidden>"

    __str__ = __repr__


HIDDEN = _Hidden()

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


def _ours(name: str) -> bool:
    return any(name == prefix or name.startswith(prefix + ".") for prefix in OURS)


def _cap(name: str) -> int:
    for prefix, level in CAPS.items():
        if name == prefix or name.startswith(prefix + "."):
            return level
    return logging.INFO


def describe(error: BaseException) -> str:
    """An error by type only, with the types of what caused it: ``OperationalError (from TimeoutError)``."""
    causes: list[str] = []
    seen = _cause(error)
    while seen is not None and len(causes) < 3:
        causes.append(type(seen).__name__)
        seen = _cause(seen)
    return type(error).__name__ + (f" (from {', '.join(causes)})" if causes else "")


def _cause(error: BaseException) -> BaseException | None:
    """What led to ``error``: its cause or context, or the driver's error a database error wraps."""
    orig = getattr(error, "orig", None)  # SQLAlchemy's DBAPIError
    return error.__cause__ or error.__context__ or (orig if isinstance(orig, BaseException) else None)


class PrivacyFilter(logging.Filter):
    """On the handler: library records lose their non-numeric arguments and their tracebacks."""

    def filter(self, record: logging.LogRecord) -> bool:
        if _ours(record.name):
            return True
        if record.levelno < _cap(record.name):
            return False
        if record.args and not record.name.startswith(_SAFE_ARGUMENTS):
            record.args = _shown(record.args)
        if record.exc_info and record.exc_info[1] is not None:
            record.msg = f"{record.msg} [{describe(record.exc_info[1])}]"
            record.exc_info, record.exc_text = None, None
        return True


def _shown(args: object) -> tuple[object, ...] | dict[str, object]:
    def one(value: object) -> object:
        return value if isinstance(value, int | float) else HIDDEN

    if isinstance(args, dict):
        return {key: one(value) for key, value in args.items()}
    if isinstance(args, tuple):
        return tuple(one(value) for value in args)
    return (one(args),)


def _redact(line: str) -> str:
    return _TOKEN.sub("<token>", line)


def _private_exception(ei: ExcInfo | tuple[None, None, None]) -> str:
    """A traceback as error types and code locations: no message, no source lines."""
    _, error, tb = ei
    if error is None:
        return ""
    lines = [f"{describe(error)} at:"]
    lines += [f"  {f.filename}:{f.lineno} in {f.name}" for f in traceback.extract_tb(tb)]
    return "\n".join(lines)


class RedactingFormatter(logging.Formatter):
    """Tracebacks as error types and code locations; anything shaped like a bot token (``123456:ABC...``)
    replaced after formatting, so a token in a message, its arguments or an error is caught whoever logs it."""

    def formatException(self, ei: ExcInfo | tuple[None, None, None]) -> str:
        return _private_exception(ei)

    def formatStack(self, stack_info: str) -> str:
        return "(stack left out)"

    def format(self, record: logging.LogRecord) -> str:
        return _redact(super().format(record))


class JsonFormatter(RedactingFormatter):
    """One JSON object a line: ``time`` (UTC, ISO 8601), ``level``, ``logger``, ``message`` and, when there
    is one, ``exception`` (error types and code locations). Redacted like the plain lines."""

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


def configure_logging(
    default_level: str = "INFO", log_format: str | None = None, stream: TextIO | None = None
) -> None:
    """LOG_LEVEL wins; otherwise ``default_level`` (interactive commands pass WARNING to keep the screen clean).
    LOG_FORMAT (or ``log_format``) picks plain or JSON lines. An unknown value is a :class:`SettingsError`.
    Lines go to ``stream``, or to whatever ``sys.stderr`` is at the time."""
    raw_level = os.environ.get("LOG_LEVEL") or default_level
    name = raw_level.strip().upper()
    if name not in LOG_LEVELS:
        raise _setting("LOG_LEVEL", f"unknown level {raw_level!r}; use DEBUG, INFO, WARNING or ERROR")
    level = logging.getLevelNamesMapping()[name]
    raw_format = log_format or os.environ.get("LOG_FORMAT") or LogFormat.TEXT.value
    try:
        chosen = LogFormat(raw_format.strip().lower())
    except ValueError:
        raise _setting("LOG_FORMAT", f"unknown format {raw_format!r}; use text or json") from None
    handler: logging.Handler = StderrHandler() if stream is None else logging.StreamHandler(stream)
    if chosen is LogFormat.JSON:
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(PrivacyFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for logger, cap in CAPS.items():
        logging.getLogger(logger).setLevel(max(level, cap))
