import io

import pytest
from pypdf import PdfReader

from hiring.sheets import debrief_pdf
from tests.hiring.conftest import user
from tests.hiring.support import submit

pytestmark = pytest.mark.django_db


def test_it_renders_the_debrief_as_pdf(hiring):
    submit(hiring["engineer_interview"], {"System design & architecture": "strong_yes"}, red_flag=True)
    name, content = debrief_pdf(candidate_id=hiring["candidate"].pk, requester=user("manager"))
    assert name == "debrief-casey-candidate.pdf"
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages).split())
    assert "Casey Candidate" in text
    assert "Renormalised over 1 of 7 dimensions" in text
    assert "Red flags" in text
