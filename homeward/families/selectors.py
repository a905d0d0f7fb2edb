from django.http import Http404

from homeward.families.models import LovedOne, Precedent
from homeward.lib.ids import pk_or_404


def loved_ones_of(account):
    return LovedOne.objects.filter(owner=account).select_related("region")


def get_loved_one_for(account, pk) -> LovedOne:
    """The one way to fetch a loved one: the owner's own, or 404 for anyone else."""
    if not account.is_authenticated:
        raise Http404
    try:
        return LovedOne.objects.select_related("region").get(pk=pk_or_404(pk), owner=account)
    except LovedOne.DoesNotExist as exc:
        raise Http404 from exc


def precedents():
    return list(Precedent.objects.all())
