from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from homeward.lib.permissions import require
from homeward.notices import services
from homeward.notices.models import Notice


def _attach_subjects(account, notices):
    """Name the loved one a notice is about, from her own record (names are never copied into notices)."""
    from homeward.families.selectors import loved_ones_of

    wanted = {n.params.get("loved_one") for n in notices if isinstance(n.params, dict)}
    names = {lo.pk: lo.display_name() for lo in loved_ones_of(account).filter(pk__in=[w for w in wanted if w])}
    for n in notices:
        n.subject = names.get(n.params.get("loved_one"), "") if isinstance(n.params, dict) else ""
        n.url = reverse("families:detail", args=[n.params["loved_one"]]) if n.subject else ""


@login_required
def notice_list(request):
    require(request, "notices.own")
    page = Paginator(Notice.objects.filter(account=request.user), 30).get_page(request.GET.get("page"))
    _attach_subjects(request.user, page.object_list)
    return render(request, "notices/list.html", {"page": page})


@login_required
@require_POST
def notices_read(request):
    require(request, "notices.own")
    services.notices_mark_read(account=request.user)
    return redirect("notices:list")
