from pathlib import Path

import pytest

from org.importer import org_import_plan
from scorecards.services import blueprint_import, blueprint_parse_upload

pytestmark = pytest.mark.django_db

DOCUMENT = Path(__file__).resolve().parents[2] / "scorecards" / "blueprint_documents" / "staff-software-engineer.txt"


def test_it_reports_an_unknown_role_slug(staff_blueprint, org_csv, org_row):
    rows = [org_row("lead", role="staff-software-engineer"), org_row("dev", role="wizard")]
    [error] = org_import_plan(content=org_csv(rows)).errors
    assert (error.row, error.column, error.value, error.reason) == (3, "role", "wizard", "unknown role slug 'wizard'")


def test_it_reports_a_role_that_has_only_a_draft_blueprint(org_csv, org_row):
    data = blueprint_parse_upload(name=DOCUMENT.name, content=DOCUMENT.read_bytes())
    blueprint_import(actor=None, data=data, source_name=DOCUMENT.name, publish=False)
    [error] = org_import_plan(content=org_csv([org_row("dev", role="staff-software-engineer")])).errors
    assert error.reason == "role 'staff-software-engineer' has no published blueprint yet"
