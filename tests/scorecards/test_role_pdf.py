import io

import pytest
from pypdf import PdfReader

from scorecards.documents import role_one_pager_pdf

pytestmark = pytest.mark.django_db


def _text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_it_renders_the_role_one_pager(staff_blueprint):
    filename, content = role_one_pager_pdf(staff_blueprint.pk)
    assert filename == "staff-software-engineer-v1.pdf"
    assert content.startswith(b"%PDF-")
    text = _text(content)
    assert "Staff Software Engineer" in text
    assert "System design & architecture" in text
    assert "Page 1 of" in text
    for heading in (
        "Mission",
        "Scorecard",
        "Responsibilities",
        "Critical skills",
        "KPIs and targets",
        "The first 90 days",
        "Promotion criteria",
    ):
        assert heading in text, heading
    assert "Generated " in text


def test_it_fits_the_one_pager_on_a_few_a4_pages(staff_blueprint):
    _, content = role_one_pager_pdf(staff_blueprint.pk)
    pages = PdfReader(io.BytesIO(content)).pages
    assert 1 <= len(pages) <= 3
    width, height = (float(v) for v in pages[0].mediabox.upper_right)
    assert (round(width), round(height)) == (595, 842)  # A4 in points


def test_it_marks_a_draft_one_pager_as_a_draft(hr_user, staff_blueprint):
    from scorecards.services import blueprint_start_draft

    draft = blueprint_start_draft(actor=hr_user, role=staff_blueprint.role)
    filename, content = role_one_pager_pdf(draft.pk)
    assert filename == "staff-software-engineer-v2.pdf"
    assert "(draft)" in _text(content)
