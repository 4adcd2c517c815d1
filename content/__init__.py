"""The content library: topics, age bands, indicators, strategies and background, as validated data."""

from content.library import (
    Band,
    ContentError,
    Item,
    Kind,
    Library,
    Reference,
    Topic,
    default_library,
    load_library,
    load_topic,
)

__all__ = [
    "Band",
    "ContentError",
    "Item",
    "Kind",
    "Library",
    "Reference",
    "Topic",
    "default_library",
    "load_library",
    "load_topic",
]
