"""Load and validate the topic files in ``content/topics``.

Content is data so that a new topic is a new file, not a code change. Everything is validated on load
and returned as frozen objects, so a typo in a YAML file fails loudly at start-up instead of reaching a
parent as a half-rendered tip.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, ConfigDict, StringConstraints, ValidationError, model_validator

TOPICS_DIR = Path(__file__).resolve().parent / "topics"

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
# Parent-facing wording has a ceiling so that a tip stays phone-sized: one idea and one companion fit in a
# few lines. Strategies and indicators are a sentence or two; background snippets and stage summaries a short
# paragraph.
MAX_PARENT_ITEM_CHARS = 180
MAX_PARENT_PARAGRAPH_CHARS = 280
ParentItemText = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_PARENT_ITEM_CHARS)
]
ParentParagraph = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_PARENT_PARAGRAPH_CHARS)
]
ItemId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=64)]


class ContentError(ValueError):
    """A topic file is malformed; the message names the file and the offending entry."""


class Kind(StrEnum):
    INDICATOR = "indicator"
    STRATEGY = "strategy"
    BACKGROUND = "background"


@dataclass(frozen=True, slots=True)
class Item:
    """One indicator, strategy or background snippet: the unit a tip or an answer is made of.

    ``text`` is the guidance's own wording, kept as the source; ``parent`` says the same to a parent (addressed
    to "you", plain, one spelling standard) and is what a parent reads.
    """

    id: str
    kind: Kind
    text: str
    topic_id: str
    band_id: str | None = None
    title: str | None = None
    parent: str = field(kw_only=True)


@dataclass(frozen=True, slots=True)
class Band:
    id: str
    topic_id: str
    first_month: int
    last_month: int
    label: str
    summary: str
    indicators: tuple[Item, ...]
    strategies: tuple[Item, ...]
    # The summary as a parent reads it (``summary`` is the guidance's wording).
    parent: str = field(kw_only=True)

    def contains(self, months: int) -> bool:
        """Both ends inclusive, in completed months."""
        return self.first_month <= months <= self.last_month


@dataclass(frozen=True, slots=True)
class Reference:
    id: str
    text: str


@dataclass(frozen=True, slots=True)
class Topic:
    id: str
    title: str
    summary: str
    source: str
    reviewed: int
    background: tuple[Item, ...]
    bands: tuple[Band, ...]
    references: tuple[Reference, ...]

    def items(self) -> Iterator[Item]:
        yield from self.background
        for band in self.bands:
            yield from band.indicators
            yield from band.strategies


@dataclass(frozen=True)
class Library:
    """All topics, with lookups by id."""

    topics: tuple[Topic, ...]
    _items: dict[str, Item] = field(init=False, repr=False, compare=False)
    _bands: dict[str, Band] = field(init=False, repr=False, compare=False)
    # Worked out once: a dispatch pass asks for them for every child (sorting them each time showed in a
    # profile of the claim).
    _sorted: tuple[Band, ...] = field(init=False, repr=False, compare=False)
    _at_month: dict[int, tuple[Band, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        items: dict[str, Item] = {}
        bands: dict[str, Band] = {}
        for topic in self.topics:
            for band in topic.bands:
                bands[band.id] = band
            for item in topic.items():
                items[item.id] = item
        object.__setattr__(self, "_items", items)
        object.__setattr__(self, "_bands", bands)
        ordered = tuple(sorted(bands.values(), key=lambda b: (b.first_month, b.last_month, b.id)))
        object.__setattr__(self, "_sorted", ordered)
        object.__setattr__(self, "_at_month", {})

    @property
    def bands(self) -> tuple[Band, ...]:
        """Every band of every topic, youngest first."""
        return self._sorted

    def items(self) -> Iterator[Item]:
        return iter(self._items.values())

    def item(self, item_id: str) -> Item | None:
        return self._items.get(item_id)

    def band(self, band_id: str) -> Band | None:
        return self._bands.get(band_id)

    def bands_at(self, months: int) -> tuple[Band, ...]:
        """Bands containing an age in completed months; overlaps give more than one."""
        found = self._at_month.get(months)
        if found is None:
            found = self._at_month[months] = tuple(b for b in self._sorted if b.contains(months))
        return found


# --- the file schema (pydantic only checks the shape; the public objects are the dataclasses above) ---


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _ReferenceSpec(_Strict):
    id: ItemId
    text: Text


class _ItemSpec(_Strict):
    id: ItemId
    text: Text
    parent: ParentItemText


class _BackgroundSpec(_Strict):
    id: ItemId
    title: Text
    text: Text
    parent: ParentParagraph


class _BandSpec(_Strict):
    id: ItemId
    first_month: int
    last_month: int
    label: Text
    summary: Text
    parent: ParentParagraph
    indicators: list[_ItemSpec]
    strategies: list[_ItemSpec]

    @model_validator(mode="after")
    def _months_in_order(self) -> _BandSpec:
        if self.first_month < 0:
            raise ValueError(f"first_month must be 0 or more, got {self.first_month}")
        if self.last_month < self.first_month:
            raise ValueError(f"last_month ({self.last_month}) is before first_month ({self.first_month})")
        if not self.indicators or not self.strategies:
            raise ValueError("a band needs at least one indicator and one strategy")
        return self


class _TopicSpec(_Strict):
    id: ItemId
    title: Text
    summary: Text
    source: Text
    reviewed: int
    background: list[_BackgroundSpec]
    bands: list[_BandSpec]
    references: list[_ReferenceSpec] = []


def describe_location(raw: Any, loc: Sequence[int | str]) -> str:
    """Turn a pydantic location into a path that names entries by their id, e.g. bands[1] (sa-band-7-18)."""
    parts: list[str] = []
    node = raw
    for key in loc:
        if isinstance(key, int) and isinstance(node, list):
            node = node[key] if 0 <= key < len(node) else None
            label = f"[{key}]"
            if isinstance(node, dict) and isinstance(node.get("id"), str):
                label += f" ({node['id']})"
            parts.append(label)
        else:
            node = node.get(key) if isinstance(node, dict) else None
            parts.append(("." if parts else "") + str(key))
    return "".join(parts) or "(top level)"


def _parse(path: Path) -> _TopicSpec:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ContentError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(raw, dict):
        raise ContentError(f"{path}: a topic file must be a mapping with id, title, bands, ...")
    try:
        return _TopicSpec.model_validate(raw)
    except ValidationError as exc:
        problems = [f"{describe_location(raw, err['loc'])}: {err['msg']}" for err in exc.errors()]
        raise ContentError(f"{path}: " + "; ".join(problems)) from None


def _build(spec: _TopicSpec) -> Topic:
    tid = spec.id
    background = tuple(
        Item(b.id, Kind.BACKGROUND, b.text, tid, title=b.title, parent=b.parent) for b in spec.background
    )
    bands = tuple(
        Band(
            id=b.id,
            topic_id=tid,
            first_month=b.first_month,
            last_month=b.last_month,
            label=b.label,
            summary=b.summary,
            parent=b.parent,
            indicators=tuple(
                Item(i.id, Kind.INDICATOR, i.text, tid, band_id=b.id, parent=i.parent) for i in b.indicators
            ),
            strategies=tuple(
                Item(s.id, Kind.STRATEGY, s.text, tid, band_id=b.id, parent=s.parent) for s in b.strategies
            ),
        )
        for b in spec.bands
    )
    references = tuple(Reference(r.id, r.text) for r in spec.references)
    return Topic(tid, spec.title, spec.summary, spec.source, spec.reviewed, background, bands, references)


def load_topic(path: Path) -> Topic:
    """Load one topic file, raising ContentError that names the file and the entry at fault."""
    topic = _build(_parse(path))
    seen: set[str] = {topic.id}
    ids = [b.id for b in topic.bands] + [i.id for i in topic.items()] + [r.id for r in topic.references]
    for item_id in ids:
        if item_id in seen:
            raise ContentError(f"{path}: duplicate id {item_id!r}")
        seen.add(item_id)
    return topic


def load_library(directory: Path = TOPICS_DIR) -> Library:
    """Load every ``*.yaml`` file in ``directory`` as a topic; ids must be unique across topics too."""
    paths = sorted(directory.glob("*.yaml"))
    if not paths:
        raise ContentError(f"{directory}: no topic files (*.yaml) found")
    topics: list[Topic] = []
    owner: dict[str, Path] = {}
    for path in paths:
        topic = load_topic(path)
        ids = [topic.id] + [b.id for b in topic.bands] + [i.id for i in topic.items()]
        for item_id in ids:
            if item_id in owner:
                raise ContentError(
                    f"{path}: duplicate id {item_id!r} (already used in {owner[item_id].name})"
                )
            owner[item_id] = path
        topics.append(topic)
    return Library(tuple(topics))


@cache
def default_library() -> Library:
    """The packaged content, loaded once per process."""
    return load_library()
