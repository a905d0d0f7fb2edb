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
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass

Key = Hashable


@dataclass(frozen=True)
class Line:
    cells: tuple[Key, ...]
    total: Key | None  # None: the cells are published without a total


def suppress(values: dict[Key, int], lines: Iterable[Line], k: int) -> dict[Key, int | None]:
    """Return the values with every unsafe cell replaced by None."""
    lines = list(lines)
    hidden = {key for key, value in values.items() if value < k}
    changed = True
    while changed:
        changed = False
        for line in lines:
            if line.total is None:
                continue
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
    return {key: (None if key in hidden else value) for key, value in values.items()}
