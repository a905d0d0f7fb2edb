"""The stored month of mobilization that the statistics group by: kept by the database
from the date of mobilization, whatever path writes the record."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import make_account
from homeward.families import services
from homeward.families.models import LovedOne

D = dt.date


def month_of(pk) -> dt.date:
    return LovedOne.objects.values_list("mobilized_month", flat=True).get(pk=pk)


@pytest.mark.parametrize(
    ("mobilized", "month"),
    [
        (D(2022, 9, 21), D(2022, 9, 1)),
        (D(2022, 9, 1), D(2022, 9, 1)),
        (D(2022, 12, 31), D(2022, 12, 1)),
        (D(2023, 1, 1), D(2023, 1, 1)),
        (D(2024, 2, 29), D(2024, 2, 1)),
    ],
)
def test_the_month_is_the_first_day_of_the_month_of_mobilization(chapter_a, mobilized, month):
    lo = services.loved_one_create(
        owner=make_account("m", chapter=chapter_a),
        data={
            "relation": "son",
            "mobilized_on": mobilized,
            "early_call_up": mobilized < D(2022, 9, 21),
            "region": chapter_a.region,
            "status": "serving",
            "status_since": mobilized,
        },
    )

    assert month_of(lo.pk) == month


def test_the_month_follows_an_edit_a_bulk_insert_and_a_queryset_update(chapter_a):
    owner = make_account("m", chapter=chapter_a)
    lo = services.loved_one_create(
        owner=owner,
        data={
            "relation": "son",
            "mobilized_on": D(2022, 10, 5),
            "region": chapter_a.region,
            "status": "serving",
            "status_since": D(2022, 11, 1),
        },
    )

    services.loved_one_update(loved_one=lo, data={"mobilized_on": D(2022, 9, 30)})
    assert month_of(lo.pk) == D(2022, 9, 1)

    LovedOne.objects.filter(pk=lo.pk).update(mobilized_on=D(2022, 10, 31))
    assert month_of(lo.pk) == D(2022, 10, 1)

    LovedOne.objects.bulk_create(
        [
            LovedOne(
                owner=owner,
                relation="husband",
                mobilized_on=D(2023, 3, 15),
                region=chapter_a.region,
                status="serving",
                status_since=D(2023, 3, 15),
            )
        ]
    )
    assert month_of(LovedOne.objects.get(mobilized_on=D(2023, 3, 15)).pk) == D(2023, 3, 1)
