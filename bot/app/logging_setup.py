"""Logging that never writes the bot token: it is redacted from every formatted line, tracebacks included."""

from __future__ import annotations

import logging
import os
import re
import sys

_TOKEN = re.compile(r"\d{5,}:[A-Za-z0-9_-]{20,}")


class RedactingFormatter(logging.Formatter):
    """Replaces anything shaped like a bot token (``123456:ABC...``) after formatting, so a token inside a
    message, its arguments or an exception's text is caught whoever logs it."""

    def format(self, record: logging.LogRecord) -> str:
        return _TOKEN.sub("<token>", super().format(record))


class StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to ``sys.stderr`` as it is when a record comes, not as it was at set-up: a stream replaced
    since (tests capture it, a daemon redirects it) may be closed by then."""

    def __init__(self) -> None:
        logging.Handler.__init__(self)

    @property
    def stream(self) -> object:
        return sys.stderr


def configure_logging(default_level: str = "INFO") -> None:
    """LOG_LEVEL wins; otherwise ``default_level`` (interactive commands pass WARNING to keep the screen clean)."""
    level = (os.environ.get("LOG_LEVEL") or default_level).upper()
    handler = StderrHandler()
    handler.setFormatter(RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # httpx logs every request URL, and Bot API URLs contain the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
