"""Readying a long-running process (the bot) before it serves: content loaded, question and city indexes built,
and the heap that lives as long as the process set aside from the garbage collector."""

from __future__ import annotations

import ctypes
import gc

from bot.core import language, safety_sentence, timezones
from bot.core.retrieval import index_for
from content import default_library


def ready_for_serving() -> None:
    """Load now what every update and tip needs, so a parent's first question does not wait for the index
    (about 200 ms), then freeze the heap: the collector otherwise re-scans these objects on every full
    collection, which was measured at about 0.02 ms per tip in a dispatch pass (bench/dispatch.py)."""
    index_for(default_library())
    language.warm()  # the English word list and the language detector (about 0.8 s together)
    timezones.warm()  # the city index, so the time zone step does not wait for it (about 0.7 s of CPU)
    safety_sentence.load()  # the safety check's sentence model (about 0.2 s; phrases alone if it fails)
    gc.collect()  # what start-up left behind, so it is not kept for good
    release_freed_memory()
    gc.freeze()


def release_freed_memory() -> None:
    """Hand the heap pages that start-up freed back to the system: glibc keeps them for reuse otherwise
    (about 35 MB after the parsing above; bench/memory.py). Nothing to do on other C libraries."""
    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):  # not glibc
        return
    trim(0)
