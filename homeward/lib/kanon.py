"""k-anonymous publication of counts, with complementary suppression.

Every count over a group smaller than k is withheld ("fewer than k"). Withholding one
cell is not enough when totals are published: total − (the other cells) gives it
back. So every *line* — a set of cells whose sum is a published total — must, if it
hides anything, hide at least two cells whose sum is at least k; and a withheld total
must not be the plain sum of shown cells, or it is published after all. Cells are
suppressed one at a time (the smallest visible cell of an unsafe line) until every
line is safe.
This is the classic primary + secondary cell suppression of statistical offices,
with the usual greedy heuristic.

The greedy rule looks at one line at a time, so a reader who chains lines can still
pin a withheld count down — above all with what every reader knows: no count is below
zero (if two withheld rows must hold all 10 of a column's withheld 10, their other
cells are 0, and the next line gives a neighbour back). So an audit follows: the
reader's arithmetic (interval propagation over every line, each count at least 0) is
run on the result, and while it fixes any withheld figure to one value, one more cell
next to it is withheld and the greedy rule runs again. The audit is interval
propagation, not a full linear-programming audit: it catches differencing along any
chain of published totals together with non-negativity, which is what a reader with a
spreadsheet does.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass

Key = Hashable

#: Upper bound the audit starts every withheld figure from: above any real count.
_CEILING = 10**12


@dataclass(frozen=True)
class Line:
    cells: tuple[Key, ...]
    total: Key | None  # None: the cells are published without a total


def suppress(values: dict[Key, int], lines: Iterable[Line], k: int) -> dict[Key, int | None]:
    """Return the values with every unsafe cell replaced by None."""
    lines = [line for line in lines if line.total is not None]
    hidden = {key for key, value in values.items() if value < k}
    while True:
        _greedy(values, lines, hidden, k)
        more = _neighbour(values, lines, hidden, _pinned(values, lines, hidden))
        if more is None:
            break
        hidden.add(more)
    return {key: (None if key in hidden else value) for key, value in values.items()}


def _greedy(values: dict[Key, int], lines: list[Line], hidden: set[Key], k: int) -> None:
    """Withhold cells until every line is safe on its own (see the module docstring)."""
    changed = True
    while changed:
        changed = False
        for line in lines:
            hidden_cells = [c for c in line.cells if c in hidden]
            visible = [c for c in line.cells if c not in hidden]
            if line.total in hidden:
                # A withheld total is as good as published when every one of its cells
                # is shown (the sum gives it back); one withheld cell keeps it unknown.
                if hidden_cells or not visible:
                    continue
            elif not hidden_cells or len(hidden_cells) >= 2 and sum(values[c] for c in hidden_cells) >= k:
                continue
            if visible:
                hidden.add(min(visible, key=lambda c: (values[c], str(c))))
            else:
                hidden.add(line.total)
            changed = True


def _bounds(values: dict[Key, int], lines: list[Line], hidden: set[Key]) -> dict[Key, tuple[int, int]]:
    """The lowest and highest value a reader can prove for every withheld figure, from
    the shown ones, the sums of the lines and no count being below zero."""
    lo = dict.fromkeys(hidden, 0)
    hi = dict.fromkeys(hidden, _CEILING)
    # Each line that touches a withheld figure, as (total, sum of its shown cells, its
    # withheld cells): what is shown does not change while the reader works.
    active = []
    for line in lines:
        withheld = [c for c in line.cells if c in hidden]
        if withheld or line.total in hidden:
            shown = sum(values[c] for c in line.cells if c not in hidden)
            active.append((line.total, shown, withheld))

    def narrow(key, new_lo, new_hi) -> bool:
        new_lo, new_hi = max(lo[key], new_lo), min(hi[key], new_hi)
        if new_lo == lo[key] and new_hi == hi[key]:
            return False
        lo[key], hi[key] = new_lo, new_hi
        return True

    changed = True
    while changed:
        changed = False
        for total, shown, withheld in active:
            cells_lo = shown + sum(lo[c] for c in withheld)
            cells_hi = shown + sum(hi[c] for c in withheld)
            if total in hidden:
                changed |= narrow(total, cells_lo, cells_hi)
                total_lo, total_hi = lo[total], hi[total]
            else:
                total_lo = total_hi = values[total]
            for c in withheld:
                # c = total − (the others): at least total_lo − their highs, at most total_hi − their lows
                others_lo, others_hi = cells_lo - lo[c], cells_hi - hi[c]
                changed |= narrow(c, total_lo - others_hi, total_hi - others_lo)
    return {key: (lo[key], hi[key]) for key in hidden}


def _pinned(values: dict[Key, int], lines: list[Line], hidden: set[Key]) -> list[Key]:
    """Withheld figures the reader's arithmetic fixes to one value."""
    return sorted((key for key, (lo, hi) in _bounds(values, lines, hidden).items() if lo == hi), key=str)


def _neighbour(values: dict[Key, int], lines: list[Line], hidden: set[Key], pinned: list[Key]) -> Key | None:
    """One more figure to withhold, adding an unknown to a sum that pins a withheld one:
    the smallest shown cell of any line through a pinned figure; failing that, the
    smallest shown total of such a line; failing that, the smallest shown figure of any
    line that withholds something (the pin then comes from further along a chain).
    None when nothing is pinned, or when nothing around the withheld figures is shown
    any more: a pin that remains then follows from no published figure (the total of an
    empty line is 0) and withholding cannot help."""
    if not pinned:
        return None
    targets = set(pinned)
    near, far = [], []
    for line in lines:
        members = [*line.cells, line.total]
        shown = [(c is line.total, values[c], str(c), c) for c in members if c not in hidden]
        if targets.intersection(members):
            near += shown
        elif len(shown) < len(members):
            far += shown
    for candidates in (near, far):
        if candidates:
            return min(candidates)[3]
    return None
