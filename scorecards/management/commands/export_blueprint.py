import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from scorecards.models import BlueprintVersion
from scorecards.selectors import blueprint_to_dict, blueprint_version_by_id


class Command(BaseCommand):
    help = "Print a role blueprint as JSON (the same JSON as GET /api/v1/roles/SLUG/)."

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        # `--version N` names a blueprint version here, replacing Django's --version (its own release).
        return super().create_parser(prog_name, subcommand, conflict_handler="resolve", **kwargs)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug")
        parser.add_argument("--version", type=int, dest="number", help="a version number (default: newest published)")

    def handle(self, *args: Any, slug: str, number: int | None, **options: Any) -> None:
        versions = BlueprintVersion.objects.filter(role__slug=slug)
        if number is None:
            versions = versions.filter(status=BlueprintVersion.Status.PUBLISHED).order_by("-number")
        else:
            versions = versions.filter(number=number)
        version = versions.first()
        if version is None:
            which = f"version {number}" if number is not None else "a published version"
            raise CommandError(f"No blueprint {slug!r} with {which}.")
        data = blueprint_to_dict(blueprint_version_by_id(version.pk))
        self.stdout.write(json.dumps(data, indent=2, ensure_ascii=False))
