import pytest

from org import importer
from org.importer import org_import_plan

pytestmark = pytest.mark.django_db

HEADER = b"username,email,name,title,role,level,team,manager,start_date\n"
ROW = b"dev,dev@example.test,Dev,,,,,,2022-03-01\n"


def _problems(content: bytes):
    return [(e.row, e.column, e.reason) for e in org_import_plan(content=content).errors]


def test_it_refuses_a_file_that_is_not_utf8_and_names_the_row():
    content = HEADER + ROW + "zoe,zoe@example.test,Zoë,,,,,,2022-03-01\n".encode("latin-1")
    assert _problems(content) == [(3, None, "the file is not UTF-8 text; save it as “CSV UTF-8” and try again")]


@pytest.mark.parametrize("content", [b"", b"\n\n", b"  "])
def test_it_refuses_an_empty_file(content):
    assert _problems(content) == [(None, None, "the file is empty")]


def test_it_refuses_a_file_with_only_a_header():
    assert _problems(HEADER + b",,,,,,,,\n") == [(None, None, "the file has a header but no people")]


def test_it_names_each_missing_column():
    problems = _problems(b"username,email,name,title,role,level\ndev,dev@example.test,Dev,,,\n")
    assert [(row, column) for row, column, _ in problems] == [(1, "team"), (1, "manager"), (1, "start_date")]
    assert problems[0][2].startswith("missing column (the header needs: username, email, name")


def test_it_notices_semicolons_between_values():
    problems = _problems(b"username;email;name;title;role;level;team;manager;start_date\n")
    assert len(problems) == 9 and all("use commas" in reason for _, _, reason in problems)


def test_it_refuses_a_column_given_twice():
    problems = _problems(HEADER.replace(b"\n", b",email\n") + ROW)
    assert problems == [(1, "email", "this column appears twice in the header")]


def test_it_refuses_more_rows_than_the_limit(monkeypatch):
    monkeypatch.setattr(importer, "MAX_ROWS", 3)
    three = HEADER + b"".join(ROW.replace(b"dev", f"dev{n}".encode()) for n in range(3))
    assert org_import_plan(content=three).valid
    assert _problems(HEADER + ROW * 4) == [(5, None, "the file has more than 3 rows")]


def test_it_refuses_a_file_over_the_size_limit(monkeypatch):
    monkeypatch.setattr(importer, "MAX_BYTES", 100)
    assert _problems(HEADER + ROW * 3) == [(None, None, "the file is larger than 100 bytes")]


def test_it_reports_a_row_with_more_values_than_the_header():
    problems = _problems(HEADER + b"dev,dev@example.test,Dev, Jr,,,,,,2022-03-01\n")
    assert (2, None, "the row has 10 values but the header has 9 columns") in problems


def test_it_tolerates_a_byte_order_mark_blank_lines_spaces_and_columns_in_any_order():
    content = (
        "\ufeffStart_Date, Username ,email,name,title,role,level,team,manager\r\n"
        "\r\n"
        "2022-03-01,  dev ,dev@example.test,Dev,,,,,\r\n"
        ",,,,,,,,\r\n"
        '2023-01-09,zoe,zoe@example.test,"Zoë, the second",,,,,dev\r\n'
    ).encode()
    plan = org_import_plan(content=content)
    assert plan.valid, plan.errors
    assert [(p.row, p.username) for p in plan.created] == [(3, "dev"), (5, "zoe")]
    assert plan.created[1].changes["name"] == ("", "Zoë, the second")


def test_it_warns_about_columns_it_does_not_use():
    plan = org_import_plan(content=HEADER.replace(b"\n", b",phone,desk\n") + ROW.replace(b"\n", b",123,4B\n"))
    assert plan.valid
    assert plan.warnings == ["Ignored columns not used by the import: phone, desk."]


@pytest.mark.parametrize(
    ("column", "value", "reason"),
    [
        ("username", "", "a username is required"),
        ("username", "dev smith", "use only letters, digits and @ . + - _"),
        ("username", "x" * 151, "at most 150 characters"),
        ("email", "", "an email address is required"),
        ("email", "dev-at-example", "not a valid email address"),
        ("name", "", "a name is required"),
        ("title", "t" * 201, "at most 200 characters"),
        ("level", "l" * 51, "at most 50 characters"),
        ("team", "Data Platform", "a team is a slug: lowercase letters, digits and hyphens, such as 'data-platform'"),
    ],
)
def test_it_reports_a_bad_value(column, value, reason, org_csv, org_row):
    row = {**org_row("dev"), column: value}
    [error] = org_import_plan(content=org_csv([row])).errors
    shown = value if len(value) <= 100 else value[:99] + "…"
    assert (error.row, error.column, error.value, error.reason) == (2, column, shown, reason)
