"""LOG_FORMAT=json: one JSON object a line for log collectors, redacted like the plain lines."""

from __future__ import annotations

import json
import logging

import pytest

from bot.app.logging_setup import configure_logging
from tests.fake_telegram import TOKEN


def test_json_lines_carry_time_level_logger_message_and_no_token(monkeypatch, capsys):
    monkeypatch.delenv("LOG_LEVEL", raising=False)
    monkeypatch.setenv("LOG_FORMAT", "json")
    configure_logging("INFO")
    log = logging.getLogger("bot.example")
    log.info("pass done: %d sent", 3)
    try:
        raise RuntimeError(f"request to /bot{TOKEN}/getMe failed")
    except RuntimeError:
        log.exception("send failed")
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 2
    first, second = (json.loads(line) for line in lines)
    assert first["level"] == "INFO"
    assert first["logger"] == "bot.example"
    assert first["message"] == "pass done: 3 sent"
    assert first["time"].endswith("+00:00")
    assert second["level"] == "ERROR"
    assert second["exception"].startswith("RuntimeError at:")  # type and place: a message may quote anyone
    assert "getMe failed" not in second["exception"]
    assert TOKEN not in lines[1]


def test_plain_lines_stay_the_default(monkeypatch, capsys):
    monkeypatch.delenv("LOG_FORMAT", raising=False)
    monkeypatch.delenv("LOG_LEVEL", raising=False)
    configure_logging("INFO")
    logging.getLogger("bot.example").warning("careful")
    assert capsys.readouterr().err.rstrip().endswith(" WARNING bot.example: careful")


def test_an_unknown_format_names_the_setting(monkeypatch):
    monkeypatch.setenv("LOG_FORMAT", "xml")
    with pytest.raises(ValueError, match="LOG_FORMAT: unknown format 'xml'; use text or json"):
        configure_logging("INFO")
