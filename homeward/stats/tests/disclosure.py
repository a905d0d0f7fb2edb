"""An attacker's arithmetic on published figures, for the k-anonymity tests.

Given what was published (a number, or None where "fewer than k" is shown) and the sums
any reader knows to hold (these cells add up to that total), narrow down every withheld
figure by interval propagation: each figure is at least 0, and in each sum it is at
least total − (the others at most) and at most total − (the others at least). Repeat
until nothing moves. A withheld figure whose lowest and highest possible values meet
has been worked out by subtraction — a disclosure.

This is weaker than a full linear-programming audit, but it catches differencing along
any chain of published totals, which is what a journalist with a spreadsheet would do.
With `floor=None` the "at least 0" is dropped, leaving only what the sums themselves give.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable

Relation = tuple[list[Hashable], Hashable]  # (cells, total): sum(cells) == total


def bounds(published: dict, relations: Iterable[Relation], *, floor: int | None = 0, ceiling: int = 10**9) -> dict:
    """The (lowest, highest) possible value of every withheld figure."""
    start = -ceiling if floor is None else floor
    relations = [(list(cells), total) for cells, total in relations]
    lo: dict = {}
    hi: dict = {}

    def b(key):
        value = published[key]
        if value is not None:
            return value, value
        return lo.setdefault(key, start), hi.setdefault(key, ceiling)

    changed = True
    while changed:
        changed = False
        for cells, total in relations:
            for x in [*cells, total]:
                if published[x] is not None:
                    continue
                if x == total:
                    new_lo = sum(b(c)[0] for c in cells)
                    new_hi = sum(b(c)[1] for c in cells)
                else:
                    others = [c for c in cells if c != x]
                    new_lo = b(total)[0] - sum(b(c)[1] for c in others)
                    new_hi = b(total)[1] - sum(b(c)[0] for c in others)
                cur_lo, cur_hi = b(x)
                new_lo, new_hi = max(cur_lo, new_lo), min(cur_hi, new_hi)
                if (new_lo, new_hi) != (cur_lo, cur_hi):
                    lo[x], hi[x] = new_lo, new_hi
                    changed = True
    return {key: (lo[key], hi[key]) for key in lo}


def worked_out(published: dict, relations: Iterable[Relation], *, floor: int | None = 0) -> dict:
    """Withheld figures that the published ones pin to one value: {key: value}."""
    return {key: low for key, (low, high) in bounds(published, relations, floor=floor).items() if low == high}
