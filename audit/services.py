from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models

from audit.models import AuditEntry


def audit_record(
    *,
    actor: Any,
    action: str,
    target: models.Model,
    before: Any = None,
    after: Any = None,
    reason: str = "",
) -> AuditEntry:
    """Record one change. Call inside the transaction that makes the change."""
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        target_repr=str(target)[:255],
        before=before,
        after=after,
        reason=reason,
    )


@dataclass(frozen=True)
class AuditItem:
    """One change for `audit_record_many`, named by its target's label ("org.employee") and id."""

    action: str
    target_type: str
    target_id: str
    target_repr: str = ""
    before: Any = None
    after: Any = None
    reason: str = ""

    @classmethod
    def about(
        cls, target: models.Model, *, action: str, before: Any = None, after: Any = None, reason: str = ""
    ) -> "AuditItem":
        return cls(
            action=action,
            target_type=target._meta.label_lower,
            target_id=str(target.pk),
            target_repr=str(target),
            before=before,
            after=after,
            reason=reason,
        )


def audit_record_many(*, actor: Any, items: Iterable[AuditItem], batch_size: int = 500) -> int:
    """Record many changes by one actor in a few inserts (for imports of thousands of rows).
    Call inside the transaction that makes the changes; returns how many entries were added."""
    actor_id = actor.pk if getattr(actor, "is_authenticated", False) else None
    entries = [
        AuditEntry(
            actor_id=actor_id,
            action=item.action,
            target_type=item.target_type,
            target_id=item.target_id[:64],
            target_repr=item.target_repr[:255],
            before=item.before,
            after=item.after,
            reason=item.reason,
        )
        for item in items
    ]
    AuditEntry.objects.bulk_create(entries, batch_size=batch_size)
    return len(entries)
