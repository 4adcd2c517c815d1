"""The way out of a step by button: a button that means a word ("skip", "back", "cancel"), pressed where a
parent could also type it, so a step with nothing to tap still has a way on. And the questions asked from
more than one place (a birthdate, a new name), each with its way out.
"""

from __future__ import annotations

from bot.conversation.flow import Step
from bot.conversation.turn import choice
from bot.core.dates import EXAMPLES
from bot.core.reply import Button, Reply
from bot.core.step_words import StepWord
from bot.core.text import esc

# Values a way-out button carries; a press with one of them is read as that word, at any step.
PRESSED_WORDS = frozenset(StepWord)
KEEP_AS_IT_IS = "Leave it as it is"


def way_out(step: Step, word: StepWord, label: str) -> Button:
    return choice(step, word.value, label)


def row(step: Step, word: StepWord, label: str) -> tuple[Button, ...]:
    return (way_out(step, word, label),)


def birthdate_ask(name: str, *, editing: bool, lead: str = "") -> Reply:
    """ "When was Mia born?": "Not now" keeps what was given (a child half added is held); new dates for a
    child already saved can be left as they are."""
    text = f"{lead}When was <b>{esc(name)}</b> born? Write the date {EXAMPLES}."
    label = "Keep the dates as they are" if editing else "Not now"
    return Reply(text, (row(Step.BIRTHDATE, StepWord.CANCEL, label),))


def rename_ask(name: str, *, lead: str = "", from_now_on: bool = True) -> Reply:
    when = " from now on" if from_now_on else ""
    text = f"{lead}What should I call {esc(name)}{when}?"
    return Reply(text, (row(Step.RENAME, StepWord.CANCEL, "Keep the name"),))
