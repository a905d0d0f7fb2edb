from django.http import Http404

from homeward.families.models import LovedOne, Precedent


def loved_ones_of(account):
    return LovedOne.objects.filter(owner=account).select_related("region")


def get_loved_one_for(account, pk) -> LovedOne:
    """The one way to fetch a loved one: the owner's own, or 404 for anyone else."""
    if not account.is_authenticated:
        raise Http404
    try:
        if not 0 < int(pk) < 2**63:
            raise Http404
    except (ValueError, TypeError) as exc:
        raise Http404 from exc
    try:
        return LovedOne.objects.select_related("region").get(pk=pk, owner=account)
    except (LovedOne.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def precedents():
    return list(Precedent.objects.all())
