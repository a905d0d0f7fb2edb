import pytest
from django.http import Http404

from homeward.lib.ids import as_id, pk_or_404


@pytest.mark.parametrize("value", ["", "0", "-1", "²", "1.5", "abc", " 1", "9223372036854775808", None, 0, -3])
def test_not_ids(value):
    assert as_id(value) is None
    with pytest.raises(Http404):
        pk_or_404(value)


@pytest.mark.parametrize(("value", "number"), [("1", 1), (7, 7), ("9223372036854775807", 2**63 - 1)])
def test_ids(value, number):
    assert as_id(value) == pk_or_404(value) == number
