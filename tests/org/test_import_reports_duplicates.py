import pytest

from org.importer import org_import_plan

pytestmark = pytest.mark.django_db


def _problems(plan):
    return [(e.row, e.column, e.value, e.reason) for e in plan.errors]


def test_it_reports_a_repeated_username_naming_the_first_row(org_csv, org_row):
    rows = [org_row("ceo"), org_row("dev", manager="ceo"), org_row("dev", email="other@example.test")]
    assert _problems(org_import_plan(content=org_csv(rows))) == [
        (4, "username", "dev", "duplicate username: already on row 3")
    ]


def test_it_reports_usernames_that_differ_only_in_case(org_csv, org_row):
    rows = [org_row("dev"), org_row("Dev", email="dev2@example.test")]
    assert _problems(org_import_plan(content=org_csv(rows))) == [
        (3, "username", "Dev", "duplicate username: already on row 2")
    ]


def test_it_reports_a_repeated_email_whatever_its_case(org_csv, org_row):
    rows = [org_row("a", email="Same@Example.test"), org_row("b", email="same@example.test")]
    assert _problems(org_import_plan(content=org_csv(rows))) == [
        (3, "email", "same@example.test", "duplicate email: already on row 2")
    ]


def test_it_reports_the_email_of_someone_who_keeps_it(org_small, org_csv, org_current_rows, org_row):
    rows = [*org_current_rows(), org_row("newdev", email="ENGINEER@example.test", manager="manager")]
    rows = [row for row in rows if row["username"] != "engineer"]
    # engineer is not in the file: deactivated, but their login keeps its email.
    assert _problems(org_import_plan(content=org_csv(rows))) == [
        (8, "email", "ENGINEER@example.test", "already the email of 'engineer', who is not in the file")
    ]


def test_it_accepts_two_people_swapping_their_emails(org_small, org_csv, org_current_rows):
    rows = {row["username"]: row for row in org_current_rows()}
    rows["engineer"]["email"], rows["engineer2"]["email"] = rows["engineer2"]["email"], rows["engineer"]["email"]
    plan = org_import_plan(content=org_csv(rows.values()))
    assert plan.valid, plan.errors
    assert sorted(p.username for p in plan.changed) == ["engineer", "engineer2"]


def test_it_reports_a_new_username_that_differs_only_in_case_from_an_account(django_user_model, org_csv, org_row):
    django_user_model.objects.create_user("mia", password="x")
    assert _problems(org_import_plan(content=org_csv([org_row("Mia")]))) == [
        (2, "username", "Mia", "differs only in upper/lower case from the existing account 'mia'")
    ]
