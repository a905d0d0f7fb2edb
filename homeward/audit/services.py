from homeward.audit.models import AuditEntry


def audit_record(*, actor, action: str, target: str = "") -> AuditEntry:
    """Write one audit entry for coordinator/admin access to sensitive data or powers."""
    return AuditEntry.objects.create(actor=actor, actor_handle=actor.handle, action=action, target=target[:200])
