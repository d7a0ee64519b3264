import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from staffrole import access
from staffrole.access import Access, Relation
from tests.org_builders import small_org

pytestmark = pytest.mark.django_db


def _user(org, name):
    # A fresh user object per check: the policy caches what it learns on the user for one request.
    from django.contrib.auth.models import User

    return User.objects.get(pk=org[name].user_id)


@pytest.mark.parametrize(
    ("viewer", "subject", "relation"),
    [
        ("engineer", "engineer", Relation.SELF),
        ("manager", "engineer", Relation.MANAGER),
        ("director", "engineer", Relation.DIRECTOR),
        ("manager2", "engineer", Relation.OTHER),
        ("engineer2", "engineer", Relation.OTHER),
        ("engineer", "manager", Relation.OTHER),
        ("hr", "engineer", Relation.OTHER),
    ],
)
def test_it_reads_relations_off_the_manager_chain(viewer, subject, relation):
    org = small_org()
    assert access.relation_to(_user(org, viewer), org[subject]) is relation


@pytest.mark.parametrize(
    ("viewer", "full"),
    [
        ("engineer", True),
        ("engineer2", False),
        ("manager", True),
        ("manager2", False),
        ("director", True),
        ("hr", True),
    ],
)
def test_it_shows_the_full_profile_to_the_person_their_chain_and_hr(viewer, full):
    org = small_org()
    user = _user(org, viewer)
    assert access.can_read_employee(user, org["engineer"])
    assert access.can_read_employee_full(user, org["engineer"]) is full
    assert access.can_edit_employee(user, org["engineer"]) is (viewer == "hr")


def test_it_refuses_anonymous_callers_everything():
    org = small_org()
    anonymous = AnonymousUser()
    assert not access.can_read_employee(anonymous, org["engineer"])
    assert not access.can_import_org(anonymous)
    assert access.calibration_access(anonymous) is Access.NONE


def test_it_hides_leavers_from_colleagues_outside_their_chain():
    org = small_org()
    org["engineer"].active = False
    org["engineer"].deactivated_at = timezone.now()
    org["engineer"].save()
    with pytest.raises(Http404):
        access.get_employee_for_user(_user(org, "engineer2"), "engineer")
    assert access.get_employee_for_user(_user(org, "manager"), "engineer") == org["engineer"]
    assert access.get_employee_for_user(_user(org, "hr"), "engineer") == org["engineer"]


def test_it_answers_403_to_a_non_hr_edit_of_a_visible_person():
    org = small_org()
    with pytest.raises(PermissionDenied):
        access.get_employee_for_user(_user(org, "manager"), "engineer", edit=True)
    with pytest.raises(Http404):
        access.get_employee_for_user(_user(org, "manager"), "nobody", edit=True)


@pytest.mark.parametrize(
    ("viewer", "level", "scope"),
    [
        ("engineer", Access.NONE, set()),
        ("manager", Access.READ, {"engineer", "newhire"}),
        ("director", Access.READ, {"manager", "manager2", "engineer", "newhire", "engineer2"}),
        ("hr", Access.EDIT, None),
    ],
)
def test_it_scopes_calibration_to_reports_org_or_everyone(viewer, level, scope):
    org = small_org()
    user = _user(org, viewer)
    assert access.calibration_access(user) is level
    ids = access.calibration_employee_ids(user)
    assert ids == (None if scope is None else {org[name].pk for name in scope})


def test_it_loads_the_callers_record_once_per_request(django_assert_num_queries):
    org = small_org()
    user = _user(org, "director")
    with django_assert_num_queries(3):  # groups, employee, subtree
        access.viewer(user)
        access.subtree_of(user)
        for name in ("engineer", "newhire", "engineer2", "manager"):
            access.relation_to(user, org[name])
