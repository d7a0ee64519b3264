import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied

from audit.models import AuditEntry
from scorecards.blueprint_parser import BlueprintParseError
from scorecards.models import BlueprintVersion, Responsibility, ScorecardDimension, Skill
from scorecards.selectors import blueprint_to_dict, blueprint_version_by_id
from scorecards.services import (
    BlueprintImportError,
    blueprint_discard_draft,
    blueprint_import,
    blueprint_parse_upload,
    blueprint_publish,
    blueprint_start_draft,
)

DOCUMENTS = Path(__file__).resolve().parents[2] / "scorecards" / "blueprint_documents"

pytestmark = pytest.mark.django_db


def _data(name: str = "staff-software-engineer.txt") -> dict:
    return blueprint_parse_upload(name=name, content=(DOCUMENTS / name).read_bytes())


def test_it_stores_every_count_of_the_bundled_document(staff_blueprint):
    version = blueprint_version_by_id(staff_blueprint.pk)
    by_category = {c: version.responsibilities.filter(category=c).count() for c in Responsibility.Category.values}
    assert by_category == {
        "strategic": 5,
        "operational": 5,
        "technical": 5,
        "cross_functional": 4,
        "governance": 3,
        "leadership": 3,
    }
    by_group = {g: version.skills.filter(group=g).count() for g in Skill.Group.values}
    assert by_group == {
        "technical_must_have": 10,
        "technical_good_to_have": 6,
        "technical_advanced": 5,
        "technical_emerging": 5,
        "soft": 9,
    }
    assert version.kpis.count() == 23
    assert [m.horizon for m in version.milestones.all()] == ["30d", "60d", "90d", "6m", "12m", "long_term"]
    assert all(m.success_indicators for m in version.milestones.all()[:3])
    assert [d.weight for d in version.dimensions.all()] == [Decimal(w) for w in (25, 20, 15, 15, 10, 10, 5)]
    assert len(version.sections["tools"]["items"]) == 29
    assert version.promotion_criteria.count() == 5
    assert version.role.slug == "staff-software-engineer"
    assert version.status == "published" and version.number == 1


def test_it_reads_our_other_role_documents():
    for path in sorted(DOCUMENTS.glob("*.txt")):
        data = _data(path.name)
        assert sum(d["weight"] for d in data["scorecard"]) == 100, path.name
        assert data["responsibilities"] and data["skills"] and data["kpis"], path.name
    assert len(list(DOCUMENTS.glob("*.txt"))) >= 3


def test_it_imports_another_role_as_its_own_blueprint(staff_blueprint):
    other = next(p for p in sorted(DOCUMENTS.glob("*.txt")) if p.name != "staff-software-engineer.txt")
    result = blueprint_import(actor=None, data=_data(other.name), publish=True)
    assert result.created
    assert result.version.role.slug != "staff-software-engineer"
    assert BlueprintVersion.objects.count() == 2


def test_it_changes_nothing_when_the_same_document_is_imported_again(staff_blueprint):
    before = AuditEntry.objects.count()
    result = blueprint_import(actor=None, data=_data(), publish=True)
    assert not result.created
    assert result.version.pk == staff_blueprint.pk
    assert BlueprintVersion.objects.count() == 1
    assert AuditEntry.objects.count() == before


def test_it_makes_a_new_version_when_the_content_changes(staff_blueprint):
    data = _data()
    data["mission"] = data["mission"] + " Updated."
    result = blueprint_import(actor=None, data=data)
    assert result.created
    assert result.version.number == 2 and result.version.status == "draft"
    assert blueprint_version_by_id(staff_blueprint.pk).mission != result.version.mission


def test_it_refuses_a_second_draft_and_writes_nothing(staff_blueprint):
    data = _data()
    data["mission"] = "First edit."
    blueprint_import(actor=None, data=data)
    data["mission"] = "Second edit."
    with pytest.raises(BlueprintImportError, match="already has a draft"):
        blueprint_import(actor=None, data=data)
    assert BlueprintVersion.objects.count() == 2


def test_it_round_trips_the_exported_json_to_an_identical_blueprint(staff_blueprint):
    exported = blueprint_to_dict(blueprint_version_by_id(staff_blueprint.pk))
    BlueprintVersion.objects.all().delete()
    data = blueprint_parse_upload(name="export.json", content=json.dumps(exported).encode())
    reimported = blueprint_import(actor=None, data=data, publish=True).version
    assert blueprint_to_dict(blueprint_version_by_id(reimported.pk)) == exported


def test_it_records_who_imported_and_published(staff_blueprint, hr_user):
    data = _data()
    data["summary"] = "Changed summary."
    version = blueprint_import(actor=hr_user, data=data).version
    blueprint_publish(actor=hr_user, version=version)
    actions = list(AuditEntry.objects.filter(target_id=str(version.pk)).values_list("action", "actor__username"))
    assert ("blueprint.import", "hr") in actions and ("blueprint.publish", "hr") in actions


def test_it_lets_only_hr_import_and_publish(staff_blueprint, engineer_user):
    data = _data()
    data["summary"] = "Changed."
    with pytest.raises(PermissionDenied):
        blueprint_import(actor=engineer_user, data=data)
    draft = blueprint_import(actor=None, data=data).version
    with pytest.raises(PermissionDenied):
        blueprint_publish(actor=engineer_user, version=draft)
    assert BlueprintVersion.objects.get(pk=draft.pk).status == "draft"


def test_it_refuses_to_publish_weights_that_do_not_sum_to_100(staff_blueprint, hr_user):
    draft = blueprint_start_draft(actor=hr_user, role=staff_blueprint.role)
    ScorecardDimension.objects.filter(version=draft, position=0).update(weight=Decimal("30"))
    with pytest.raises(BlueprintImportError, match="sum to 105"):
        blueprint_publish(actor=hr_user, version=draft)
    assert BlueprintVersion.objects.get(pk=draft.pk).status == "draft"


def test_it_starts_a_draft_as_a_copy_and_leaves_the_published_version_alone(staff_blueprint, hr_user):
    draft = blueprint_start_draft(actor=hr_user, role=staff_blueprint.role)
    original = blueprint_to_dict(blueprint_version_by_id(staff_blueprint.pk))
    copy = blueprint_to_dict(blueprint_version_by_id(draft.pk))
    assert {**copy, "version": 1, "status": "published"} == original
    ScorecardDimension.objects.filter(version=draft).update(meets_bar="Edited")
    assert blueprint_to_dict(blueprint_version_by_id(staff_blueprint.pk)) == original
    blueprint_discard_draft(actor=hr_user, version=draft)
    assert not BlueprintVersion.objects.filter(pk=draft.pk).exists()


def test_it_never_discards_a_published_version(staff_blueprint, hr_user):
    with pytest.raises(BlueprintImportError):
        blueprint_discard_draft(actor=hr_user, version=staff_blueprint)
    assert BlueprintVersion.objects.filter(pk=staff_blueprint.pk).exists()


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d["scorecard"][0].update(weight=30), "sum to 100, found 105 (at scorecard)"),
        (lambda d: d["scorecard"][0].update(weight="lots"), "a number, found 'lots' (at scorecard[0].weight)"),
        (
            lambda d: d["skills"][0].update(importance="vital"),
            "one of critical, important, optional, expert, found 'vital' (at skills[0].importance)",
        ),
        (lambda d: d["milestones"][0].update(horizon="2w"), "(at milestones[0].horizon)"),
        (lambda d: d.update(scorecard=[]), "a non-empty list (at scorecard)"),
        (lambda d: d["responsibilities"][1].update(category="misc"), "(at responsibilities[1].category)"),
        (lambda d: d.update(title="  "), "(at blueprint.title)"),
    ],
)
def test_it_refuses_a_bad_json_blueprint_and_writes_nothing(staff_blueprint, mutate, message):
    data = blueprint_to_dict(blueprint_version_by_id(staff_blueprint.pk))
    data["summary"] = "Changed, so that it would be a new version."
    mutate(data)
    with pytest.raises(BlueprintParseError, match=re.escape(message)):
        blueprint_parse_upload(name="x.json", content=json.dumps(data).encode())
    assert BlueprintVersion.objects.count() == 1


def test_it_names_the_line_of_broken_json():
    with pytest.raises(BlueprintParseError, match="line 3"):
        blueprint_parse_upload(name="x.json", content=b'{\n "title": "X",\n "skills": [,]\n}')


def test_it_refuses_a_file_that_is_not_utf8_text():
    with pytest.raises(BlueprintParseError, match="UTF-8"):
        blueprint_parse_upload(name="x.txt", content=b"\xff\xfe\x00bad")
