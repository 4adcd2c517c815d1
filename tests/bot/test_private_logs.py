"""Private at every log level: a whole session at DEBUG, with failures, leaves no name, no message text, no
token and no webhook secret in the log, even with the libraries' own loggers turned up to DEBUG."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app.logging_setup import CAPS, PrivacyFilter, RedactingFormatter, configure_logging
from tests.bot.support import Harness, onboard
from tests.fake_telegram import TOKEN
from tests.fake_telegram import Parent as TgParent

PARENT = "Zebulonia"
CHILD = "Quillifer"
QUESTION = "my toddler keeps biting her cousin Marmaduke"
SECRET = "webhook-secret-Xq7vB2"
PRIVATE = [PARENT, CHILD, "Marmaduke", "biting her cousin", SECRET, TOKEN, TOKEN.split(":")[1]]


@pytest.fixture
def debug_log(monkeypatch: pytest.MonkeyPatch) -> Iterator[io.StringIO]:
    """The process's logging as ``securebase run`` sets it up with LOG_LEVEL=DEBUG, into a string."""
    root = logging.getLogger()
    names = [*CAPS, "aiosqlite", "telegram.ext", "sqlalchemy.engine"]
    saved = root.handlers[:], root.level, {name: logging.getLogger(name).level for name in names}
    monkeypatch.setenv("LOG_LEVEL", "DEBUG")
    stream = io.StringIO()
    configure_logging("INFO", stream=stream)
    # Someone (a library, a debugging session) turns the chatty loggers up after start-up: still nothing.
    for name in ("aiosqlite", "telegram", "telegram.ext", "sqlalchemy.engine"):
        logging.getLogger(name).setLevel(logging.DEBUG)
    try:
        yield stream
    finally:
        root.handlers[:], level, levels = saved
        root.setLevel(level)
        for name, old in levels.items():
            logging.getLogger(name).setLevel(old)


async def test_a_debug_session_logs_no_names_text_or_secrets(
    debug_log: io.StringIO, sessions: async_sessionmaker[AsyncSession]
) -> None:
    async with Harness(sessions) as bot:
        parent = TgParent(901, first_name=PARENT)
        await onboard(bot, parent, name=CHILD)
        await bot.say(parent, QUESTION)
        await bot.say(parent, "/tip")
        bot.api.fail(400, f"Bad Request: can't parse entities in {QUESTION}")  # a failure quoting the text
        await bot.say(parent, f"is it normal that {CHILD} bites? {QUESTION}")
        await bot.app.bot.set_webhook("https://bot.example.org/hook", secret_token=SECRET)
        bot.api.fail(502, "Bad Gateway")  # a reply naming the child lost, then sent with the next message
        await bot.say(parent, "/children")
        await bot.feed(parent.message(None, voice={"file_id": "v", "file_unique_id": "v", "duration": 2}))
        await bot.feed(parent.blocks_bot())
        await bot.feed(parent.blocks_bot(False))
        await bot.say(parent, "/deletedata")
        await bot.tap(parent, "Yes, erase everything")
    log = debug_log.getvalue()
    assert "update " in log  # the failure was logged (by type), so the log was really captured
    assert "BadRequest" in log
    assert "kept for their next message" in log  # our own lines about the session were captured too
    assert "an earlier delivery could not send" in log
    for private in PRIVATE:
        assert private not in log


def test_library_records_keep_numbers_and_lose_everything_else() -> None:
    record = logging.LogRecord(
        "telegram.Bot", logging.CRITICAL, __file__, 1, "Received data was %r (%d updates)", (
            [{"message": {"text": QUESTION, "from": {"first_name": PARENT}}}], 3), None
    )  # fmt: skip
    assert PrivacyFilter().filter(record)
    assert record.getMessage() == "Received data was <hidden> (3 updates)"
    debug = logging.LogRecord("aiosqlite", logging.DEBUG, __file__, 1, "executing %s", (CHILD,), None)
    assert not PrivacyFilter().filter(debug)


def test_a_library_traceback_becomes_its_error_type_on_one_line() -> None:
    try:
        raise TypeError(f"bad update from {PARENT}")
    except TypeError as exc:
        record = logging.LogRecord(
            "telegram.ext.Updater", logging.ERROR, __file__, 1, "polling failed", (), (TypeError, exc, None)
        )
    assert PrivacyFilter().filter(record)
    line = RedactingFormatter("%(message)s").format(record)
    assert line == "polling failed [TypeError]"


def test_our_tracebacks_show_types_and_places_never_messages() -> None:
    try:
        try:
            raise KeyError(CHILD)
        except KeyError as inner:
            raise ValueError(f"no child called {CHILD}") from inner
    except ValueError as exc:
        record = logging.LogRecord(
            "bot.test", logging.ERROR, __file__, 1, "failed", (), (ValueError, exc, exc.__traceback__)
        )
    text = RedactingFormatter("%(message)s").format(record)
    assert text.startswith("failed\nValueError (from KeyError) at:\n")
    assert "test_private_logs.py" in text
    assert CHILD not in text
