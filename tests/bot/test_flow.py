"""The conversation's stored state: every step is answered somewhere, and the flow data reads back what it
wrote (in the JSON earlier versions stored), dropping what it cannot read instead of failing the update."""

from __future__ import annotations

from datetime import date

from bot.conversation.detours import ASKS
from bot.conversation.flow import FlowData, Mode, Step, read_step
from bot.conversation.router import PRESS_STEPS, STEPS


def test_every_step_has_an_answer_for_text_and_for_buttons() -> None:
    assert set(STEPS) == set(Step)
    assert set(PRESS_STEPS) == set(Step)


def test_flow_data_round_trips_in_the_stored_json_form() -> None:
    data = FlowData(
        mode=Mode.EDIT,
        child_id=7,
        name="Mia",
        birthdate=date(2026, 3, 15),
        candidates=(date(2026, 3, 4), date(2026, 4, 3)),
    )
    stored = data.to_json()
    assert stored == {
        "mode": "edit",
        "child_id": 7,
        "name": "Mia",
        "birthdate": "2026-03-15",
        "candidates": ["2026-03-04", "2026-04-03"],
    }
    assert FlowData.from_json(stored) == data
    assert FlowData().to_json() == {}
    assert FlowData.from_json(None) == FlowData()


def test_unreadable_values_are_dropped_one_by_one() -> None:
    stored = {"mode": "someday", "child_id": "7", "birthdate": "15/03/2026", "name": "Mia", "extra": 1}
    assert FlowData.from_json(stored) == FlowData(name="Mia")


def test_a_step_this_version_no_longer_has_reads_as_none() -> None:
    assert read_step("tz") is Step.TZ
    assert read_step("onboarding") is None
    assert read_step(None) is None


def test_every_step_but_a_waiting_question_can_be_asked_again() -> None:
    """After a question on the way, or to carry on after /cancel, each step's question is asked again."""
    assert set(ASKS) == set(Step) - {Step.ASK}


def test_a_held_step_round_trips() -> None:
    data = FlowData(mode=Mode.ADD, name="Leo", held=Step.BIRTHDATE)
    assert data.to_json() == {"mode": "add", "name": "Leo", "held": "birthdate"}
    assert FlowData.from_json(data.to_json()) == data
    assert FlowData.from_json({"held": "someday"}) == FlowData()
