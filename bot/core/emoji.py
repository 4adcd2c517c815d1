"""Emoji sent alone as a reaction, read the same way everywhere: a crying face is a feeling (a kind word, and
where to turn), a thumbs up an "ok", a heart a warm word; none is a name, a date, days of the week or a question."""

from __future__ import annotations

from enum import StrEnum


class Feeling(StrEnum):
    """What an emoji reaction alone says."""

    SAD = "sad"
    OK = "ok"
    WARM = "warm"


SAD_EMOJI = frozenset("😢😭😔😞😟😩😫😥😰💔🙁🥺☹")
OK_EMOJI = frozenset("👍👌🙏🙂😊")
# Warm reactions: hearts, smiles, a party, a sleeping face (often "she's finally asleep", not sadness). Kindly
# meant, no answer to anything.
WARM_EMOJI = frozenset("👶❤♥🧡💛💚💙💜🤍🤎🖤💕💖💗💓💞💘🥰😍😘🤗😀😃😄😁😆😅😂🤣☺😇🥳🎉✨👏💪🙌🤩😌😴🥱")
# Marks that only shape an emoji (variation selectors, joiners, skin tones) or sit around it.
_SHAPING = frozenset("\ufe0f\u200d \t\n.!?,") | frozenset(chr(c) for c in range(0x1F3FB, 0x1F400))


def feeling(text: str) -> Feeling | None:
    """A crying face or a thumbs up sent alone (repeated is fine: "😢😢"); None for anything with words,
    figures or other emoji in it."""
    marks = set(text) - _SHAPING
    if not marks:
        return None
    if marks <= SAD_EMOJI:
        return Feeling.SAD
    if marks <= OK_EMOJI:
        return Feeling.OK
    if marks <= OK_EMOJI | WARM_EMOJI:
        return Feeling.WARM
    return None


def has_letters(text: str) -> bool:
    """Any letter or figure at all, in any script ("Mia", "Baby 2"): "❤️" alone has none, so it is no name."""
    return any(c.isalnum() for c in text)
