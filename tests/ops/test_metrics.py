"""Prometheus metrics after a scripted session through the fake Bot API: names, labels and values.

The figures are process-wide counters, so each test reads them before and after what it does and checks the
difference. The last test scrapes the real HTTP endpoint and checks every figure the Grafana dashboard
draws is there.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import urllib.request
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import metrics
from bot.conversation.texts import SOMETHING_WRONG
from tests.bot.support import Harness, onboard
from tests.dispatch.support import FakeSleep, make_dispatcher, make_family
from tests.fake_telegram import FakeBotAPI
from tests.fake_telegram import Parent as TgParent

DASHBOARD = Path(__file__).resolve().parents[2] / "deploy" / "grafana" / "dashboards" / "securebase.json"


@pytest.fixture
async def bot(sessions: async_sessionmaker[AsyncSession]) -> AsyncIterator[Harness]:
    async with Harness(sessions) as harness:
        yield harness


class Figures:
    """Sample values now, and the change since then."""

    def __init__(self) -> None:
        self.before = self._samples()

    @staticmethod
    def _samples() -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
        return {
            (sample.name, tuple(sorted(sample.labels.items()))): sample.value
            for family in REGISTRY.collect()
            if family.name.startswith("securebase_")
            for sample in family.samples
        }

    def change(self, name: str, **labels: str) -> float:
        key = (name, tuple(sorted(labels.items())))
        return self._samples().get(key, 0.0) - self.before.get(key, 0.0)

    def now(self, name: str, **labels: str) -> float:
        value = REGISTRY.get_sample_value(name, labels)
        assert value is not None, name
        return value


async def test_a_parents_session_is_counted(bot: Harness) -> None:
    figures = Figures()
    parent = TgParent(501)
    await onboard(bot, parent)  # /start, name, birthdate, a button, a city, a button
    await bot.say(parent, "is stranger anxiety normal?")
    await bot.say(parent, "when should we start solid food?")
    await bot.feed(
        parent.message(
            None,
            sticker={
                "file_id": "x",
                "file_unique_id": "x",
                "type": "regular",
                "width": 1,
                "height": 1,
                "is_animated": False,
                "is_video": False,
            },
        )
    )

    assert figures.change("securebase_updates_total", kind="command") == 1
    assert figures.change("securebase_updates_total", kind="message") == 5
    assert figures.change("securebase_updates_total", kind="button") == 2
    assert figures.change("securebase_updates_total", kind="other") == 1
    # Every message but the first tip, which ends setup: a tip, counted with the tips.
    assert figures.change("securebase_replies_total") == len(bot.api.messages_to(501)) - 1
    assert figures.change("securebase_answers_total", scope="in") == 1
    assert figures.change("securebase_answers_total", scope="out") == 1
    assert figures.change("securebase_reply_latency_seconds_count") == 9  # each update, the sticker too
    assert figures.change("securebase_reply_latency_seconds_sum") > 0
    assert figures.change("securebase_telegram_errors_total", kind="forbidden") == 0


async def test_telegram_and_database_errors_are_counted_by_kind(
    bot: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    parent = TgParent(502)
    await onboard(bot, parent)
    figures = Figures()
    bot.api.fail(400, "Bad Request: message is too long")
    await bot.say(parent, "/normal")  # the reply fails; the error handler says something went wrong
    bot.api.fail(403, "Forbidden: bot was blocked by the user")
    await bot.say(parent, "/normal")  # blocked: marked, nothing more sent

    def broken(*_args: object, **_kwargs: object) -> object:
        raise OperationalError("SELECT 1", {}, Exception("disk I/O error"))

    monkeypatch.setattr("bot.telegram.app.conversation.on_text", broken)
    other = TgParent(503)
    sent = await bot.say(other, "hello")

    assert figures.change("securebase_telegram_errors_total", kind="bad_request") == 1
    assert figures.change("securebase_telegram_errors_total", kind="forbidden") == 1
    assert figures.change("securebase_database_errors_total") == 1
    assert [m.text for m in sent] == [SOMETHING_WRONG]


async def test_a_dispatch_pass_counts_tips_by_outcome(sessions: async_sessionmaker[AsyncSession]) -> None:
    now = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)
    for chat_id in (601, 602, 603):
        await make_family(sessions, chat_id, [("Mia", dt.date(2025, 5, 20))], now=now - dt.timedelta(hours=1))
    api = FakeBotAPI()
    api.fail(403, "Forbidden: bot was blocked by the user", chat_id=602)
    api.fail(502, "Bad Gateway", chat_id=603, times=5)  # every try of this pass: left for a later one
    figures = Figures()

    report = await make_dispatcher(api, sessions, FakeSleep()).run_once(now + dt.timedelta(minutes=1))

    assert (report.sent, report.blocked, report.deferred) == (1, 1, 1)
    assert figures.change("securebase_tips_total", outcome="sent") == 1
    assert figures.change("securebase_tips_total", outcome="blocked") == 1
    assert figures.change("securebase_tips_total", outcome="deferred") == 1
    assert figures.change("securebase_tips_total", outcome="failed") == 0
    assert figures.change("securebase_telegram_errors_total", kind="forbidden") == 1
    assert figures.change("securebase_telegram_errors_total", kind="network") == 5
    assert figures.change("securebase_dispatch_pass_seconds_count") == 1
    assert figures.now("securebase_dispatch_due_backlog") == 3


async def test_safety_replies_are_counted_by_kind_only(bot: Harness) -> None:
    figures = Figures()
    await bot.say(TgParent(504), "I don't want to be here anymore")
    await bot.say(TgParent(505), "/start")
    await bot.say(TgParent(505), "Mia")
    await bot.say(TgParent(505), "she's not breathing!!")
    assert figures.change("securebase_safety_replies_total", kind="crisis") == 1
    assert figures.change("securebase_safety_replies_total", kind="emergency") == 1
    assert figures.change("securebase_safety_replies_total", kind="wellbeing") == 0
    assert figures.change("securebase_answers_total", scope="in") == 0  # never answered as a question
    families = {family.name: family for family in REGISTRY.collect()}
    labels = {tuple(sample.labels) for sample in families["securebase_safety_replies"].samples}
    assert labels == {("kind",)}  # nothing but the kind


def test_the_endpoint_serves_every_figure_the_dashboard_draws() -> None:
    server = metrics.serve(0)
    try:
        port = server.server_address[1]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as response:
            body = response.read().decode()
    finally:
        server.shutdown()
        server.server_close()
    samples = {sample.name for family in text_string_to_metric_families(body) for sample in family.samples}
    dashboard = json.loads(DASHBOARD.read_text())
    expressions = [target["expr"] for panel in dashboard["panels"] for target in panel["targets"]]
    drawn = {name for expr in expressions for name in re.findall(r"\bsecurebase_[a-z_]+", expr)}
    assert len(drawn) >= 10
    assert drawn <= samples, f"drawn but not exported: {drawn - samples}"
    assert not any(name.endswith("_created") for name in samples)
