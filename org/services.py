"""Writes to the organisation. Each runs in one transaction, checks rights through
staffrole.access, validates the whole result, and records an audit entry."""

import hashlib
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage, get_connection
from django.core.validators import validate_email
from django.db import IntegrityError, connection, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from audit.services import AuditItem, audit_record, audit_record_many
from org.importer import ImportRow, OrgPlan, RowError, org_import_plan, problems_message, team_name
from org.models import Employee, Team
from org.selectors import subtree_ids
from plans.services import PersonChange, plans_close_for_leavers, plans_follow_org
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
            Employee.objects.select_for_update(of=("self",))
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

        old_role_id, old_start = employee.role_id, employee.start_date
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
        # A new role (or a moved start date) starts or moves the person's 30/60/90 plan (ADR 0019).
        plans_follow_org(
            actor=actor,
            changes=[PersonChange(employee.pk, old_role_id, employee.role_id, old_start, employee.start_date)],
            reason_text=reason or "HR changed the person's record.",
        )
        if not employee.active and before["active"]:
            plans_close_for_leavers(
                actor=actor, employee_ids=[employee.pk], reason_text=reason or "HR deactivated the person."
            )
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


# --- Organisation import -------------------------------------------------------------------------


class OrgImportError(Exception):
    """A file that cannot be imported; `errors` lists every problem, each with its row and column."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(problems_message(len(errors)))
        self.errors = errors


class OrgImportStale(Exception):
    """The import would now do something else than the plan that was shown; `plan` is the new one."""

    def __init__(self, plan: OrgPlan) -> None:
        super().__init__("The organisation changed since the preview.")
        self.plan = plan


@dataclass(frozen=True)
class OrgImportResult:
    plan: OrgPlan
    dry_run: bool
    invited: int = 0

    def counts(self) -> dict[str, int]:
        return self.plan.counts()


ORG_IMPORT_BATCH = 500
# The org's employee fields an import writes, by the plan's field names.
_EMPLOYEE_COLUMNS = {"name": "name", "title": "title", "level": "level", "role": "role_id", "team": "team_id"}


def org_import(
    *,
    actor: Any,
    content: bytes,
    source_name: str,
    deactivate_missing: bool = True,
    dry_run: bool = False,
    send_invites: bool = True,
    expected_fingerprint: str = "",
) -> OrgImportResult:
    """Make the organisation match an org CSV: create, change, reactivate and (unless told to keep
    them) deactivate people. All or nothing: any bad row raises OrgImportError with every problem.

    The plan is made again inside the transaction, with the employee rows locked; with
    `expected_fingerprint` (the plan a person previewed) a different plan raises OrgImportStale
    instead of applying. Importing a file that changes nothing writes nothing. New people are
    emailed a link to choose their password once the import commits. `actor=None` is the command
    line, which runs with the server's own authority.
    """
    if actor is not None and not access.can_import_org(actor):
        raise PermissionDenied("Only HR can import the organisation.")
    if dry_run:
        plan = _org_import_checked_plan(content, deactivate_missing, actor, expected_fingerprint)
        return OrgImportResult(plan=plan, dry_run=True)
    try:
        with transaction.atomic():
            if connection.features.has_select_for_update:
                list(Employee.objects.select_for_update().order_by("pk").values_list("pk", flat=True))
            plan = _org_import_checked_plan(content, deactivate_missing, actor, expected_fingerprint)
            if plan.empty:
                return OrgImportResult(plan=plan, dry_run=False)
            new_user_ids = _org_import_apply(
                actor=actor, plan=plan, source_name=source_name, sha256=hashlib.sha256(content).hexdigest()
            )
            if send_invites and new_user_ids:
                from org.tasks import org_invites_send

                transaction.on_commit(partial(org_invites_send.delay, new_user_ids), robust=True)
    except IntegrityError as exc:
        # Another import or edit created the same username or email between the plan and the write.
        raise OrgImportError(
            [RowError(None, None, "", "the organisation changed during the import; nothing was imported, try again")]
        ) from exc
    return OrgImportResult(plan=plan, dry_run=False, invited=len(new_user_ids) if send_invites else 0)


def _org_import_checked_plan(content: bytes, deactivate_missing: bool, actor: Any, expected: str) -> OrgPlan:
    plan = org_import_plan(content=content, deactivate_missing=deactivate_missing, actor=actor)
    if not plan.valid:
        raise OrgImportError(plan.errors)
    if expected and plan.fingerprint != expected:
        raise OrgImportStale(plan)
    return plan


def _bulk_update_grouped(model: Any, changes: dict[int, dict[str, Any]], now: Any = None) -> None:
    """Update rows by id, one bulk update per set of changed columns (most rows change one or two)."""
    groups: dict[tuple[str, ...], list[Any]] = {}
    for pk, values in changes.items():
        if now is not None:
            values = {**values, "updated_at": now}
        groups.setdefault(tuple(sorted(values)), []).append(model(pk=pk, **values))
    for fields, objects in groups.items():
        model.objects.bulk_update(objects, list(fields), batch_size=ORG_IMPORT_BATCH)


def _layers_by_new_managers(rows: list[ImportRow]) -> list[list[ImportRow]]:
    """New people grouped so that everyone comes after their manager when the manager is new too."""
    new = {row.username: row for row in rows}
    depth: dict[str, int] = {}
    for row in rows:
        path = []
        username = row.username
        while username in new and username not in depth:  # the plan has ruled out loops
            path.append(username)
            username = new[username].manager
        below = depth.get(username, -1)
        for name in reversed(path):
            below += 1
            depth[name] = below
    layers: list[list[ImportRow]] = [[] for _ in range(max(depth.values(), default=-1) + 1)]
    for row in rows:
        layers[depth[row.username]].append(row)
    return layers


def _plan_changes(
    plan: OrgPlan, rows: dict[str, ImportRow], role_ids: dict[str, int], employee_ids: dict[str, int]
) -> list[PersonChange]:
    """Who starts in a role or moves their start date with this import, for their 30/60/90 plans."""
    found = [
        PersonChange(employee_ids[row.username], None, role_ids.get(row.role), None, row.start_date)
        for row in (rows[person.username] for person in plan.created)
        if row.role and row.start_date
    ]
    for person in [*plan.changed, *plan.reactivated]:
        if "role" not in person.changes and "start_date" not in person.changes:
            continue
        row = rows[person.username]
        if row.start_date is None:  # a valid plan has every date; this keeps the types honest
            continue
        old_role = person.changes["role"][0] if "role" in person.changes else row.role
        old_start = person.changes["start_date"][0] if "start_date" in person.changes else row.start_date
        if isinstance(old_start, str):
            old_start = date.fromisoformat(old_start) if old_start else row.start_date
        found.append(
            PersonChange(
                employee_ids[person.username],
                role_ids.get(old_role) if old_role else None,
                role_ids.get(row.role) if row.role else None,
                old_start,
                row.start_date,
            )
        )
    return found


def _org_import_apply(*, actor: Any, plan: OrgPlan, source_name: str, sha256: str) -> list[int]:
    """Write a valid plan; returns the ids of the logins it created."""
    User = get_user_model()
    now = timezone.now()
    reason = f"Organisation import from {source_name}"
    rows = {row.username: row for row in plan.rows}

    Team.objects.bulk_create([Team(slug=slug, name=team_name(slug)) for slug in plan.teams_created])
    team_ids = dict(Team.objects.values_list("slug", "pk"))
    role_ids = dict(Role.objects.values_list("slug", "pk"))

    new_users = []
    for person in plan.created:
        if person.user_id is None:
            user = User(username=person.username, email=rows[person.username].email, is_active=True)
            user.set_unusable_password()
            new_users.append(user)
    User.objects.bulk_create(new_users, batch_size=ORG_IMPORT_BATCH)
    user_ids = dict(User.objects.values_list("username", "pk"))
    new_user_ids = [user_ids[user.username] for user in new_users]

    user_changes: dict[int, dict[str, Any]] = {}
    for person in plan.created:
        if person.user_id is not None:  # an existing login becomes an employee
            user_changes[person.user_id] = {"email": rows[person.username].email, "is_active": True}
    for person in [*plan.changed, *plan.reactivated, *plan.deactivated]:
        values = {}
        if "email" in person.changes:
            values["email"] = person.changes["email"][1]
        if "active" in person.changes:
            values["is_active"] = person.changes["active"][1]
        if values and person.user_id is not None:
            user_changes[person.user_id] = values
    _bulk_update_grouped(User, user_changes)

    def employee_values(row: ImportRow) -> dict[str, Any]:
        return {
            "name": row.name,
            "title": row.title,
            "level": row.level,
            "role_id": role_ids[row.role] if row.role else None,
            "team_id": team_ids[row.team] if row.team else None,
            "start_date": row.start_date,
        }

    # New people are inserted managers first, one layer at a time, so each gets its manager's id
    # on insert: a few INSERTs instead of updating thousands of rows afterwards.
    employee_ids = dict(Employee.objects.values_list("user__username", "pk"))
    for layer in _layers_by_new_managers([rows[person.username] for person in plan.created]):
        Employee.objects.bulk_create(
            [
                Employee(
                    user_id=user_ids[row.username],
                    manager_id=employee_ids[row.manager] if row.manager else None,
                    **employee_values(row),
                )
                for row in layer
            ],
            batch_size=ORG_IMPORT_BATCH,
        )
        layer_user_ids = [user_ids[row.username] for row in layer]
        employee_ids.update(Employee.objects.filter(user_id__in=layer_user_ids).values_list("user__username", "pk"))

    employee_changes: dict[int, dict[str, Any]] = {}
    for person in [*plan.changed, *plan.reactivated]:
        row = rows[person.username]
        targets = employee_values(row)
        values = {column: targets[column] for field, column in _EMPLOYEE_COLUMNS.items() if field in person.changes}
        if "start_date" in person.changes:
            values["start_date"] = row.start_date
        if "manager" in person.changes:
            values["manager_id"] = employee_ids[row.manager] if row.manager else None
        if "active" in person.changes:
            values.update(active=True, deactivated_at=None)
        employee_changes[employee_ids[person.username]] = values  # an email change alone still marks the record
    for person in plan.deactivated:
        employee_changes[employee_ids[person.username]] = {"active": False, "deactivated_at": now}
    _bulk_update_grouped(Employee, employee_changes, now=now)
    plans_follow_org(actor=actor, changes=_plan_changes(plan, rows, role_ids, employee_ids), reason_text=reason)
    plans_close_for_leavers(
        actor=actor, employee_ids=[employee_ids[person.username] for person in plan.deactivated], reason_text=reason
    )

    audit_items = [
        AuditItem(
            action="org.import",
            target_type="org.organisation",
            target_id=sha256,
            target_repr=source_name,
            after={
                "file": source_name,
                "sha256": sha256,
                **plan.counts(),
                "teams": plan.teams_created,
                "deactivate_missing": plan.deactivate_missing,
            },
            reason=reason,
        )
    ]
    team_label = Team._meta.label_lower
    audit_items += [
        AuditItem(
            action="team.create",
            target_type=team_label,
            target_id=str(team_ids[slug]),
            target_repr=team_name(slug),
            after={"slug": slug, "name": team_name(slug)},
            reason=reason,
        )
        for slug in plan.teams_created
    ]
    label = Employee._meta.label_lower
    for action, people in (
        ("employee.create", plan.created),
        ("employee.update", plan.changed),
        ("employee.reactivate", plan.reactivated),
        ("employee.deactivate", plan.deactivated),
    ):
        for person in people:
            created = action == "employee.create"
            audit_items.append(
                AuditItem(
                    action=action,
                    target_type=label,
                    target_id=str(employee_ids[person.username]),
                    target_repr=person.name,
                    before=None if created else {name: change[0] for name, change in person.changes.items()},
                    after=(
                        {**rows[person.username].values(), "active": True}
                        if created
                        else {name: change[1] for name, change in person.changes.items()}
                    ),
                    reason=reason,
                )
            )
    audit_record_many(actor=actor, items=audit_items)
    return new_user_ids


def employee_invites_send(*, user_ids: list[int]) -> int:
    """Email each new person a link to choose their password, over one mail server connection.

    People who have set a password meanwhile, or who were deactivated, get nothing, so sending
    twice is harmless. Returns how many emails were sent.
    """
    User = get_user_model()
    site = getattr(settings, "SITE_URL", "http://127.0.0.1:8000").rstrip("/")
    days = max(1, round(settings.PASSWORD_RESET_TIMEOUT / 86400))
    messages = []
    for user in User.objects.filter(pk__in=user_ids, is_active=True).select_related("employee").order_by("pk"):
        if user.has_usable_password() or not user.email:
            continue
        path = reverse(
            "password_reset_confirm",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": default_token_generator.make_token(user),
            },
        )
        employee = getattr(user, "employee", None)
        body = render_to_string(
            "org/import_invite_email.txt",
            {
                "name": employee.name if employee else user.get_username(),
                "username": user.get_username(),
                "link": f"{site}{path}",
                "days": days,
                "reset_url": f"{site}{reverse('password_reset')}",
            },
        )
        messages.append(EmailMessage("Your staffrole account", body, to=[user.email]))
    if not messages:
        return 0
    return get_connection().send_messages(messages) or 0
