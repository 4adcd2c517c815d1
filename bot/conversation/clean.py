"""What a parent sends is cleaned once, where it enters the conversation, before anything stores or shows it.

Control characters have no place in a question or a name: a NUL byte cannot be stored by PostgreSQL at all
(one in a name would break every later update of that family), and the others are invisible or garble the
text around them. Lone surrogates (possible in JSON) cannot be encoded for the database either. Names also
lose line breaks and the characters that reverse the direction of the text after them, so a name shown to
another caregiver cannot disguise the words that follow it.
"""

from __future__ import annotations

import re
from dataclasses import replace

from bot.conversation.outcome import Who

# C0 controls except tab and line feed, DEL, C1 controls, lone surrogates.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
# In names, line breaks of any kind become spaces, and the bidirectional embeddings, overrides and isolates
# go with the controls.
_BREAKS = re.compile("[\t\n\r\x0b\x0c\x85\u2028\u2029]")
_NOT_IN_NAMES = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069]")


def clean_text(text: str) -> str:
    """A message as the parent meant it: control characters removed, line breaks kept."""
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def clean_name(name: str | None) -> str | None:
    """A name on one line, without invisible or direction-changing characters; None when nothing is left."""
    if name is None:
        return None
    cleaned = " ".join(_NOT_IN_NAMES.sub("", _BREAKS.sub(" ", name)).split())
    return cleaned or None


def clean_who(who: Who) -> Who:
    return replace(who, first_name=clean_name(who.first_name), language_code=clean_name(who.language_code))
