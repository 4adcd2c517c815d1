"""`securebase chat`: the same conversation in a terminal, with lettered buttons, fed from stdin."""

import argparse
import io
import json
import sys

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.cli import main
from bot.cli.chat import TerminalChat, run_chat
from bot.core.text import plain
from tests.bot.support import NOW


async def chat(sessions: async_sessionmaker[AsyncSession], lines: list[str], chat_id: int = 1) -> str:
    out = io.StringIO()
    await TerminalChat(sessions, chat_id, NOW.date(), out).run(io.StringIO("\n".join(lines) + "\n"))
    return out.getvalue()


async def test_onboarding_in_the_terminal_with_lettered_buttons(sessions, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "securebase-my-data.json").write_text("an older file, readable by all")
    (tmp_path / "securebase-my-data.json").chmod(0o644)
    output = await chat(
        sessions, ["/start", "Mia", "15 March 2026", "b", "London", "a", "/tip", "/mydata", "/quit"]
    )
    assert "bot> Hello! I'm Secure Base" in output
    assert "bot> Was Mia born early, before the due date?" in output
    assert "     [a] Yes, born early   [b] No" in output
    assert "bot> Time zone set: London time, now 12:" in output  # the terminal clock is at noon
    assert (
        "bot> All set! Here's a first idea to try with Mia now.\n     Tips come on Sundays at 09:00 (London "
        "time). The next one comes on Sunday 6 December" in output
    )
    assert "[a] 🌱 What's typical now" in output
    assert "[a] 👍 Helpful   [b] 🙅 Not for us" in output  # the tip, through the real dispatcher
    assert "<b>" not in output
    exported = json.loads((tmp_path / "securebase-my-data.json").read_text())
    assert exported["parent"]["chat_id"] == 1
    assert (tmp_path / "securebase-my-data.json").stat().st_mode & 0o777 == 0o600


async def test_the_terminal_continues_where_the_last_session_stopped(sessions):
    await chat(sessions, ["/start", "Mia"])
    output = await chat(sessions, ["1 April 2026"])
    assert "bot> Was Mia born early" in output


def test_run_chat_on_a_fresh_database_and_a_bad_date(tmp_path, monkeypatch, capsys):
    url = f"sqlite:///{tmp_path / 'chat.db'}"
    monkeypatch.setattr(sys, "stdin", io.StringIO("/start\nMia\n"))
    args = argparse.Namespace(database_url=url, chat_id=7, today="2026-11-29")
    assert run_chat(args) == 0
    assert "bot> When was Mia born?" in capsys.readouterr().out
    assert run_chat(argparse.Namespace(database_url=url, chat_id=7, today="29/11")) == 2
    assert "--today must be a date like 2026-03-15" in capsys.readouterr().err


@pytest.mark.parametrize(("html", "text"), [("<b>Mia</b> &amp; <i>Leo</i> &lt;3", "Mia & Leo <3")])
def test_plain(html, text):
    assert plain(html) == text


async def test_two_terminal_parents_share_a_child_by_invite(sessions):
    first = await chat(
        sessions, ["/start", "Mia", "15 March 2026", "b", "London", "a", "/children", "a", "c"]
    )
    code = first.split("The other caregiver sends me:\n     /start ", 1)[1].split()[0]
    second = await chat(sessions, [f"/start {code}", "Berlin", "a"], chat_id=2)
    assert "bot to chat 1> A new caregiver joined for Mia." in second
    assert "bot> Welcome! You now share Mia" in second
    assert "bot> All set! Here's a first idea to try with Mia now." in second
    assert "Tips come on Sundays at 09:00 (Berlin time)." in second


async def test_typed_numbers_are_answers_and_letters_press_buttons(sessions):
    """At the time question "3" is an hour (it once pressed button 3); "C" presses button c."""
    typed = await chat(sessions, ["/start", "Mia", "15 March 2026", "n", "London", "g", "3", "b"])
    assert "[a] Sunday 09:00 is fine" in typed
    assert "[g] Sat" in typed
    assert "bot> Do you mean 03:00 or 15:00?\n     [a] 03:00   [b] 15:00" in typed
    assert "Tips come on Saturdays at 15:00 (London time)." in typed
    pressed = await chat(sessions, ["/settings", "B", "C"], chat_id=1)
    assert "[a] 07:00   [b] 09:00   [c] 12:00" in pressed
    assert "bot> Done. Tips come on Saturdays at 12:00" in pressed
    stale = await chat(sessions, ["/settings", "hello", "b"], chat_id=1)
    assert "bot> Done." not in stale  # buttons last only until the next thing you type


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("postgresql://postgres:hunter2@127.0.0.1:9/nope", "cannot use the database at"),
        ("nosuchdb://x", "nosuchdb databases are not supported"),
    ],
)
def test_chat_on_a_database_it_cannot_use_is_one_line(url, problem, monkeypatch, tmp_path, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "stdin", io.StringIO("/start\n"))
    assert main(["chat", "--database-url", url]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"--database-url: {problem}")
    assert len(err.strip().splitlines()) == 1
    assert "hunter2" not in err


async def test_ways_out_and_a_question_on_the_way_in_the_terminal(sessions):
    output = await chat(
        sessions,
        ["/start", "what's normal at 10 months?", "Mia", "15 March 2026", "a", "a", "/pause", "b"],
    )
    assert "bot> Now, back to where we were:\n     What's your child's name?" in output
    assert "     [a] Skip: no due date" in output
    assert "bot> Thank you! Mia is all set." in output
    assert "bot> Tips are paused until Sunday 13 December, then they come back by themselves." in output


async def test_mydata_never_writes_through_a_link(sessions, tmp_path, monkeypatch):
    """A symlink where the export would go (planted by someone else) is refused, and its target untouched."""
    monkeypatch.chdir(tmp_path)
    target = tmp_path / "elsewhere.txt"
    target.write_text("someone else's file")
    (tmp_path / "securebase-my-data.json").symlink_to(target)
    output = await chat(sessions, ["/start", "Mia", "15 March 2026", "b", "London", "a", "/mydata", "/quit"])
    assert "(not saved: " in output
    assert target.read_text() == "someone else's file"
    assert (tmp_path / "securebase-my-data.json").is_symlink()
