"""Readying the bot process: the question index is built before the first question, the heap frozen."""

import gc

from bot.app.warm import ready_for_serving
from bot.core import retrieval, timezones
from content import default_library


def test_the_index_is_built_up_front_and_the_startup_heap_is_frozen() -> None:
    library = default_library()
    earlier = retrieval._INDEXES.pop(id(library), None)
    try:
        ready_for_serving()
        assert gc.get_freeze_count() > 0
        assert timezones._gazetteer.cache_info().currsize == 1
        assert id(library) in retrieval._INDEXES
        assert retrieval.index_for(library) is retrieval._INDEXES[id(library)][2]
    finally:
        gc.unfreeze()
        if earlier is not None:  # other tests hold on to the index built before
            retrieval._INDEXES[id(library)] = earlier
