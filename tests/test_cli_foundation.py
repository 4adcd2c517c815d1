"""The command line's own behaviour: no traceback without a token, settings parsing, token redaction."""

import io
import logging
import sys

import pytest

from bot.app.config import Settings
from bot.app.logging_setup import RedactingFormatter, configure_logging
from bot.cli import main
from tests.fake_telegram import TOKEN


def test_run_without_token_explains_how_to_get_one(monkeypatch, tmp_path, capsys):
    monkeypatch.chdir(tmp_path)  # no .env here
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    assert main(["run"]) == 2
    err = capsys.readouterr().err
    assert "@BotFather" in err
    assert "TELEGRAM_BOT_TOKEN" in err
    assert "Traceback" not in err


def test_settings_read_env_and_dotenv(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text(
        "DATABASE_URL=sqlite:///x.db\nADMIN_CHAT_IDS=1, 2\nTELEGRAM_API_BASE_URL=\n"
    )
    monkeypatch.setenv("DEFAULT_TIME_ZONE", "Europe/Berlin")
    settings = Settings()
    assert settings.database_url == "sqlite:///x.db"
    assert settings.admin_chat_ids == [1, 2]
    assert settings.telegram_api_base_url is None
    assert settings.default_time_zone == "Europe/Berlin"


def test_unknown_time_zone_is_refused(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DEFAULT_TIME_ZONE", "Mars/Olympus")
    with pytest.raises(ValueError, match="unknown time zone 'Mars/Olympus'"):
        Settings()


def test_token_is_redacted_from_messages_and_tracebacks():
    formatter = RedactingFormatter("%(message)s")
    record = logging.LogRecord(
        "httpx", logging.INFO, __file__, 1, "POST https://api/bot%s/getMe", (TOKEN,), None
    )
    assert formatter.format(record) == "POST https://api/bot<token>/getMe"
    try:
        raise RuntimeError(f"request to /bot{TOKEN}/sendMessage failed")
    except RuntimeError:
        failed = logging.LogRecord("x", logging.ERROR, __file__, 1, "send failed", (), sys.exc_info())
    line = formatter.format(failed)
    assert "RuntimeError at:" in line  # the type and where: an error's message may quote anything
    assert "sendMessage failed" not in line
    assert TOKEN not in line


def test_invalid_setting_is_a_message_not_a_traceback(monkeypatch, tmp_path, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DISPATCH_INTERVAL_SECONDS", "often")
    assert main(["run"]) == 2
    err = capsys.readouterr().err
    assert "DISPATCH_INTERVAL_SECONDS" in err
    assert "Traceback" not in err


def test_log_lines_go_to_stderr_as_it_is_now(monkeypatch):
    """The handler follows sys.stderr: a stream replaced after set-up (and perhaps closed) is not used."""
    configure_logging("INFO")
    later = io.StringIO()
    monkeypatch.setattr(sys, "stderr", later)
    logging.getLogger("bot.test").warning("token %s", TOKEN)  # one of ours: arguments shown, token not
    assert later.getvalue().endswith("bot.test: token <token>\n")
