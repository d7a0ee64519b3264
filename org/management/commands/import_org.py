from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from org.importer import PlannedPerson
from org.services import OrgImportError, org_import

LISTED = 10  # people named per section; the counts are always complete


class Command(BaseCommand):
    help = (
        "Import the organisation from a CSV (username,email,name,title,role,level,team,manager,start_date). "
        "All or nothing; by default employees missing from the file are deactivated."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the org CSV (UTF-8)")
        parser.add_argument("--dry-run", action="store_true", help="check the file and show what would change")
        parser.add_argument(
            "--keep-missing", action="store_true", help="leave employees who are not in the file as they are"
        )
        parser.add_argument("--no-invite", action="store_true", help="do not email new people an invitation")

    def handle(self, *args: Any, file: str, dry_run: bool, keep_missing: bool, no_invite: bool, **options: Any) -> None:
        source = Path(file)
        try:
            content = source.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror or exc}") from exc
        try:
            result = org_import(
                actor=None,
                content=content,
                source_name=source.name,
                deactivate_missing=not keep_missing,
                dry_run=dry_run,
                send_invites=not no_invite,
            )
        except OrgImportError as exc:
            for error in exc.errors:
                self.stderr.write(f"  {error}")
            raise CommandError(str(exc)) from exc

        plan = result.plan
        if dry_run:
            self.stdout.write(f"Dry run of {source.name}: nothing was written.")
        elif plan.empty:
            self.stdout.write(f"Nothing to change: the organisation already matches {source.name}.")
        else:
            self.stdout.write(f"Imported {source.name}.")
        counts = result.counts()
        for label, count in (
            ("Created", counts["created"]),
            ("Changed", counts["updated"]),
            ("Reactivated", counts["reactivated"]),
            ("Deactivated", counts["deactivated"]),
            ("Unchanged", counts["unchanged"]),
            ("New teams", counts["teams_created"]),
        ):
            self.stdout.write(f"  {label:<12}{count:>6}")
        if plan.teams_created:
            self.stdout.write(f"New teams: {self._names(plan.teams_created)}")
        for title, people in (
            ("Created", plan.created),
            ("Changed", plan.changed),
            ("Reactivated", plan.reactivated),
            ("Deactivated", plan.deactivated),
        ):
            if people:
                self.stdout.write(f"{title}: {self._names([self._person(p) for p in people])}")
        if result.invited:
            self.stdout.write(f"Invitations: {result.invited} being emailed.")
        for warning in plan.warnings:
            self.stdout.write(self.style.WARNING(f"Warning: {warning}"))

    @staticmethod
    def _person(person: PlannedPerson) -> str:
        fields = [name for name in person.changes if name != "active"]
        if person.employee_id is None or not fields:
            return person.username
        return f"{person.username} ({', '.join(fields)})"

    @staticmethod
    def _names(names: list[str]) -> str:
        shown = ", ".join(names[:LISTED])
        return shown if len(names) <= LISTED else f"{shown} … and {len(names) - LISTED} more"
