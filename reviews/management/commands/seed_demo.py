from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reviews.demo import DEMO_PASSWORD, SPAN, demo_seed


class Command(BaseCommand):
    help = (
        "Create the demo organisation (idempotent); --engineers N adds N synthetic engineers (eng0001…) "
        f"in teams of {SPAN} under managers (mgr001…), {SPAN} managers per director (dir01…)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--engineers", type=int, default=0, help="synthetic engineers to add (eng0001…)")

    def handle(self, *args: Any, engineers: int, **options: Any) -> None:
        if engineers < 0 or engineers > 100_000:
            raise CommandError("--engineers must be between 0 and 100000.")
        result = demo_seed(engineers=engineers)
        self.stdout.write(
            f"Demo accounts: {len(result.created)} created, {len(result.existing)} already there "
            f"(password for all: {DEMO_PASSWORD!r})."
        )
        self.stdout.write(
            f"Employees: {len(result.employees_created)} created, {result.employees_existing} already there; "
            f"teams: {len(result.teams_created)} created, {result.teams_existing} already there; "
            f"roles filled in: {len(result.roles_filled)}."
        )
        self.stdout.write(
            f"Organisation: {result.directors} directors, {result.managers} managers, {result.engineers} engineers."
        )
        if result.cycle_created:
            self.stdout.write(f"Review cycle: {result.cycle} opened with {result.reviews_created} reviews.")
        elif result.cycle:
            self.stdout.write(f"Review cycle: {result.cycle} already there; {result.reviews_created} reviews added.")
        else:
            self.stdout.write("Review cycle: none yet (it needs the published Staff Software Engineer blueprint).")
        if result.plan_created:
            self.stdout.write("30/60/90 plan: newhire's plan made from their start date.")
        self.stdout.write(
            f"Engineering events: {result.deployments_created} deployments and {result.incidents_created} "
            f"incidents created, {result.events_existing} already there."
        )
        if result.kpi_series:
            self.stdout.write(
                f"KPI history: {result.measurements_created} values created, {result.measurements_existing} already "
                f"there; {result.kpi_series} series with trends."
            )
        else:
            self.stdout.write("KPI history: none yet (it needs the published Staff Software Engineer blueprint).")
