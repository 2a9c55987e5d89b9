"""Disclosure control: small counts hidden, and no hidden cell can be worked out."""

from hypothesis import given, settings
from hypothesis import strategies as st

from followup.suppression import HIDDEN, SMALL, Grid, inferable, protect


def table(cells: list[list[int]]) -> Grid:
    """A table with row totals, column totals and a grand total, as published."""
    grid = Grid()
    rows, cols = len(cells), len(cells[0])
    for r in range(rows):
        for c in range(cols):
            grid.add(("cell", r, c), cells[r][c])
        grid.add(("row", r), sum(cells[r]))
        grid.add_line([("cell", r, c) for c in range(cols)], ("row", r))
    for c in range(cols):
        grid.add(("col", c), sum(cells[r][c] for r in range(rows)))
        grid.add_line([("cell", r, c) for r in range(rows)], ("col", c))
    grid.add("grand", sum(map(sum, cells)))
    grid.add_line([("row", r) for r in range(rows)], "grand")
    grid.add_line([("col", c) for c in range(cols)], "grand")
    return grid


def attacker(grid: Grid, shown: dict) -> dict:
    """What a reader recovers by substitution: a line with one unknown gives it away."""
    known = dict(shown)
    progress = True
    while progress:
        progress = False
        for members, total in grid.lines:
            unknown = [p for p in (*members, total) if p not in known]
            if len(unknown) != 1:
                continue
            missing = unknown[0]
            if missing == total:
                known[missing] = sum(known[m] for m in members)
            else:
                known[missing] = known[total] - sum(known[m] for m in members if m != missing)
            progress = True
    return known


def test_small_counts_show_as_less_than_five():
    result = protect(table([[3, 40], [50, 60]]))
    assert result.text(("cell", 0, 0)) == SMALL
    # The row total 43 and the column total 53 would give the 3 back: the next
    # smallest in the row and in the column are hidden too.
    assert result.text(("cell", 0, 1)) == HIDDEN
    assert result.text(("cell", 1, 0)) == HIDDEN
    assert result.text(("cell", 1, 1)) == HIDDEN
    assert result.text(("row", 0)) == "43"


def test_a_table_without_small_counts_is_shown_whole():
    result = protect(table([[10, 40], [50, 60]]))
    assert result.hidden == frozenset()


def test_zeros_are_shown_and_not_chosen_to_protect_a_cell():
    result = protect(table([[2, 0, 30], [8, 9, 10]]))
    assert result.text(("cell", 0, 1)) == "0"
    assert result.text(("cell", 0, 2)) == HIDDEN


def test_a_zero_next_to_a_small_count_does_not_give_it_away():
    # Row 0: 3 and 0, total 3. Hiding the 0 would not help: a ".." is 0 or ≥ 5,
    # so with a total of 3 it must be 0 and the "<5" is 3. The total goes too.
    grid = table([[3, 0], [20, 30]])
    result = protect(grid)
    assert result.text(("cell", 0, 0)) == SMALL
    assert ("cell", 0, 0) not in inferable(grid, result.small, result.hidden)
    assert ("cell", 0, 0) not in attacker(grid, _shown(grid, result))


def test_linked_tables_hide_the_shared_figure_everywhere():
    """The number in KAA is a count of its own and the denominator of a share."""
    grid = Grid()
    in_kaa = {"A": 3, "B": 120, "C": 90}
    reached = {"A": 1, "B": 80, "C": 70}
    for m in in_kaa:
        grid.add(("kaa_total", m), in_kaa[m])
        grid.add(("reached", m), reached[m])
    grid.add(("kaa_total", "all"), sum(in_kaa.values()))
    grid.add(("reached", "all"), sum(reached.values()))
    grid.add_line([("kaa_total", m) for m in in_kaa], ("kaa_total", "all"))
    grid.add_line([("reached", m) for m in in_kaa], ("reached", "all"))
    result = protect(grid)
    assert result.text(("kaa_total", "A")) == SMALL
    assert result.text(("kaa_total", "C")) == HIDDEN  # the next smallest
    assert result.text(("reached", "A")) == SMALL
    assert result.text(("reached", "C")) == HIDDEN
    assert not result.shows_share(("reached", "C"), ("kaa_total", "C"))
    assert result.shows_share(("reached", "B"), ("kaa_total", "B"))


def test_when_even_at_least_one_gives_counts_away_they_show_as_hidden():
    grid = table([[1, 1, 1, 1]])
    result = protect(grid)
    assert {result.text(("cell", 0, c)) for c in range(4)} == {HIDDEN}
    assert not {p for p in inferable(grid, result.small, result.hidden) if grid.values[p]}


def test_a_share_with_a_denominator_under_ten_is_not_shown():
    grid = Grid()
    grid.add("n", 6)
    grid.add("d", 9)
    assert not protect(grid).shows_share("n", "d")
    grid.values["d"] = 10
    assert protect(grid).shows_share("n", "d")


def _shown(grid: Grid, result) -> dict:
    return {p: v for p, v in grid.values.items() if result.shows(p)}


counts = st.one_of(st.integers(0, 6), st.integers(0, 200))


@settings(max_examples=300, deadline=None)
@given(
    st.integers(1, 6).flatmap(
        lambda rows: st.integers(1, 5).flatmap(
            lambda cols: st.lists(
                st.lists(counts, min_size=cols, max_size=cols), min_size=rows, max_size=rows
            )
        )
    )
)
def test_no_hidden_cell_can_be_worked_out(cells):
    grid = table(cells)
    result = protect(grid)

    # Every count from 1 to 4 is hidden, and shows as "<5" (or "..", where even
    # "at least 1" would give it away, as in a row of four 1s totalling 4).
    for position, value in grid.values.items():
        if 1 <= value <= 4:
            assert result.text(position) in (SMALL, HIDDEN)
        elif result.shows(position):
            assert result.text(position) == str(value)
    # No line has exactly one hidden cell.
    for members, total in grid.lines:
        assert sum(not result.shows(p) for p in (*members, total)) != 1
    # Substitution gives no hidden count back, nor does bound propagation. (A hidden
    # zero may be worked out: zeros are published anyway.)
    recovered = attacker(grid, _shown(grid, result))
    assert not {p for p in set(recovered) & result.hidden if grid.values[p]}
    assert not {p for p in inferable(grid, result.small, result.hidden) if grid.values[p]}
