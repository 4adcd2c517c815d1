"""The content library: the real seed loads completely, and broken files fail with a clear message."""

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from bot.cli import main
from content import ContentError, Kind, load_library
from content.library import MAX_PARENT_ITEM_CHARS, TOPICS_DIR

SEED = TOPICS_DIR / "secure-attachment.yaml"

SEED_INDICATORS = [
    "Establishes, maintains, and disengages eye contact",
    "Responds to caregiver(s) by smiling and cooing",
    "Seeks comfort from a familiar caregiver",
    "Imitates familiar adults' gestures and sounds",
    "Demonstrates preference for familiar adults",
    "Exhibits separation anxiety, e.g., does not want to be held by another person when being held by primary caregiver",
    "Distinguishes between primary caregivers and others",
    "Attempts to change the situation when separation anxiety occurs, e.g., follows caregiver(s) when he or she leaves the room",
    "Uses social referencing with caregiver(s) when in uncertain situations, e.g., will glance at caregiver's face for cues on how to respond to an unfamiliar person or new situation",
    'Uses key adults as a "secure base" when exploring the environment',
    "Exhibits stranger anxiety and concern in presence of an unknown person or a new situation",
    "Seeks comfort from caregiver(s) and/or a familiar object, e.g., blanket, stuffed animal",
    "Initiates and maintains interactions with caregiver(s)",
    "Shows an emotional connection with familiar adults other than the primary caregiver",
    'Uses imitation and pretend play to make sense of relationships, e.g., uses a toy to "brush" hair, or feeds and rocks a doll',
    "Plays physically farther away from primary caregiver with increasing confidence; moves closer as needed",
    "Seeks physical closeness when distressed",
    "Actively seeks emotional responses from caregiver(s) by waving, hugging, and crying",
    "Uses glances and words to stay connected, without having to be physically near or touching the caregiver",
    "Initiates activities that are meaningful in the relationship, e.g., brings over a favorite book to be read together",
    "Communicates thoughts, feelings, and plans to familiar adults",
    "Seeks adult assistance with challenges",
    "Separates with assistance from attachment figure with minimal anxiety",
]

SEED_STRATEGIES = [
    "Provide prompt, responsive, and sensitive care to the child's needs",
    "Hold, cuddle, smile, and interact with the child",
    "Follow the child's cues; allow the child to socially disengage when ready",
    "Provide a loving and nurturing environment with trustworthy adults, and assign a primary caregiver to consistently take care of the child's needs",
    "Talk and sing to the child often; use opportunities such as diaper changes and feeding time",
    "Comfort and reassure the child as needed",
    "Follow the child's lead and read the child's cues when engaged in interactions",
    "When separating from a child, gesture and say good-bye, reassuring the child that you will be returning; in childcare settings, comfort and reassure the child once the primary caregiver has left",
    "When reuniting with a child after separation has occurred, allow the child the necessary time to reconnect",
    "Comfort and acknowledge the child's feelings of distress; provide words for the emotions the toddler is exhibiting",
    "Set appropriate and consistent limits; ensure to take realistic expectations into account",
    "Provide ample opportunities for play and interaction with nurturing adults",
    "Be physically and emotionally available for the child, especially after reuniting after a separation has occurred",
    "Respond to the child's attempts to seek out a response, e.g., blow a kiss back after the child blows a kiss",
    "Model appropriate behaviors, e.g., how to emotionally react in situations, how to speak to peers",
    "Show empathy and acknowledge how the child is feeling",
    "Genuinely praise the child as he or she shares accomplishments",
    "Respond with interest as the child engages in conversation",
    "Recognize and respond to the child's verbal and nonverbal communications",
    "Prepare the child for separation by telling him or her good-bye and that you will return",
]


def test_seed_is_complete():
    library = load_library()
    (topic,) = library.topics
    assert [(b.first_month, b.last_month) for b in topic.bands] == [(0, 9), (7, 18), (16, 24), (21, 36)]
    indicators = [i.text for b in topic.bands for i in b.indicators]
    strategies = [s.text for b in topic.bands for s in b.strategies]
    assert indicators == SEED_INDICATORS
    assert strategies == SEED_STRATEGIES
    assert len(topic.background) >= 8
    assert all(item.kind is Kind.BACKGROUND and item.title for item in topic.background)
    assert any("Bettelheim" in r.text for r in topic.references)
    assert not any("Bettleheim" in r.text for r in topic.references)


def test_bands_at_overlaps_and_edges():
    library = load_library()

    def ids(months: int) -> list[str]:
        return [b.id for b in library.bands_at(months)]

    assert ids(0) == ["sa-band-0-9"]
    assert ids(8) == ["sa-band-0-9", "sa-band-7-18"]
    assert ids(10) == ["sa-band-7-18"]
    assert ids(36) == ["sa-band-21-36"]
    assert ids(37) == []


def test_items_are_immutable_and_found_by_id():
    library = load_library()
    item = library.item("sa-7-18-stranger-anxiety")
    assert item is not None
    assert item.kind is Kind.INDICATOR
    assert item.band_id == "sa-band-7-18"
    with pytest.raises(AttributeError):
        item.text = "changed"  # type: ignore[misc]


def _broken(tmp_path: Path, mutate) -> Path:
    data = yaml.safe_load(SEED.read_text(encoding="utf-8"))
    mutate(data)
    (tmp_path / "topic.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    return tmp_path


def _dup_id(d):
    d["bands"][1]["strategies"][0]["id"] = d["bands"][0]["strategies"][0]["id"]


def _last_before_first(d):
    d["bands"][2]["last_month"] = 10


def _empty_text(d):
    d["bands"][1]["indicators"][2]["text"] = "   "


def _missing_text(d):
    del d["background"][0]["text"]


def _missing_parent(d):
    del d["bands"][0]["strategies"][1]["parent"]


def _long_parent(d):
    d["bands"][3]["indicators"][0]["parent"] = "You may notice " + "a" * 200


def _unknown_key(d):
    d["bands"][0]["strategys"] = []


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (_dup_id, "duplicate id 'sa-0-9-responsive-care'"),
        (
            _last_before_first,
            "bands[2] (sa-band-16-24): Value error, last_month (10) is before first_month (16)",
        ),
        (_empty_text, "bands[1] (sa-band-7-18).indicators[2] (sa-7-18-social-referencing).text"),
        (_missing_text, "background[0] (sa-bg-foundation).text: Field required"),
        (_unknown_key, "bands[0] (sa-band-0-9).strategys: Extra inputs are not permitted"),
        (_missing_parent, "bands[0] (sa-band-0-9).strategies[1] (sa-0-9-hold-cuddle).parent: Field required"),
        (
            _long_parent,
            "bands[3] (sa-band-21-36).indicators[0] (sa-21-36-glances-words).parent: "
            f"String should have at most {MAX_PARENT_ITEM_CHARS} characters",
        ),
    ],
)
def test_broken_content_is_rejected_with_file_and_entry(tmp_path, mutate, expected):
    directory = _broken(tmp_path, mutate)
    with pytest.raises(ContentError) as info:
        load_library(directory)
    message = str(info.value)
    assert str(directory / "topic.yaml") in message
    assert expected in message


def test_second_topic_is_just_a_file(tmp_path):
    data = yaml.safe_load(SEED.read_text(encoding="utf-8"))
    (tmp_path / "a.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    renamed = yaml.safe_dump(data).replace("sa-", "xx-").replace("id: secure-attachment", "id: other-topic")
    (tmp_path / "b.yaml").write_text(renamed, encoding="utf-8")
    library = load_library(tmp_path)
    assert [t.id for t in library.topics] == ["secure-attachment", "other-topic"]
    assert len(library.bands_at(8)) == 4


def test_ids_must_be_unique_across_topics(tmp_path):
    text = SEED.read_text(encoding="utf-8")
    (tmp_path / "a.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(text.replace("id: secure-attachment", "id: copy"), encoding="utf-8")
    with pytest.raises(
        ContentError, match=r"b\.yaml: duplicate id 'sa-band-0-9' \(already used in a\.yaml\)"
    ):
        load_library(tmp_path)


def test_content_check_command_reports_the_seed(capsys):
    assert main(["content", "check"]) == 0
    out = capsys.readouterr().out
    assert "secure-attachment: 4 bands, 23 indicators, 20 strategies" in out
    assert "lexicon: " in out
    assert "ok: 1 topic(s)" in out


# Parents read British English throughout; these American forms (and the guidance's third-person wording)
# must not reach them.
AMERICAN = re.compile(
    r"\b(diapers?|favorites?|behaviors?|colors?|recogniz\w*|realiz\w*|organiz\w*|"
    r"moms?|mommy|good-bye|stuffed animals?|pacifiers?|daycare|pediatrician)\b",
    re.IGNORECASE,
)
SEED_VOICE = re.compile(r"\b(the child|the toddler|he or she|him or her|caregiver\(s\))\b", re.IGNORECASE)


def _parent_texts() -> Iterator[tuple[str, str]]:
    library = load_library()
    for topic in library.topics:
        for band in topic.bands:
            yield band.id, band.parent
        for item in topic.items():
            yield item.id, item.parent


def test_every_idea_has_parent_text_in_one_voice() -> None:
    library = load_library()
    for item in library.items():
        assert item.parent.strip(), item.id
        assert item.parent != item.text, item.id
        if item.kind is Kind.INDICATOR:
            # Framed as a common pattern the parent may notice, not a checklist.
            assert re.match(r"You may notice your (baby|toddler|child) ", item.parent), item.id
        else:
            assert not item.parent.startswith("You may notice"), item.id
            assert re.search(r"\b(you|your)\b", item.parent, re.IGNORECASE) or item.kind is Kind.BACKGROUND
        if item.kind is Kind.STRATEGY:
            assert re.search(r"\byour (baby|toddler|child)\b", item.parent), item.id
        if item.kind is Kind.BACKGROUND:  # a title parents read, not a heading's echo ("Why it matters: Why")
            assert item.title, item.id
            assert not item.title.lower().startswith("why"), item.id
            assert not AMERICAN.search(item.title), item.id
    for band in library.bands:
        assert band.parent.startswith("Your "), band.id
    for item_id, text in _parent_texts():
        assert not AMERICAN.search(text), (item_id, text)
        assert not SEED_VOICE.search(text), (item_id, text)
        assert text.endswith((".", "”")) or item_id.startswith("sa-bg"), (item_id, text)


# Words of a manual for childcare staff: a parent reads about "your baby" and "you", not about a setting.
STAFF_WORDS = re.compile(
    r"\b(practitioners?|key (?:person|people|adults?|workers?)|settings?|staff|providers?|educators?|"
    r"classrooms?|programs?|programmes?|the (?:child|children|infant|toddler)|assign\w*|primary caregivers?)\b",
    re.IGNORECASE,
)


def test_every_strategy_has_parent_words_and_none_reads_like_a_staff_manual() -> None:
    """What a parent reads (strategies, what they may notice, background, stage summaries) is written for
    them; the guidance's own wording stays as the source (``text``), which does use these words."""
    library = load_library()
    strategies = [item for item in library.items() if item.kind is Kind.STRATEGY]
    assert strategies
    assert all(item.parent.strip() and item.parent != item.text for item in strategies)
    assert any(STAFF_WORDS.search(item.text) for item in library.items())  # the check can see them
    for item_id, text in _parent_texts():
        assert not STAFF_WORDS.search(text), (item_id, text)
    for band in library.bands:
        assert not STAFF_WORDS.search(band.label), band.id


def test_the_guidance_wording_stays_as_the_source() -> None:
    """The seed's words are kept as ``text``; the parent's words say the same in British spelling."""
    library = load_library()
    talk = library.item("sa-7-18-talk-sing")
    assert talk is not None
    assert "diaper changes" in talk.text
    assert "nappy changes" in talk.parent
    goodbye = library.item("sa-7-18-say-goodbye")
    assert goodbye is not None
    assert "in childcare settings" in goodbye.text
    assert "In childcare, look for a caregiver who comforts and reassures your baby" in goodbye.parent


def _string_literals(path: Path) -> Iterator[str]:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.value


def test_the_bots_own_wording_uses_the_same_spelling() -> None:
    root = Path(__file__).resolve().parents[1] / "bot"
    found = [
        (path.name, match.group(0))
        for path in sorted(root.rglob("*.py"))
        for literal in _string_literals(path)
        for match in [AMERICAN.search(literal)]
        if match
    ]
    assert found == []
