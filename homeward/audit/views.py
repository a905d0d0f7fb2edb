from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from homeward.audit.models import AuditEntry
from homeward.lib.permissions import require


@login_required
def audit_log(request):
    require(request, "audit.view")
    page = Paginator(AuditEntry.objects.all(), 50).get_page(request.GET.get("page"))
    return render(request, "audit/log.html", {"page": page})
