"""How text is written for parents, in one place: escaped for Telegram HTML, read back as plain text (the
terminal, ``ask``), and dates in words."""

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
