import pytest
from django.contrib.auth.models import User

from audit.models import AuditEntry
from org import services
from org.models import Employee, Team
from org.services import OrgImportError, org_import

pytestmark = pytest.mark.django_db


def test_it_imports_nobody_when_one_row_of_many_is_bad(org_csv, org_row):
    rows = [org_row("ceo"), *(org_row(f"dev{n}", manager="ceo", team="core") for n in range(50))]
    rows[30]["start_date"] = "2024-02-31"
    with pytest.raises(OrgImportError) as caught:
        org_import(actor=None, content=org_csv(rows), source_name="org.csv")
    assert [(e.row, e.column) for e in caught.value.errors] == [(32, "start_date")]
    assert not User.objects.exists() and not Employee.objects.exists() and not Team.objects.exists()


def test_it_rolls_everything_back_when_a_write_fails_half_way(
    org_small, org_csv, org_current_rows, org_row, monkeypatch
):
    rows = [row for row in org_current_rows() if row["username"] != "engineer2"]
    rows[0]["title"] = "Chief Technology Officer"
    rows.append(org_row("newdev", manager="manager", team="new-team"))

    def broken(**kwargs):
        raise RuntimeError("audit store unavailable")

    monkeypatch.setattr(services, "audit_record_many", broken)
    with pytest.raises(RuntimeError):
        org_import(actor=None, content=org_csv(rows), source_name="org.csv", send_invites=False)

    assert not User.objects.filter(username="newdev").exists()
    assert not Team.objects.filter(slug="new-team").exists()
    assert Employee.objects.get(user__username="director").title == "Director of Engineering"
    assert Employee.objects.get(user__username="engineer2").active
    assert User.objects.get(username="engineer2").is_active
    assert not AuditEntry.objects.exists()
