from sqlmodel import Session

from portal.audit.models import AuditEntry


def record(
    session: Session,
    *,
    actor_id: int | None,
    action: str,
    object_type: str,
    object_id: object,
    subject_user_id: int | None = None,
    detail: dict | None = None,
    ip: str | None = None,
) -> AuditEntry:
    """Adds an audit entry to the caller's transaction, so the log and the change commit together."""
    entry = AuditEntry(
        actor_id=actor_id,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        subject_user_id=subject_user_id,
        detail=detail or {},
        ip=ip,
    )
    session.add(entry)
    return entry
