"""Reply latency under load and faults, against a local fake Bot API with Telegram's limits.

    python bench/interactive.py                       # the three scenarios, 1,000 parents, 10,000 tips
    python bench/interactive.py --parents 200 --tips 2000 --scenarios a   # a quick run

The bot runs as in production (``build_application``, long polling, its rate limiter, one SQLite file) in
its own process; a fake Bot API HTTP server on 127.0.0.1 (another process) hands out the parents'
updates through ``getUpdates`` at set times, enforces a Telegram-like limit (30 messages a second overall,
about one a second per chat: a token bucket of 30 overall and 3 per chat, over it a 429 with
``retry_after`` 1) and notes when each chat got its first message after asking. Scenarios:

(a) ``--parents`` parents (already set up, one child each) each ask a question within two seconds;
(b) the same while a ``--tips``-tip dispatcher pass runs in the bot (the questions start once tips flow);
(c) as (a), while one parent's /tip meets a 100 s flood wait (every send to that chat answered 429) and
    the database is locked by another process for 10 s (a writer holding ``BEGIN IMMEDIATE``), during
    which a second parent sends /pause (a write).
In each, one parent writes "I want to end it all" in the middle of the wave: its latency is shown apart
(a crisis reply goes ahead of every queue), and it is left out of the others' figures.

Latency is from the moment an update is handed out to the first message that chat receives. The ideal
is what the 30/s limit allows for the same arrival times (the replies alone, in arrival order, through a
bucket of 30), so p50/p99 are shown beside the ideal's. Each scenario stops when every parent has an
answer or ``--deadline`` seconds after the last question; parents still waiting count as the deadline.
Ends with one JSON line of the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import json
import math
import multiprocessing
import os
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.fake_bot import GET_ME, SENDER, TOKEN

OVERALL_RATE = 30.0
OVERALL_BURST = 30.0
CHAT_RATE = 1.0
CHAT_BURST = 3.0
FLOOD_WAIT = 100
LOCK_SECONDS = 10.0
ASKER_CHAT = 200_000
CRISIS = "I want to end it all"
TIP_CHAT = 300_000
MAX_BODY = 256 * 1024
QUESTIONS = (
    "is stranger anxiety normal?",
    "my baby cries when I leave the room",
    "what's normal at this age?",
    "how can I help her settle when she is upset?",
    "why does he want to be held all the time?",
    "she gets clingy with new people, is that ok?",
)
SENDS = frozenset({"sendMessage", "sendDocument", "editMessageText", "editMessageReplyMarkup"})


# --- the fake Bot API server (its own process) ---


class Bucket:
    """A token bucket: ``burst`` messages at once, then ``rate`` a second."""

    def __init__(self, rate: float, burst: float, now: float) -> None:
        self.rate, self.burst, self.level, self.at = rate, burst, burst, now

    def take(self, now: float) -> bool:
        self.level = min(self.burst, self.level + (now - self.at) * self.rate)
        self.at = now
        if self.level >= 1:
            self.level -= 1
            return True
        return False


class FakeTelegram:
    """What the server knows: updates to hand out at their times, sends per chat, limits and faults."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        now = time.monotonic()
        self.updates: list[tuple[float, dict[str, Any]]] = []  # (release time, update), by release time
        self.released: dict[int, float] = {}  # chat -> when its (first) update was handed out
        self.first_reply: dict[int, float] = {}
        self.sent_to_askers = 0
        self.tips = 0
        self.rejected = 0  # 429s for going over the limits
        self.flooded = 0  # 429s of the injected flood wait
        self.flood_chats: set[int] = set()
        self.overall = Bucket(OVERALL_RATE, OVERALL_BURST, now)
        self.chats: dict[int, Bucket] = {}
        self.changed = asyncio.Event()
        self.next_id = 1
        self.message_ids = 1

    def load(self, items: list[dict[str, Any]]) -> None:
        start = time.monotonic()
        # Update ids in the order the updates become available, as Telegram numbers them.
        for item in sorted(items, key=lambda item: float(item["at"])):
            chat, text = int(item["chat_id"]), str(item["text"])
            message: dict[str, Any] = {
                "message_id": self.next_id,
                "date": int(time.time()),
                "chat": {"id": chat, "type": "private", "first_name": "Sam"},
                "from": {"id": chat, "is_bot": False, "first_name": "Sam", "language_code": "en"},
                "text": text,
            }
            if text.startswith("/"):
                message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
            self.updates.append((start + float(item["at"]), {"update_id": self.next_id, "message": message}))
            self.next_id += 1
        self.changed.set()

    async def get_updates(self, params: dict[str, str]) -> list[dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        limit = int(params.get("limit") or 100)
        deadline = time.monotonic() + min(float(params.get("timeout") or 0), 5.0)
        while True:
            now = time.monotonic()
            ready = [(at, u) for at, u in self.updates if at <= now and u["update_id"] >= offset][:limit]
            if ready:
                # Latency counts from when the update could first be fetched, not from when a poll came.
                for at, update in ready:
                    self.released.setdefault(update["message"]["chat"]["id"], at)
                return [update for _, update in ready]
            upcoming = [at for at, u in self.updates if at > now and u["update_id"] >= offset]
            wait = min([deadline - now, *(at - now for at in upcoming[:1])])
            if wait <= 0:
                return []
            self.changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.changed.wait(), timeout=wait)

    def send(self, method: str, params: dict[str, str]) -> tuple[int, dict[str, Any]]:
        now = time.monotonic()
        chat = int(params.get("chat_id") or 0)
        if chat in self.flood_chats:
            self.flooded += 1
            return 429, _too_many(FLOOD_WAIT)
        bucket = self.chats.setdefault(chat, Bucket(CHAT_RATE, CHAT_BURST, now))
        if not (bucket.take(now) and self.overall.take(now)):
            self.rejected += 1
            return 429, _too_many(1)
        if ASKER_CHAT < chat < TIP_CHAT:
            self.sent_to_askers += 1
            if chat in self.released:
                self.first_reply.setdefault(chat, now)
        elif chat >= TIP_CHAT:
            self.tips += 1
        self.message_ids += 1
        return 200, {
            "ok": True,
            "result": {
                "message_id": self.message_ids,
                "date": int(time.time()),
                "chat": {"id": chat, "type": "private"},
                "from": SENDER,
                "text": "ok",
            },
        }

    def stats(self) -> dict[str, Any]:
        return {
            "released": {str(k): v for k, v in self.released.items()},
            "first_reply": {str(k): v for k, v in self.first_reply.items()},
            "sent_to_askers": self.sent_to_askers,
            "tips": self.tips,
            "rejected": self.rejected,
            "flooded": self.flooded,
            "now": time.monotonic(),
        }


def _too_many(seconds: int) -> dict[str, Any]:
    return {
        "ok": False,
        "error_code": 429,
        "description": f"Too Many Requests: retry after {seconds}",
        "parameters": {"retry_after": seconds},
    }


def _params(body: bytes, content_type: bytes) -> dict[str, str]:
    if not body:
        return {}
    if b"json" in content_type:
        return {k: str(v) for k, v in json.loads(body).items()}
    if b"multipart" in content_type:  # a document: only the chat matters here
        found = body.split(b'name="chat_id"', 1)
        value = found[1].split(b"\r\n\r\n", 1)[1].split(b"\r\n", 1)[0] if len(found) == 2 else b"0"
        return {"chat_id": value.decode()}
    return {k: v[-1] for k, v in urllib.parse.parse_qs(body.decode()).items()}


async def _answer(fake: FakeTelegram, path: bytes, body: bytes, content_type: bytes) -> tuple[int, Any]:
    method = path.rsplit(b"/", 1)[-1].split(b"?", 1)[0].decode()
    params = _params(body, content_type)
    if method == "getUpdates":
        return 200, {"ok": True, "result": await fake.get_updates(params)}
    if method in SENDS:
        return fake.send(method, params)
    if method == "getMe":
        return 200, {"ok": True, "result": GET_ME}
    if method == "control_reset":
        fake.reset()
        return 200, {"ok": True}
    if method == "control_load":
        fake.load(json.loads(body))
        return 200, {"ok": True}
    if method == "control_flood":
        fake.flood_chats.add(int(json.loads(body)["chat_id"]))
        return 200, {"ok": True}
    if method == "control_stats":
        return 200, fake.stats()
    return 200, {"ok": True, "result": True}


async def _serve(ready: Any) -> None:
    fake = FakeTelegram()

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while line := await reader.readline():
                path = line.split(b" ")[1]
                length, content_type = 0, b""
                while (header := await reader.readline()) not in (b"\r\n", b""):
                    name, _, value = header.partition(b":")
                    name = name.strip().lower()
                    if name == b"content-length":
                        length = int(value)
                    elif name == b"content-type":
                        content_type = value.strip().lower()
                if length > MAX_BODY:
                    return
                body = await reader.readexactly(length) if length else b""
                status, answer = await _answer(fake, path, body, content_type)
                payload = json.dumps(answer).encode()
                reason = b"OK" if status == 200 else b"Too Many Requests"
                writer.write(
                    b"HTTP/1.1 %d %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s"
                    % (status, reason, len(payload), payload)
                )
                await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0, limit=MAX_BODY, backlog=1024)
    ready.send(server.sockets[0].getsockname()[1])
    async with server:
        await server.serve_forever()


def serve(ready: Any) -> None:
    asyncio.run(_serve(ready))


def _control(port: int, method: str, payload: Any = None) -> Any:
    import httpx

    url = f"http://127.0.0.1:{port}/bot{TOKEN}/{method}"
    if payload is None:
        return httpx.post(url, timeout=30).json()
    return httpx.post(url, content=json.dumps(payload), timeout=30).json()


# --- the database ---


def build_database(path: Path, parents: int, tip_families: int, now: dt.datetime) -> None:
    """``parents`` families set up and not due (they ask), ``tip_families`` due a minute ago."""
    from sqlalchemy import create_engine, insert

    from db.migrate import upgrade_to_head
    from db.models import Caregiver, Child, Parent

    upgrade_to_head(f"sqlite:///{path}")
    engine = create_engine(f"sqlite:///{path}")
    rows = [(i, ASKER_CHAT + i, now + dt.timedelta(days=3)) for i in range(1, parents + 1)]
    rows += [(parents + i, TIP_CHAT + i, now - dt.timedelta(minutes=1)) for i in range(1, tip_families + 1)]
    today = now.date()
    with engine.begin() as connection:
        connection.execute(
            insert(Parent),
            [
                {
                    "id": pid,
                    "chat_id": chat,
                    "first_name": "Sam",
                    "language_code": "en",
                    "time_zone": "UTC",
                    "tip_days": "6",
                    "tip_time": dt.time(9, 0),
                    "state": "active",
                    "next_due_at": due,
                    "created_at": now,
                    "updated_at": now,
                }
                for pid, chat, due in rows
            ],
        )
        connection.execute(
            insert(Child),
            [
                {
                    "id": pid,
                    "name": f"Kid{pid}",
                    "birthdate": today - dt.timedelta(days=20 + pid * 7 % 900),
                    "created_at": now,
                }
                for pid, _, _ in rows
            ],
        )
        connection.execute(
            insert(Caregiver),
            [{"parent_id": pid, "child_id": pid, "position": 0, "joined_at": now} for pid, _, _ in rows],
        )
    engine.dispose()


def hold_lock(path: Path, after: float, seconds: float, held: dict[str, float]) -> None:
    """Another process's writer: ``BEGIN IMMEDIATE`` for ``seconds``, starting ``after`` seconds from now."""
    time.sleep(after)
    db = sqlite3.connect(path, timeout=30, isolation_level=None)
    db.execute("BEGIN IMMEDIATE")
    held["from"] = time.monotonic()
    time.sleep(seconds)
    db.execute("ROLLBACK")
    held["to"] = time.monotonic()
    db.close()


# --- the bot (its own process) ---


def bot_process(path: str, port: int, run_pass: bool, log_file: str, conn: Any) -> None:
    with open(log_file, "w") as log:
        sys.stderr = log
        os.environ["LOG_LEVEL"] = "INFO"
        from bot.app.logging_setup import configure_logging

        configure_logging()
        asyncio.run(_run_bot(path, port, run_pass, conn))


async def _run_bot(path: str, port: int, run_pass: bool, conn: Any) -> None:
    from bot.app.config import Settings
    from bot.app.warm import ready_for_serving
    from bot.dispatch import Dispatcher
    from bot.telegram.app import build_application
    from bot.telegram.runner import ALLOWED_UPDATES
    from bot.telegram.sender import TelegramSender
    from db.engine import create_engine, session_factory

    settings = Settings(
        _env_file=None,
        telegram_bot_token=TOKEN,
        database_url=f"sqlite:///{path}",
        telegram_api_base_url=f"http://127.0.0.1:{port}",
    )
    engine = create_engine(settings.database_url)
    sessions = session_factory(engine)
    app = build_application(settings, sessions=sessions)
    ready_for_serving()
    passes: asyncio.Task[Any] | None = None
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=5, allowed_updates=ALLOWED_UPDATES)
        if run_pass:
            # As the dispatch job has it: the application's bot (its rate limiter), the scheduled-tip sender.
            dispatcher = Dispatcher.from_settings(TelegramSender(app.bot), sessions, settings)
            passes = asyncio.create_task(dispatcher.run_once(dt.datetime.now(dt.UTC)))
        conn.send("ready")
        await asyncio.to_thread(conn.recv)  # "stop"
        if passes is not None:
            passes.cancel()
        try:
            async with asyncio.timeout(10):
                await app.updater.stop()
                await app.stop()
        except TimeoutError:
            pass
    await engine.dispose()
    conn.send("stopped")


# --- scenarios ---


def ideal_latencies(arrivals: list[float], full_bucket: bool) -> list[float]:
    """Each reply as early as the overall limit allows, in arrival order (a bucket of 30, 30 a second)."""
    bucket = Bucket(OVERALL_RATE, OVERALL_BURST, arrivals[0] if arrivals else 0.0)
    if not full_bucket:
        bucket.level = 0.0
    latencies = []
    for arrival in sorted(arrivals):
        t = max(arrival, bucket.at)
        bucket.level = min(bucket.burst, bucket.level + (t - bucket.at) * bucket.rate)
        bucket.at = t
        if bucket.level < 1:
            t += (1 - bucket.level) / bucket.rate
            bucket.level, bucket.at = 1.0, t
        bucket.level -= 1
        latencies.append(t - arrival)
    return latencies


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))]


def run_scenario(name: str, template: Path, port: int, args: argparse.Namespace) -> dict[str, Any]:
    rng = random.Random(14)
    faulty = name == "c"
    run_pass = name == "b"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.db"
        shutil.copy(template, path)
        log_file = Path(folder) / "bot.log"
        _control(port, "control_reset")
        flood_chat, pause_chat = ASKER_CHAT + 1, ASKER_CHAT + 2
        if faulty:
            _control(port, "control_flood", {"chat_id": flood_chat})
        context = multiprocessing.get_context("spawn")
        ours, theirs = context.Pipe()
        bot = context.Process(target=bot_process, args=(str(path), port, run_pass, str(log_file), theirs))
        bot.start()
        ours.recv()
        if run_pass:  # let the pass get going, so the questions meet a wave of tips already sending
            started = time.monotonic()
            while _control(port, "control_stats")["tips"] < 60 and time.monotonic() - started < 60:
                time.sleep(0.1)
        items = []
        for i in range(1, args.parents + 1):
            text = QUESTIONS[i % len(QUESTIONS)]
            at = 0.3 + rng.uniform(0, 2.0)
            if faulty and i == 1:
                text, at = "/tip", 0.3
            elif faulty and i == 2:
                text, at = "/pause", 1.0 + LOCK_SECONDS / 2
            elif i == 3:  # in the middle of the wave: a reply that must wait for nothing
                text, at = CRISIS, 1.3
            items.append({"chat_id": ASKER_CHAT + i, "text": text, "at": at})
        held: dict[str, float] = {}
        locker = None
        if faulty:
            locker = threading.Thread(target=hold_lock, args=(path, 1.0, LOCK_SECONDS, held))
            locker.start()
        _control(port, "control_load", items)
        loaded = time.monotonic()
        expected = args.parents - (1 if faulty else 0)
        last_release = loaded + 2.3
        tips_before = _control(port, "control_stats")["tips"]
        while True:
            stats = _control(port, "control_stats")
            answered = len(stats["first_reply"]) - (1 if str(flood_chat) in stats["first_reply"] else 0)
            if answered >= expected or time.monotonic() > last_release + args.deadline:
                break
            time.sleep(0.25)
        ours.send("stop")
        if ours.poll(20):
            ours.recv()
        bot.join(5)
        if bot.is_alive():
            bot.terminate()
            bot.join()
        if locker is not None:
            locker.join()
        log_lines = log_file.read_text().splitlines()
        if args.logs:
            shutil.copy(log_file, Path(args.logs) / f"bot-{name}.log")
    return summarise(name, stats, args, faulty, flood_chat, pause_chat, tips_before, log_lines, held)


def summarise(
    name: str,
    stats: dict[str, Any],
    args: argparse.Namespace,
    faulty: bool,
    flood_chat: int,
    pause_chat: int,
    tips_before: int,
    log_lines: list[str],
    held: dict[str, float],
) -> dict[str, Any]:
    released = {int(k): v for k, v in stats["released"].items()}
    replied = {int(k): v for k, v in stats["first_reply"].items()}
    cutoff = stats["now"]
    crisis_chat = ASKER_CHAT + 3
    skip = ({flood_chat, pause_chat} if faulty else set()) | {crisis_chat}
    others = [chat for chat in released if chat not in skip]
    latencies = [replied.get(chat, cutoff) - released[chat] for chat in others]
    unanswered = sum(1 for chat in others if chat not in replied)
    ideal = ideal_latencies([released[chat] for chat in released], full_bucket=name != "b")
    result: dict[str, Any] = {
        "parents": len(released),
        "answered": len(others) - unanswered,
        "unanswered_at_deadline": unanswered,
        "p50_s": round(statistics.median(latencies), 2) if latencies else None,
        "p99_s": round(percentile(latencies, 0.99), 2) if latencies else None,
        "max_s": round(max(latencies), 2) if latencies else None,
        "ideal_p50_s": round(statistics.median(ideal), 2),
        "ideal_p99_s": round(percentile(ideal, 0.99), 2),
        "crisis_reply_s": round(replied[crisis_chat] - released[crisis_chat], 2)
        if crisis_chat in replied and crisis_chat in released
        else None,
        "rejected_429": stats["rejected"],
        "tips_during": stats["tips"] - tips_before,
        "log_lines": len(log_lines),
        "log_tracebacks": sum(1 for line in log_lines if line.startswith("Traceback")),
    }
    if faulty:
        pause_at = released.get(pause_chat)
        result["flood_429s"] = stats["flooded"]
        result["pause_reply_s"] = (
            round(replied[pause_chat] - pause_at, 2) if pause_at and pause_chat in replied else None
        )
        result["lock_held_s"] = round(held["to"] - held["from"], 1) if "to" in held else None
    label = {"a": "(a) questions", "b": "(b) questions during a tip pass", "c": "(c) questions under faults"}
    print(
        f"{label[name]}: {result['answered']}/{len(others)} answered; reply latency p50 {result['p50_s']} s, "
        f"p99 {result['p99_s']} s, max {result['max_s']} s (ideal at 30/s: p50 {result['ideal_p50_s']} s, "
        f"p99 {result['ideal_p99_s']} s); 429s over the limit {result['rejected_429']}; tips sent meanwhile "
        f"{result['tips_during']}; log lines {result['log_lines']} ({result['log_tracebacks']} tracebacks); "
        f"a crisis message in the wave answered after {result['crisis_reply_s']} s"
    )
    if faulty:
        print(
            f"    flooded chat: {result['flood_429s']} 429s answered; /pause during the lock answered after "
            f"{result['pause_reply_s']} s; lock held {result['lock_held_s']} s"
        )
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--parents", type=int, default=1000, help="parents asking a question")
    parser.add_argument("--tips", type=int, default=10000, help="families due in scenario (b)")
    parser.add_argument("--scenarios", default="abc", help="which of a, b, c to run")
    parser.add_argument(
        "--deadline", type=float, default=60.0, help="seconds after the last question to stop waiting"
    )
    parser.add_argument("--logs", help="a folder to keep each scenario's bot log in")
    args = parser.parse_args(argv)

    context = multiprocessing.get_context("spawn")
    receive, send = context.Pipe(duplex=False)
    server = context.Process(target=serve, args=(send,), daemon=True)
    server.start()
    port = int(receive.recv())
    print(
        f"fake Bot API on 127.0.0.1:{port}; {args.parents} parents, {args.tips} tips in (b); "
        f"limit {OVERALL_RATE:.0f}/s overall, {CHAT_RATE:.0f}/s per chat; cpus {os.cpu_count()}"
    )
    figures: dict[str, Any] = {"parents": args.parents, "tips": args.tips, "scenarios": {}}
    try:
        with tempfile.TemporaryDirectory() as folder:
            template = Path(folder) / "template.db"
            build_database(template, args.parents, args.tips, dt.datetime.now(dt.UTC))
            for name in args.scenarios:
                figures["scenarios"][name] = run_scenario(name, template, port, args)
    finally:
        server.terminate()
        server.join()
    runs = figures["scenarios"]
    if "a" in runs:
        base = runs["a"]["p99_s"]
        if "b" in runs:
            figures["b_p99_within_2s_of_a"] = runs["b"]["p99_s"] - base <= 2
        if "c" in runs:
            figures["c_p99_within_1s_of_a"] = runs["c"]["p99_s"] - base <= 1
    print(json.dumps(figures, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
