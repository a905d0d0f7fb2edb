"""Cell suppression (`homeward.lib.kanon.suppress`): what is withheld, and that it stays withheld.

A count under k is withheld; and because totals are published, enough neighbours are
withheld with it that subtraction gives nothing back.
"""

from __future__ import annotations

import itertools

from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from homeward.lib.kanon import Line, suppress
from homeward.stats.tests.disclosure import worked_out

K = 10


def relations(lines):
    return [(list(line.cells), line.total) for line in lines if line.total is not None]


def hidden(result):
    return {key for key, value in result.items() if value is None}


# --- one line -----------------------------------------------------------------------


def test_one_small_cell_in_a_line_with_a_total_takes_a_second_with_it():
    values = {"a": 3, "b": 20, "c": 30, "total": 53}
    line = Line(("a", "b", "c"), "total")

    result = suppress(values, [line], K)

    # total − b − c would give a back; so the smallest other cell goes too
    assert result == {"a": None, "b": None, "c": 30, "total": 53}
    assert worked_out(result, relations([line])) == {}


def test_two_small_cells_that_add_up_to_less_than_k_take_a_third():
    values = {"a": 2, "b": 3, "c": 20, "d": 40, "total": 65}
    line = Line(("a", "b", "c", "d"), "total")

    result = suppress(values, [line], K)

    # a + b = 5 would be known to be 5, which is under k: a third cell goes too
    assert hidden(result) == {"a", "b", "c"}
    assert result["d"] == 40
    assert result["total"] == 65


def test_two_small_cells_that_add_up_to_k_are_enough():
    values = {"a": 4, "b": 6, "c": 20, "total": 30}

    result = suppress(values, [Line(("a", "b", "c"), "total")], K)

    assert hidden(result) == {"a", "b"}


def test_a_line_of_large_cells_is_untouched():
    values = {"a": 10, "b": 11, "c": 250, "total": 271}

    assert suppress(values, [Line(("a", "b", "c"), "total")], K) == values


def test_cells_without_a_published_total_are_withheld_only_when_small():
    values = {"a": 3, "b": 20}

    assert suppress(values, [Line(("a", "b"), None)], K) == {"a": None, "b": 20}


def test_a_small_total_is_withheld_and_then_so_are_its_cells():
    values = {"a": 4, "b": 4, "total": 8}

    assert suppress(values, [Line(("a", "b"), "total")], K) == {"a": None, "b": None, "total": None}


def test_zero_counts_as_small():
    values = {"a": 0, "b": 15, "c": 15, "total": 30}

    result = suppress(values, [Line(("a", "b", "c"), "total")], K)

    assert result["a"] is None
    assert len(hidden(result)) == 2


def test_an_empty_line_is_withheld_and_the_audit_stops():
    """An empty line's total is 0 whatever is shown: withholding more cannot hide that,
    so the audit must not keep withholding (or fail) over it."""
    values = {"total": 0, "other": 25}

    result = suppress(values, [Line((), "total"), Line(("other",), None)], K)

    assert result == {"total": None, "other": 25}


def test_k_is_the_threshold_not_a_constant():
    values = {"a": 4, "b": 20, "c": 30, "total": 54}
    line = Line(("a", "b", "c"), "total")

    assert hidden(suppress(values, [line], 3)) == set()
    assert hidden(suppress(values, [line], 5)) == {"a", "b"}


# --- tables: totals of totals -------------------------------------------------------


def table(cells: dict[tuple[str, str], int]):
    """A two-way table with row totals, column totals and a grand total, as values and lines."""
    rows = sorted({r for r, _ in cells})
    cols = sorted({c for _, c in cells})
    values = dict(cells)
    for r in rows:
        values[("row", r)] = sum(cells[r, c] for c in cols)
    for c in cols:
        values[("col", c)] = sum(cells[r, c] for r in rows)
    values["grand"] = sum(cells.values())
    lines = [Line(tuple((r, c) for c in cols), ("row", r)) for r in rows]
    lines += [Line(tuple((r, c) for r in rows), ("col", c)) for c in cols]
    lines += [Line(tuple(("row", r) for r in rows), "grand"), Line(tuple(("col", c) for c in cols), "grand")]
    return values, lines


def test_the_grand_total_minus_the_other_rows_does_not_give_a_small_row_back():
    """Chapter A has 9, the others 30 and 40; the movement has 79."""
    values, lines = table({("A", "x"): 9, ("B", "x"): 30, ("C", "x"): 40})

    result = suppress(values, lines, K)

    assert result[("row", "A")] is None
    assert result["grand"] == 79
    # not computable: one more row total is withheld ...
    assert [result[("row", r)] for r in "BC"].count(None) >= 1
    # ... and cannot be rebuilt from its own cells either
    assert worked_out(result, relations(lines)) == {}


def test_a_withheld_row_total_is_not_rebuilt_from_its_cells():
    """B's total is withheld to protect A in the grand total; if both of B's cells stayed
    published, B = 15 + 15 and A = 79 − 30 − 40 = 9 again."""
    values, lines = table(
        {
            ("A", "x"): 9,
            ("A", "y"): 0,
            ("B", "x"): 15,
            ("B", "y"): 15,
            ("C", "x"): 20,
            ("C", "y"): 20,
        }
    )

    result = suppress(values, lines, K)

    assert result[("row", "A")] is None
    assert worked_out(result, relations(lines)) == {}
    for r in "BC":
        if result[("row", r)] is None:
            assert None in (result[(r, "x")], result[(r, "y")]), r


def two_breakdowns(rows: dict[str, tuple[dict[str, int], dict[str, int]]]):
    """Rows broken down two ways that share row totals (as the statistics break each
    chapter down by status and by month of mobilization), with column and grand totals."""
    names = sorted(rows)
    kinds = {"s": sorted({c for r in names for c in rows[r][0]}), "m": sorted({c for r in names for c in rows[r][1]})}
    values, lines = {}, []
    for r in names:
        values[("row", r)] = sum(rows[r][0].values())
        assert values[("row", r)] == sum(rows[r][1].values())
        for i, kind in enumerate(kinds):
            for c in kinds[kind]:
                values[(kind, r, c)] = rows[r][i].get(c, 0)
            lines.append(Line(tuple((kind, r, c) for c in kinds[kind]), ("row", r)))
    for kind, cols in kinds.items():
        for c in cols:
            values[(kind.upper(), c)] = sum(values[(kind, r, c)] for r in names)
            lines.append(Line(tuple((kind, r, c) for r in names), (kind.upper(), c)))
        lines.append(Line(tuple((kind.upper(), c) for c in cols), "grand"))
    values["grand"] = sum(values[("row", r)] for r in names)
    lines.append(Line(tuple(("row", r) for r in names), "grand"))
    return values, lines


def test_a_withheld_total_is_not_rebuilt_from_a_second_breakdown():
    """B has 2. A's total is withheld to protect B in the grand total; if A's months were
    both shown, A = 10 + 10 and B = 43 − 20 − 21 = 2."""
    values, lines = two_breakdowns(
        {
            "A": ({"x": 13, "y": 7}, {"p": 10, "q": 10}),
            "B": ({"x": 2}, {"p": 2}),
            "C": ({"x": 12, "y": 9}, {"p": 9, "q": 12}),
        }
    )

    result = suppress(values, lines, K)

    assert result[("row", "B")] is None
    assert result[("row", "A")] is None
    assert None in (result[("m", "A", "p")], result[("m", "A", "q")])
    assert worked_out(result, relations(lines)) == {}


def test_the_smallest_neighbour_is_withheld_so_as_little_as_possible_is_lost():
    values = {"a": 3, "b": 12, "c": 500, "total": 515}

    result = suppress(values, [Line(("a", "b", "c"), "total")], K)

    assert result == {"a": None, "b": None, "c": 500, "total": 515}


def zero_rows_table():
    """r1 and r3 together hold 81 − 40 − 31 = 10, and column c3 needs exactly those 10."""
    grid = [[10, 10, 10, 10], [0, 0, 0, 10], [10, 1, 10, 10], [0, 0, 0, 0]]
    return table({(f"r{r}", f"c{c}"): grid[r][c] for r in range(4) for c in range(4)})


def test_the_sums_alone_do_not_give_back_a_cell_beside_empty_rows():
    values, lines = zero_rows_table()

    result = suppress(values, lines, K)

    assert result[("r2", "c1")] is None
    assert worked_out(result, relations(lines), floor=None) == {}


def test_nor_do_the_sums_together_with_no_count_being_negative():
    """The greedy rule alone leaves this open: since r1 and r3 must put all 10 in c3, their
    other cells are 0; column c0 then gives r2c0 = 10, and row r2 gives
    r2c1 = 31 − 10 − 10 − 10 = 1. The audit withholds one more cell of row r0."""
    values, lines = zero_rows_table()

    result = suppress(values, lines, K)

    assert worked_out(result, relations(lines)) == {}
    assert result[("r2", "c1")] is None
    assert result["grand"] == 81


# --- the property -------------------------------------------------------------------

counts = st.one_of(st.integers(0, 9), st.integers(10, 60))


@hsettings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    n_rows=st.integers(1, 4),
    n_cols=st.integers(1, 4),
    data=st.data(),
)
def test_no_count_under_k_can_be_worked_out_from_any_table(n_rows, n_cols, data):
    cells = {
        (f"r{r}", f"c{c}"): data.draw(counts, label=f"r{r}c{c}")
        for r, c in itertools.product(range(n_rows), range(n_cols))
    }
    values, lines = table(cells)

    result = suppress(values, lines, K)

    assert all(result[key] is None for key, value in values.items() if value < K)
    assert all(result[key] in (None, value) for key, value in values.items())
    leaked = {key: v for key, v in worked_out(result, relations(lines), floor=None).items() if 0 < values[key] < K}
    assert leaked == {}
    # nor with no count below zero: no withheld figure at all is pinned down
    assert worked_out(result, relations(lines)) == {}


def breakdown(draw_count, parts):
    """A row of people split two ways: returns ({status: n}, {month: n})."""
    people = draw_count
    first = dict.fromkeys(parts[0], 0)
    second = dict.fromkeys(parts[1], 0)
    for a, b in people:
        first[a] += 1
        second[b] += 1
    return first, second


person = st.tuples(st.sampled_from("xy"), st.sampled_from("pq"))
people = st.one_of(st.integers(0, 9), st.integers(10, 40)).flatmap(lambda n: st.lists(person, min_size=n, max_size=n))


@hsettings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(people, min_size=2, max_size=4))
def test_no_count_under_k_can_be_worked_out_when_rows_are_broken_down_two_ways(rows):
    values, lines = two_breakdowns({f"r{i}": breakdown(row, ("xy", "pq")) for i, row in enumerate(rows)})

    result = suppress(values, lines, K)

    assert all(result[key] is None for key, value in values.items() if value < K)
    leaked = {key: v for key, v in worked_out(result, relations(lines), floor=None).items() if 0 < values[key] < K}
    assert leaked == {}
    assert worked_out(result, relations(lines)) == {}
