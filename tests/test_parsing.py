"""Which listed seeds a build reads: changed, still being written, gone."""

from __future__ import annotations

from seedfeed.model import SeedFile
from seedfeed.parsing import candidates
from seedfeed.scan import Listed

NOW = 1_800_000_000.0


def listed(name: str, age: float, size: int = 10) -> Listed:
    return Listed(name, size, int((NOW - age) * 1e9))


def test_a_fresh_file_waits_unless_the_file_system_said_it_is_complete() -> None:
    items = [listed("old.txt", 60), listed("fresh.txt", 0.2), listed("closed.txt", 0.2)]
    todo = candidates(items, {}, NOW, 1.0, False, {"closed.txt": NOW - 0.1})
    assert [i.name for i in todo.changed] == ["old.txt", "closed.txt"]
    assert todo.pending == ["fresh.txt"]


def test_a_write_after_the_close_waits_again() -> None:
    todo = candidates([listed("a.txt", 0.1)], {}, NOW, 1.0, False, {"a.txt": NOW - 0.5})
    assert todo.pending == ["a.txt"]


def test_unchanged_files_are_not_read_and_gone_ones_wait_for_pending_renames() -> None:
    item = listed("same.txt", 60)
    known = {"same.txt": SeedFile("same.txt", item.size, item.mtime_ns, "x"),
             "gone.txt": SeedFile("gone.txt", 1, 1, "y")}
    todo = candidates([item], known, NOW, 1.0, False)
    assert (todo.changed, todo.pending, todo.gone) == ([], [], ["gone.txt"])
    todo = candidates([item, listed("new.txt", 0.1)], known, NOW, 1.0, False)
    assert todo.gone == []  # new.txt may be gone.txt renamed: decided once it has settled
    assert [i.name for i in candidates([item], known, NOW, 1.0, True).changed] == ["same.txt"]
