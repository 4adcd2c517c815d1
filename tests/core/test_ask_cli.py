"""`securebase ask`: plain and JSON answers, questions from stdin, friendly errors for bad dates."""

import io
import json

import pytest

from bot.cli import main


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["ask", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_json_answer_has_the_documented_keys(capsys):
    code, out, err = run(capsys, "--today", "2026-11-29", "--json", "what's", "normal", "at", "10", "months?")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert len(lines) == 1
    data = json.loads(lines[0])
    assert data["question"] == "what's normal at 10 months?"
    assert data["age_months"] == 10
    assert data["corrected"] is False
    assert data["bands"] == [[7, 18]]
    assert data["in_scope"] is True
    assert data["items"][0] == {
        "id": "sa-7-18-distinguishes",
        "kind": "indicator",
        "text": "Distinguishes between primary caregivers and others",
    }
    assert {item["kind"] for item in data["items"]} == {"indicator"}
    assert "<b>" not in data["text"]
    assert data["text"].startswith("Common patterns at 10 months, not a checklist")
    assert data["html"].startswith("Common patterns at <b>10 months</b>, not a checklist")


def test_birthdate_and_due_date_give_the_corrected_age(capsys):
    code, out, _ = run(
        capsys,
        "--birthdate",
        "2026-01-10",
        "--due-date",
        "2026-03-10",
        "--today",
        "2026-11-29",
        "--json",
        "is it normal that she cries when I leave?",
    )
    data = json.loads(out)
    assert code == 0
    assert (data["age_months"], data["corrected"]) == (8, True)
    assert data["bands"] == [[0, 9], [7, 18]]
    assert "sa-7-18-follows-caregiver" in [item["id"] for item in data["items"]]
    assert "at 8 months (corrected age), not a checklist" in data["text"]


def test_questions_from_stdin_one_per_line(capsys, monkeypatch):
    stdin = "is stranger anxiety normal?\n\nmy baby has a fever\nmy 4 year old is clingy\n"
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code, out, _ = run(capsys, "--json")
    answers = [json.loads(line) for line in out.splitlines()]
    assert code == 0
    assert [a["question"] for a in answers] == [
        "is stranger anxiety normal?",
        "my baby has a fever",
        "my 4 year old is clingy",
    ]
    assert answers[0]["in_scope"] is True
    assert answers[0]["age_months"] is None
    assert answers[0]["items"][0]["id"] == "sa-7-18-stranger-anxiety"
    assert answers[1]["in_scope"] is False
    assert answers[1]["items"] == []
    assert answers[1]["bands"] == []
    assert answers[2]["in_scope"] is False
    assert answers[2]["age_months"] == 48


def test_plain_output_is_what_a_parent_reads(capsys):
    code, out, _ = run(capsys, "--birthdate", "2026-01-29", "--today", "2026-11-29", "is he clingy?")
    assert code == 0
    assert out.startswith("Common patterns at 10 months, not a checklist")
    assert "<b>" not in out
    assert "every child develops at their own pace" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--birthdate", "31/02/2026"], "--birthdate: “31/02/2026” isn't a real date"),
        (["--birthdate", "soon"], "--birthdate: I couldn't read “soon” as a date"),
        (["--birthdate", "03/04/2026"], "could mean more than one date"),
        (["--birthdate", "2027-01-01", "--today", "2026-11-29"], "is in the future"),
        (["--birthdate", "2026-03-01", "--due-date", "2026-02-01"], "should be after the birthdate"),
        (["--due-date", "2026-02-01"], "--due-date needs --birthdate"),
        (["--today", "yesterday-ish"], "--today: I couldn't read"),
    ],
)
def test_bad_dates_get_a_friendly_error_and_exit_2(capsys, argv, message):
    code, out, err = run(capsys, *argv, "hello")
    assert code == 2
    assert out == ""
    assert message in err
    assert "Traceback" not in err


def test_json_names_distress_and_gives_the_same_reply_as_the_chat(capsys, monkeypatch):
    monkeypatch.setenv("CRISIS_SUPPORT_TEXT", "Samaritans: 116 123")
    monkeypatch.setenv("EMERGENCY_NUMBER", "999")
    monkeypatch.setattr(
        "sys.stdin", io.StringIO("I want to hurt myself\nhe's not breathing\ni feel depressed\n")
    )
    code, out, _ = run(capsys, "--json")
    crisis, emergency, wellbeing = (json.loads(line) for line in out.splitlines())
    assert code == 0
    assert [crisis["safety"], emergency["safety"], wellbeing["safety"]] == [
        "crisis",
        "emergency",
        "wellbeing",
    ]
    assert "Samaritans: 116 123" in crisis["text"]
    assert crisis["items"] == []
    assert emergency["text"].startswith("Call 999 now.")
    assert wellbeing["items"][0]["id"] == "sa-bg-good-enough"
    assert "child's doctor" not in wellbeing["text"]
    _, out, _ = run(capsys, "--json", "is", "stranger", "anxiety", "normal?")
    assert json.loads(out)["safety"] is None
