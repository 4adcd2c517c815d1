"""Quiet, useful logs under faults: one line per kind of failure, then a count, then one line when it passes.

During an outage (the database unreachable, Telegram not answering) every dispatcher pass, housekeeping run
and update fails the same way. A traceback each time says nothing new and buries what does; so the first
failure of a kind is one line with its error type, repeats are counted and summarised at most every
``summary_every``, and the recovery is one line with the total. Failures of a kind we expect (outages:
connections, timeouts, locks) never get a traceback; an unexpected one gets its code locations, once.
"""

from __future__ import annotations

import logging
import time
import traceback
from collections.abc import Callable

from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from bot.app.logging_setup import describe

# An outage, not a bug: the database or the network is away, slow or locked.
OUTAGES: tuple[type[BaseException], ...] = (
    OperationalError,
    InterfaceError,
    PoolTimeout,
    TimeoutError,
    OSError,
)


def _where(error: BaseException) -> str:
    frames = traceback.extract_tb(error.__traceback__)
    return "".join(f"\n  {frame.filename}:{frame.lineno} in {frame.name}" for frame in frames)


class RepeatedFailures:
    """Logs the failures of one activity (``what``: "dispatch pass", "update") to ``log``."""

    def __init__(
        self,
        what: str,
        log: logging.Logger,
        *,
        expected: tuple[type[BaseException], ...] = OUTAGES,
        summary_every: float = 600.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.what = what
        self.log = log
        self.expected = expected
        self.summary_every = summary_every
        self.clock = clock
        self._kinds: dict[str, int] = {}  # error description -> failures since its last line
        self._total = 0
        self._last_line = 0.0
        self._last_failure = 0.0

    def is_expected(self, error: BaseException) -> bool:
        return isinstance(error, self.expected)

    def failed(self, error: BaseException, detail: str = "") -> None:
        """One failure; ``detail`` (ids only, never names or text) goes on its line."""
        kind = describe(error)
        now = self.clock()
        if self._total and now - self._last_failure >= self.summary_every:
            self._summarise()  # after a quiet spell a failure is news again
            self._kinds.clear()
            self._total = 0
        self._last_failure = now
        self._total += 1
        suffix = f" ({detail})" if detail else ""
        if kind not in self._kinds:
            self._kinds[kind] = 0
            self._last_line = now
            if self.is_expected(error):
                self.log.warning("%s failed: %s%s", self.what, kind, suffix)
            else:  # where, but not the error's message or source lines: either may quote a parent
                self.log.error("%s failed: %s%s%s", self.what, kind, suffix, _where(error))
            return
        self._kinds[kind] += 1
        if now - self._last_line >= self.summary_every:
            self._last_line = now
            self._summarise()

    def _summarise(self) -> None:
        repeats = ", ".join(f"{kind} {n} more time(s)" for kind, n in self._kinds.items() if n)
        if repeats:
            self.log.warning("%s still failing: %s", self.what, repeats)
        self._kinds = dict.fromkeys(self._kinds, 0)

    def succeeded(self) -> None:
        """It worked: one line if it had been failing, and the count starts again."""
        if self._total:
            self.log.info("%s works again after %d failure(s)", self.what, self._total)
        self._kinds.clear()
        self._total = 0
