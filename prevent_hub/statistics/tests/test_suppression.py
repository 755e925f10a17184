"""Small-number suppression, proven by brute force: for every table of a few
cells, everything a reader can see (the total, which is published elsewhere,
and the cells) is matched against every other table that would be published
the same way by the same rules. A hidden cell is safe only if those tables
give it at least two different values: then no arithmetic on the published
figures, and no knowledge of the rules, can recover it."""

import itertools

import pytest

from prevent_hub.statistics.suppression import SUPPRESSED, figure, partition_suppress

UP_TO = 4


def published(counts):
    cells = partition_suppress(dict(enumerate(counts)), up_to=UP_TO)
    return figure(sum(counts), up_to=UP_TO), tuple(cells.values())


def tables(cells, largest):
    return itertools.product(range(largest + 1), repeat=cells)


@pytest.mark.parametrize("cells,largest", [(2, 20), (3, 14), (4, 10), (5, 7)])
def test_no_hidden_cell_can_be_worked_out_from_what_is_published(cells, largest):
    seen = {}
    for counts in tables(cells, largest):
        seen.setdefault(published(counts), []).append(counts)
    for (total, shown), alike in seen.items():
        for position, value in enumerate(shown):
            if value == SUPPRESSED:
                values = {counts[position] for counts in alike}
                assert len(values) >= 2, (total, shown, alike)


def test_small_counts_are_hidden_and_zero_and_large_counts_shown():
    assert partition_suppress({"a": 0, "b": 30, "c": 2, "d": 3}, up_to=UP_TO) == {
        "a": 0, "b": 30, "c": SUPPRESSED, "d": SUPPRESSED}


def test_one_hidden_cell_hides_the_next_smallest_too():
    assert partition_suppress({"a": 2, "b": 50, "c": 48}, up_to=UP_TO) == {
        "a": SUPPRESSED, "b": 50, "c": SUPPRESSED}


def test_hidden_cells_that_could_only_be_ones_hide_another():
    cells = partition_suppress({"a": 1, "b": 1, "c": 20, "d": 9}, up_to=UP_TO)
    assert cells == {"a": SUPPRESSED, "b": SUPPRESSED, "c": 20, "d": SUPPRESSED}


def test_hidden_cells_that_could_only_be_the_largest_small_number_hide_another():
    cells = partition_suppress({"a": 4, "b": 4, "c": 20, "d": 9}, up_to=UP_TO)
    assert cells == {"a": SUPPRESSED, "b": SUPPRESSED, "c": 20, "d": SUPPRESSED}


def test_the_threshold_is_the_councils_to_choose(settings):
    settings.STATISTICS_SUPPRESS_UP_TO = 9
    assert figure(9) == SUPPRESSED and figure(10) == 10
    assert partition_suppress({"a": 7, "b": 7, "c": 30}) == {"a": SUPPRESSED, "b": SUPPRESSED, "c": 30}


def test_a_small_total_is_hidden_with_its_cells():
    assert figure(3, up_to=UP_TO) == SUPPRESSED
    assert partition_suppress({"a": 3, "b": 0}, up_to=UP_TO) == {"a": SUPPRESSED, "b": SUPPRESSED}


@pytest.mark.parametrize("seed", range(200))
def test_larger_breakdowns_never_leave_a_hidden_cell_pinned_by_the_total(seed):
    import random

    rng = random.Random(seed)
    counts = {f"c{i}": rng.choice([0, 0, 1, 2, 3, 4, 5, rng.randint(0, 60)])
              for i in range(rng.randint(6, 12))}
    cells = partition_suppress(counts, up_to=UP_TO)
    hidden = [counts[code] for code, value in cells.items() if value == SUPPRESSED]
    assert not any(value != SUPPRESSED and 1 <= value <= UP_TO for value in cells.values())
    if hidden and len(hidden) < len(cells):
        assert len(hidden) >= 2
        assert sum(hidden) not in (len(hidden), len(hidden) * UP_TO)
