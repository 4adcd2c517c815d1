"""How text is written for parents, in one place: escaped for Telegram HTML, read back as plain text (the
terminal, ``ask``), dates in words, and how far apart two spellings are."""

from __future__ import annotations

import calendar
import html
import re
from datetime import date

_TAG = re.compile(r"<[^>]+>")


def esc(text: str) -> str:
    """Escape for Telegram HTML text: only <, > and & matter there, and quotes read better as they are."""
    return html.escape(text, quote=False)


def plain(telegram_html: str) -> str:
    """What Telegram shows for our HTML: tags gone, entities decoded."""
    return html.unescape(_TAG.sub("", telegram_html))


def day_date(d: date) -> str:
    """ "15 March 2026"."""
    return f"{d.day} {calendar.month_name[d.month]} {d.year}"


def osa_distance(a: str, b: str) -> int:
    """Edit distance counting a swap of neighbours as one edit ("siezure" -> "seizure", "anxeity" ->
    "anxiety"): the spelling mender of the answers and of the safety check both use it."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[len(b)]
