"""toolkit/project/workers.py: a list's second half done in a forked child, and fewer GC passes."""

from __future__ import annotations

import gc
import os

import pytest

from toolkit.project import workers
from toolkit.project.collect import fewer_collections

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork (not on Windows)")


@pytest.fixture(autouse=True)
def _idle_machine(monkeypatch):
    """Fork whatever the machine's load (split_in_two holds back on a busy one)."""
    monkeypatch.setattr(workers, "spare_core", lambda: (os.cpu_count() or 1) >= 2)


def test_a_busy_machine_does_the_work_in_one_process(monkeypatch):
    monkeypatch.setattr(workers, "SPLIT_FROM", 2)
    monkeypatch.setattr(workers, "spare_core", lambda: False)
    assert {pid for _, pid in workers.split_in_two(list(range(10)), _pids)} == {os.getpid()}


def _pids(items):
    return [(item * 2, os.getpid()) for item in items]


def test_the_second_half_is_done_in_a_child_and_the_results_keep_their_order(monkeypatch):
    monkeypatch.setattr(workers, "SPLIT_FROM", 2)
    if not workers.can_split(10):
        pytest.skip("one core: split_in_two works in the process alone")
    results = workers.split_in_two(list(range(10)), _pids)
    assert [value for value, _ in results] == [n * 2 for n in range(10)]
    assert {pid for _, pid in results[:5]} == {os.getpid()}
    assert {pid for _, pid in results[5:]} not in ({os.getpid()}, set())


def test_small_lists_stay_in_the_process():
    results = workers.split_in_two([1, 2, 3], _pids)
    assert results == [(2, os.getpid()), (4, os.getpid()), (6, os.getpid())]


def test_a_failing_half_raises_in_the_parent_and_the_other_half_is_undone(monkeypatch, tmp_path):
    """Work that leaves files behind: the half that succeeded is undone when the other fails."""
    monkeypatch.setattr(workers, "SPLIT_FROM", 2)
    if not workers.can_split(4):
        pytest.skip("one core")

    def work(items):
        if 3 in items:
            raise ValueError("item 3 is bad")
        paths = [tmp_path / f"{item}.part" for item in items]
        for path in paths:
            path.write_text("x")
        return [str(p) for p in paths]

    def undo(results):
        for path in results:
            os.unlink(path)

    with pytest.raises(ValueError, match="item 3 is bad"):      # 3 is in the child's half
        workers.split_in_two([0, 1, 2, 3], work, undo)
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(ValueError, match="item 3 is bad"):      # now in the parent's
        workers.split_in_two([3, 4, 5, 6], work, undo)
    assert list(tmp_path.iterdir()) == []


def test_fewer_collections_restores_the_thresholds():
    before = gc.get_threshold()
    with fewer_collections():
        assert gc.get_threshold()[0] == 50_000
        assert gc.get_freeze_count() > 0
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0
