"""Prometheus metrics: every figure the bot exports, defined here and recorded through the small functions below.

Counts and timings only: no label ever carries a chat id, a name or message text, and every label value comes
from a fixed set (the enums here, or the safety kinds), so the number of series stays small. Recording is a
few hundred nanoseconds and needs no server; :func:`serve` exposes the figures on ``METRICS_PORT`` when it is
set. The compose file's monitoring profile scrapes them, and its Grafana dashboard shows each one.
"""

from __future__ import annotations

from enum import StrEnum
from wsgiref.simple_server import WSGIServer

from prometheus_client import (
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
    start_http_server,
)
from sqlalchemy.exc import SQLAlchemyError

from content.safety import SafetyKind

# The *_created series (one timestamp per counter) say nothing an operator needs, and double the output.
disable_created_metrics()  # type: ignore[no-untyped-call]


class UpdateKind(StrEnum):
    MESSAGE = "message"
    COMMAND = "command"
    BUTTON = "button"
    OTHER = "other"


class TipOutcome(StrEnum):
    SENT = "sent"
    #: No answer after the request went out: possibly delivered, never sent again.
    UNCONFIRMED = "unconfirmed"
    FAILED = "failed"
    #: Left for a later pass (network trouble, flood control, a claim too old to send safely).
    DEFERRED = "deferred"
    #: The parent blocked the bot: their schedule stops.
    BLOCKED = "blocked"


class TelegramErrorKind(StrEnum):
    FLOOD = "flood_control"
    FORBIDDEN = "forbidden"
    BAD_REQUEST = "bad_request"
    TIMEOUT = "timeout"
    NETWORK = "network"
    #: A send answered without a message id (counted as sent; see ``bot.telegram.sender.post_tip``).
    UNEXPECTED_ANSWER = "unexpected_answer"
    OTHER = "other"


UPDATES = Counter("securebase_updates", "Updates from Telegram handled, by kind.", ["kind"])
REPLIES = Counter("securebase_replies", "Messages sent in reply to parents (tips not included).")
ANSWERS = Counter("securebase_answers", "Questions answered, in or out of the content's scope.", ["scope"])
SAFETY_REPLIES = Counter("securebase_safety_replies", "Safety replies sent, by kind (counts only).", ["kind"])
TIPS = Counter("securebase_tips", "Scheduled and on-demand tips, by outcome.", ["outcome"])
DISPATCH_PASS_SECONDS = Histogram(
    "securebase_dispatch_pass_seconds",
    "Duration of one dispatcher pass.",
    buckets=(0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 120, 300, 600),
)
DUE_BACKLOG = Gauge("securebase_dispatch_due_backlog", "Parents with a tip due when the last pass started.")
TELEGRAM_ERRORS = Counter("securebase_telegram_errors", "Errors from the Bot API, by kind.", ["kind"])
DATABASE_ERRORS = Counter("securebase_database_errors", "Database operations that failed.")
REPLY_LATENCY_SECONDS = Histogram(
    "securebase_reply_latency_seconds",
    "From an update reaching the bot to its last reply being sent.",
    buckets=(0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)

# Every known label value starts at zero, so a dashboard shows a flat line rather than "no data" and rate()
# sees the first event.
for _kind in UpdateKind:
    UPDATES.labels(_kind.value)
for _scope in ("in", "out"):
    ANSWERS.labels(_scope)
# Looked up once: a pass counts every tip, and finding a label's child takes longer than counting.
_TIPS_BY_OUTCOME = {_outcome: TIPS.labels(_outcome.value) for _outcome in TipOutcome}
for _error in TelegramErrorKind:
    TELEGRAM_ERRORS.labels(_error.value)
for _safety in SafetyKind:
    SAFETY_REPLIES.labels(_safety.value)


def update_handled(kind: UpdateKind) -> None:
    UPDATES.labels(kind.value).inc()


def reply_sent() -> None:
    REPLIES.inc()


def question_answered(*, in_scope: bool) -> None:
    ANSWERS.labels("in" if in_scope else "out").inc()


def safety_reply(kind: str) -> None:
    """``kind`` is a :class:`SafetyKind`'s value (crisis, emergency, wellbeing), never text from a parent."""
    SAFETY_REPLIES.labels(kind).inc()


def tips(outcome: TipOutcome, count: int = 1) -> None:
    if count:
        _TIPS_BY_OUTCOME[outcome].inc(count)


def dispatch_pass(seconds: float) -> None:
    DISPATCH_PASS_SECONDS.observe(seconds)


def due_backlog(parents: int) -> None:
    DUE_BACKLOG.set(parents)


def telegram_error(kind: TelegramErrorKind) -> None:
    TELEGRAM_ERRORS.labels(kind.value).inc()


def database_error() -> None:
    DATABASE_ERRORS.inc()


def reply_latency(seconds: float) -> None:
    REPLY_LATENCY_SECONDS.observe(seconds)


def answers_so_far() -> tuple[int, int]:
    """Questions answered (in scope, out of scope) since this process started."""
    answered, outside = (
        int(REGISTRY.get_sample_value("securebase_answers_total", {"scope": scope}) or 0)
        for scope in ("in", "out")
    )
    return answered, outside


def failure(error: BaseException | None) -> None:
    """An update or a job failed: count it as a database error when the database raised it (Telegram's
    errors are counted where the bot talks to Telegram)."""
    if isinstance(error, SQLAlchemyError):
        database_error()


def serve(port: int, listen: str = "127.0.0.1", registry: CollectorRegistry = REGISTRY) -> WSGIServer:
    """Expose ``/metrics`` on ``listen:port`` from a daemon thread (the official client's own server).
    Port 0 picks a free port (tests): the returned server's ``server_address`` tells which."""
    server, _thread = start_http_server(port, addr=listen, registry=registry)
    return server
