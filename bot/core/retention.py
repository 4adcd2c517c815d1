"""How long data is kept once nobody needs it: the rules as plain dates (housekeeping does the deleting).

A parent who blocked the bot, or stopped the tips and has not written since, is erased after the retention
period (``RETENTION_MONTHS``, 12 by default). A child is erased a few months after the tips end (past the
content's last month), unless a caregiver asked to keep the child's details. A parent with no child (who
started the setup and left before adding one, or removed every child) is erased after
``SETUP_RETENTION_DAYS`` without a word from them: there is nothing of theirs to come back to but a name.
"""

from __future__ import annotations

import datetime as dt

from bot.core.ages import add_months, completed_months
from content import Library

DEFAULT_RETENTION_MONTHS = 12
# A parent with no child and no word from them for this long is erased.
SETUP_RETENTION_DAYS = 30
# After the goodbye at the end of the tips, a child's details stay this long (to look back, or export).
CHILD_GRACE_MONTHS = 3
# "Keep after age 3" is offered this close to the end of the tips (from 30 months with the content as it
# is): half a year is time enough to decide, and nearer the end the question makes sense to a parent.
KEEP_OFFERED_MONTHS_BEFORE = 6


def _tips_end(library: Library) -> int:
    """The last month any band covers (``bot.core.tips.oldest_month``; tips' goodbye quotes this module)."""
    return max(band.last_month for band in library.bands)


def inactive_before(now: dt.datetime, retention_months: int) -> dt.datetime:
    """Parents inactive since before this moment are past the retention period."""
    return dt.datetime.combine(add_months(now.date(), -retention_months), now.timetz())


def childless_before(now: dt.datetime) -> dt.datetime:
    """Parents with no child, silent since before this moment, are erased."""
    return now - dt.timedelta(days=SETUP_RETENTION_DAYS)


def last_kept_month(library: Library) -> int:
    """The oldest age, in completed months, at which a child's details are still kept without being asked."""
    return _tips_end(library) + CHILD_GRACE_MONTHS


def child_is_past_keeping(birthdate: dt.date, today: dt.date, library: Library) -> bool:
    """Whether a child is older than the tips plus the grace period (plain age: corrected age ends at 24)."""
    return completed_months(birthdate, today) > last_kept_month(library)


def born_on_or_before(today: dt.date, library: Library) -> dt.date:
    """Every child past keeping was born on or before this date (a cheap first filter for the database)."""
    return add_months(today, -(last_kept_month(library) + 1))


def keep_offered(months: int, library: Library) -> bool:
    """Whether a child of ``months`` (completed, on the tips' basis: corrected for a baby born early) is near
    enough the end of the tips for "keep after age 3" to be a question worth asking. For a newborn it is
    years away, and asking then only puzzles the parent."""
    return months >= _tips_end(library) - KEEP_OFFERED_MONTHS_BEFORE


def kept_after(library: Library) -> str:
    """The age the tips end at, as a parent reads it: "3" (years) with the content as it is."""
    years, months = divmod(_tips_end(library), 12)
    return str(years) if not months else f"{_tips_end(library)} months"
