"""The server process's garbage collector settings (samen/core/runtime.py)."""
from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from samen.core.runtime import tune_garbage_collector


@pytest.fixture
def restored() -> Iterator[None]:
    """Put the collector back as it was after the test."""
    before = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*before)


def test_start_up_objects_are_frozen_and_young_garbage_is_collected_in_larger_batches(restored):
    assert tune_garbage_collector(None) == (10000, 20, 20)
    assert gc.get_freeze_count() > 10000  # the modules and everything start-up made
    assert gc.get_threshold() == (10000, 20, 20)


def test_the_thresholds_come_from_the_setting(restored):
    assert tune_garbage_collector(" 5000,10,30 ") == (5000, 10, 30)


def test_default_keeps_pythons_thresholds(restored):
    gc.set_threshold(700, 10, 10)
    assert tune_garbage_collector("default") == (700, 10, 10)
    assert gc.get_freeze_count() > 0


@pytest.mark.parametrize("setting", ["10000,20", "a,b,c", "0,10,10", "10000,-1,10", "10000,20,20,20"])
def test_a_bad_setting_is_refused(restored, setting):
    with pytest.raises(ValueError, match="GC_THRESHOLD"):
        tune_garbage_collector(setting)


def test_cycles_made_after_start_up_are_still_collected(restored):
    import weakref

    tune_garbage_collector(None)

    class Node:
        pass

    node = Node()
    node.self = node  # a cycle: only the cyclic collector frees it
    alive = weakref.ref(node)
    del node
    gc.collect()
    assert alive() is None
