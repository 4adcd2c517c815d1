"""``securebase ask``: answer parents' questions from the content on the command line.

Handy for checking what the bot would say, and for scripted checks with ``--json`` (one object per line).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterable
from datetime import date

from bot.app.config import load_settings
from bot.core.ages import DateProblem, validate_birthdate, validate_due_date
from bot.core.answers import Answer, ChildInfo, answer
from bot.core.dates import parse_date
from bot.core.safety import assess
from bot.core.safety_reply import SafetyReply, addressed, reply_for
from bot.core.text import plain
from content import default_library


def run_ask(args: argparse.Namespace) -> int:
    try:
        today = _date_option("--today", args.today, date.today()) if args.today else date.today()
        child = _child(args, today)
    except DateProblem as problem:
        print(f"securebase ask: {problem}", file=sys.stderr)
        return 2
    questions: Iterable[str] = [" ".join(args.question)] if args.question else sys.stdin
    library = default_library()
    support = load_settings().support()
    try:
        for line in questions:
            question = line.strip()
            if not question:
                continue
            # Distress first, as in the chat and the bot (each question is a first reply: nothing is kept).
            kind = assess(question)
            if kind is not None:
                about, too = addressed(question, kind)
                reply = reply_for(kind, support=support, library=library, concern=about, parent_too=too)
                shown = json.dumps(distress_json(question, reply), ensure_ascii=False)
                print(shown if args.json else plain(reply.text) + "\n")
                sys.stdout.flush()
                continue
            result = answer(question, library=library, today=today, child=child, call=support.call())
            print(json.dumps(as_json(result), ensure_ascii=False) if args.json else plain(result.text) + "\n")
            sys.stdout.flush()
    except BrokenPipeError:
        # The reader went away (`| head`): stop quietly, like other command-line tools.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    return 0


def as_json(result: Answer) -> dict[str, object]:
    """The answer as the JSON object ``--json`` prints: ``text`` as a parent sees it, ``html`` as sent."""
    return {
        "question": result.question,
        "age_months": result.age_months,
        "corrected": result.corrected,
        "bands": [[band.first_month, band.last_month] for band in result.bands],
        "in_scope": result.in_scope,
        "items": [{"id": item.id, "kind": str(item.kind), "text": item.text} for item in result.items],
        "safety": None,
        "text": plain(result.text),
        "html": result.text,
    }


def distress_json(question: str, reply: SafetyReply) -> dict[str, object]:
    """A reply to distress in the same shape: ``safety`` names the kind, no age or stage applies."""
    return {
        "question": question,
        "age_months": None,
        "corrected": False,
        "bands": [],
        "in_scope": False,
        "items": [{"id": item.id, "kind": str(item.kind), "text": item.text} for item in reply.items],
        "safety": str(reply.kind),
        "text": plain(reply.text),
        "html": reply.text,
    }


def _child(args: argparse.Namespace, today: date) -> ChildInfo | None:
    if args.birthdate is None:
        if args.due_date is not None:
            raise DateProblem("--due-date needs --birthdate too.")
        return None
    birthdate = _date_option("--birthdate", args.birthdate, today)
    validate_birthdate(birthdate, today)
    due_date = _date_option("--due-date", args.due_date, today) if args.due_date else None
    if due_date is not None:
        validate_due_date(due_date, birthdate)
    return ChildInfo(name="", birthdate=birthdate, due_date=due_date)


def _date_option(option: str, text: str, today: date) -> date:
    try:
        parsed = parse_date(text, today)
    except DateProblem as problem:
        raise DateProblem(f"{option}: {problem}") from None
    if len(parsed.candidates) > 1:
        raise DateProblem(f"{option}: {text!r} could mean more than one date; please use YYYY-MM-DD.")
    return parsed.candidates[0]
