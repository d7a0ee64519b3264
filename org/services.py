"""Writes to the organisation. Each runs in one transaction, checks rights through
staffrole.access, validates the whole result, and records an audit entry."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from audit.services import audit_record
from org.models import Employee, Team
from org.selectors import subtree_ids
from scorecards.models import Role
from staffrole import access

# The fields HR edits on a person's record, as audited (username-free, JSON-friendly values).
EDITABLE_FIELDS = ("name", "email", "title", "role", "level", "team", "manager", "start_date", "active")


def employee_snapshot(employee: Employee) -> dict[str, Any]:
    """The audited view of a record: slugs and usernames, never database ids."""
    return {
        "name": employee.name,
        "email": employee.user.email,
        "title": employee.title,
        "role": employee.role.slug if employee.role_id and employee.role else "",
        "level": employee.level,
        "team": employee.team.slug if employee.team_id and employee.team else "",
        "manager": employee.manager.user.username if employee.manager_id and employee.manager else "",
        "start_date": employee.start_date.isoformat(),
        "active": employee.active,
    }


@dataclass(frozen=True)
class EmployeeChanges:
    name: str
    email: str
    title: str
    role: Role | None
    level: str
    team: Team | None
    manager: Employee | None
    start_date: date
    active: bool


def employee_update(*, actor: Any, employee: Employee, changes: EmployeeChanges, reason: str = "") -> Employee:
    """HR edits a person's record. Refuses a manager loop, an inactive manager, a duplicate email,
    deactivating someone who still has active reports, and deactivating oneself."""
    if not access.can_edit_employee(actor, employee):
        raise PermissionDenied("Only HR can edit a person's record.")
    with transaction.atomic():
        employee = (
            Employee.objects.select_for_update()
            .select_related("user", "team", "role", "manager__user")
            .get(pk=employee.pk)
        )
        before = employee_snapshot(employee)
        errors: dict[str, list[str]] = {}
        email = changes.email.strip()
        try:
            validate_email(email)
        except ValidationError:
            errors.setdefault("email", []).append("Enter a valid email address.")
        else:
            User = get_user_model()
            if User.objects.filter(email__iexact=email).exclude(pk=employee.user_id).exists():
                errors.setdefault("email", []).append(f"{email} is already another person's email.")
        if not changes.name.strip():
            errors.setdefault("name", []).append("A name is required.")
        manager = changes.manager
        if manager is not None:
            if manager.pk == employee.pk:
                errors.setdefault("manager", []).append("A person cannot be their own manager.")
            elif manager.pk in subtree_ids(root_id=employee.pk):
                errors.setdefault("manager", []).append(
                    f"{manager.name} reports to {employee.name}: this would make a loop in the manager chain."
                )
            elif not manager.active:
                errors.setdefault("manager", []).append(f"{manager.name} is deactivated and cannot have reports.")
        if not changes.active and employee.active:
            if employee.user_id == getattr(actor, "pk", None):
                errors.setdefault("active", []).append("You cannot deactivate your own account.")
            reports = employee.reports.filter(active=True).count()
            if reports:
                errors.setdefault("active", []).append(
                    f"{employee.name} still has {reports} active report(s); give them another manager first."
                )
        if errors:
            raise ValidationError(errors)

        employee.name = changes.name.strip()
        employee.title = changes.title.strip()
        employee.role = changes.role
        employee.level = changes.level.strip()
        employee.team = changes.team
        employee.manager = manager
        employee.start_date = changes.start_date
        if changes.active != employee.active:
            employee.active = changes.active
            employee.deactivated_at = None if changes.active else timezone.now()
            employee.user.is_active = changes.active
        employee.user.email = email
        employee.full_clean(exclude=["user"])
        after = employee_snapshot(employee)
        if after == before:
            return employee
        employee.user.save(update_fields=["email", "is_active"])
        employee.save()
        changed = [name for name in EDITABLE_FIELDS if before[name] != after[name]]
        audit_record(
            actor=actor,
            action="employee.update",
            target=employee,
            before={name: before[name] for name in changed},
            after={name: after[name] for name in changed},
            reason=reason,
        )
    return employee
