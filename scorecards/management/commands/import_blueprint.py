import hashlib
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from scorecards.blueprint_parser import BlueprintParseError
from scorecards.services import BlueprintImportError, blueprint_import, blueprint_parse_upload, blueprint_summary


class Command(BaseCommand):
    help = "Import a role blueprint document (or an export_blueprint JSON file) as a new blueprint version."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="a blueprint document (.txt) or an export_blueprint JSON file")
        parser.add_argument("--publish", action="store_true", help="publish the new version at once")

    def handle(self, *args: Any, path: str, publish: bool, **options: Any) -> None:
        source = Path(path)
        try:
            content = source.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror or exc}") from exc
        try:
            data = blueprint_parse_upload(name=source.name, content=content)
            result = blueprint_import(
                actor=None,
                data=data,
                source_name=source.name,
                source_sha256=hashlib.sha256(content).hexdigest(),
                publish=publish,
            )
        except BlueprintParseError as exc:
            raise CommandError(f"{path}: {exc}. Nothing was imported.") from exc
        except BlueprintImportError as exc:
            raise CommandError(f"{exc} Nothing was imported.") from exc
        version = result.version
        verb = "Imported" if result.created else "Unchanged (identical to the newest version):"
        self.stdout.write(
            f"{verb} {version.title} version {version.number} ({version.status}), slug {version.role.slug}"
        )
        width = max(len(label) for label, _ in blueprint_summary(data))
        for label, count in blueprint_summary(data):
            self.stdout.write(f"  {label:<{width}}  {count:>3}")
        weights = ", ".join(f"{d['name']} {d['weight']:f}%" for d in data["scorecard"])
        self.stdout.write(f"  Weights: {weights}")
