from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from audit.models import AuditEntry
from org.models import Employee, Team
from org.selectors import with_report_counts
from reviews.demo import demo_cycle_name, demo_seed
from reviews.models import Cycle, Rating, Review
from reviews.scoring import rounded_rating
from reviews.services import review_explanation
from scorecards.models import Role

pytestmark = pytest.mark.django_db

DEMO_USERNAMES = {"director", "manager", "manager2", "engineer", "newhire", "engineer2", "hr"}
# Seeding touches a fixed set of tables a fixed number of times; only SQLite's batches of ~90 rows per
# insert grow with the size of the organisation. The career ladder's track adds six (ladder/demo.py).
SEED_QUERY_BOUND = 46


def seed(engineers: int = 0) -> str:
    out = StringIO()
    args = ["--engineers", str(engineers)] if engineers else []
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def employee(username: str) -> Employee:
    return Employee.objects.select_related("team").get(user__username=username)


def manager_of() -> dict[str, str | None]:
    rows = Employee.objects.values_list("user__username", "manager__user__username")
    return dict(rows)


def boss(username: str) -> str | None:
    return manager_of()[username]


def role_slug(username: str) -> str | None:
    return Employee.objects.values_list("role__slug", flat=True).get(user__username=username)


def signs_in_with_demo(username: str) -> bool:
    user = User.objects.get(username=username)
    return user.is_active and user.check_password("demo")


def last_seed_entry() -> dict[str, Any]:
    after = AuditEntry.objects.filter(action="demo.seed").values_list("after", flat=True).order_by("-pk").first()
    assert isinstance(after, dict)
    return after


def test_it_creates_the_demo_accounts_with_password_demo():
    seed()
    assert set(User.objects.values_list("username", flat=True)) == DEMO_USERNAMES
    assert all(signs_in_with_demo(name) for name in DEMO_USERNAMES)
    assert list(User.objects.get(username="hr").groups.values_list("name", flat=True)) == ["HR"]
    assert not User.objects.get(username="engineer").groups.exists()


def test_it_builds_the_contract_org_chart():
    seed()
    assert manager_of() == {
        "director": None,
        "manager": "director",
        "manager2": "director",
        "engineer": "manager",
        "newhire": "manager",
        "engineer2": "manager2",
        "hr": None,
    }
    teams = dict(Employee.objects.values_list("user__username", "team__slug"))
    assert teams == {
        "director": None,
        "manager": "platform",
        "manager2": "payments",
        "engineer": "platform",
        "newhire": "platform",
        "engineer2": "payments",
        "hr": None,
    }
    assert dict(Team.objects.values_list("slug", "name")) == {"platform": "Platform", "payments": "Payments"}


def test_it_gives_the_demo_people_their_names_and_titles():
    seed()
    assert (employee("director").name, employee("director").title) == ("Dana Director", "Director of Engineering")
    assert (employee("manager2").name, employee("manager2").title) == ("Mika Manager", "Engineering Manager")
    assert (employee("engineer").title, employee("engineer").level) == ("Staff Software Engineer", "Staff")
    assert (employee("hr").name, employee("hr").title) == ("Harper Rivera", "HR Business Partner")
    assert all(e.active for e in Employee.objects.all())


def test_it_starts_newhire_three_weeks_ago():
    seed()
    assert employee("newhire").start_date == timezone.localdate() - timedelta(weeks=3)
    assert employee("engineer").start_date.year < timezone.localdate().year


def test_it_leaves_roles_empty_without_their_blueprints():
    seed()
    assert not Employee.objects.filter(role__isnull=False).exists()


def test_it_gives_engineers_the_staff_role_when_the_blueprint_exists(staff_blueprint):
    seed()
    staff = Role.objects.get(slug="staff-software-engineer")
    assert {e.user.username for e in Employee.objects.filter(role=staff)} == {"engineer", "newhire", "engineer2"}
    assert employee("manager").role is None


def test_it_gives_managers_the_engineering_manager_role_when_it_exists():
    manager_role = Role.objects.create(slug="engineering-manager", title="Engineering Manager")
    seed()
    assert {e.user.username for e in Employee.objects.filter(role=manager_role)} == {"manager", "manager2"}


def test_it_fills_in_the_role_once_the_blueprint_is_imported(request):
    seed()
    request.getfixturevalue("staff_blueprint")
    out = seed()
    assert role_slug("engineer") == role_slug("newhire") == "staff-software-engineer"
    assert "roles filled in: 3" in out
    assert last_seed_entry()["roles_filled"] == ["engineer", "engineer2", "newhire"]


def test_it_changes_nothing_when_run_again():
    seed(engineers=20)
    passwords = dict(User.objects.values_list("username", "password"))
    employees = list(Employee.objects.order_by("pk").values())
    teams = list(Team.objects.order_by("pk").values())
    audit_entries = AuditEntry.objects.count()
    out = seed(engineers=20)
    assert "0 created, 31 already there" in out  # 7 demo accounts, 20 engineers, 3 managers, 1 director
    assert dict(User.objects.values_list("username", "password")) == passwords
    assert list(Employee.objects.order_by("pk").values()) == employees  # updated_at included
    assert list(Team.objects.order_by("pk").values()) == teams
    assert AuditEntry.objects.count() == audit_entries


def test_it_keeps_hr_edits_to_demo_employees(staff_blueprint):
    seed()
    platform = Team.objects.get(slug="platform")
    Employee.objects.filter(user__username="engineer2").update(team=platform, level="Principal")
    Employee.objects.filter(user__username="engineer").update(title="Product Manager", role=None)
    seed()
    assert employee("engineer2").team == platform
    assert employee("engineer2").level == "Principal"
    assert employee("engineer").title == "Product Manager"
    assert role_slug("engineer") is None


def test_it_records_one_audit_entry_per_run_that_creates_something():
    seed()
    seed()
    seed(engineers=8)
    entries: list[Any] = list(
        AuditEntry.objects.filter(action="demo.seed").order_by("pk").values_list("after", flat=True)
    )
    assert len(entries) == 2
    assert entries[0]["created_teams"] == ["payments", "platform"]
    assert len(entries[1]["created_employees"]) == 10  # eng0001-eng0008, mgr001, dir01


def test_it_adds_synthetic_engineers_on_request():
    seed(engineers=25)
    assert User.objects.filter(username__startswith="eng0").count() == 25
    assert Employee.objects.filter(user__username__startswith="eng0").count() == 25
    assert signs_in_with_demo("eng0025")
    assert signs_in_with_demo("mgr004")
    assert signs_in_with_demo("dir01")


def test_it_refuses_a_negative_number_of_engineers():
    with pytest.raises(CommandError):
        call_command("seed_demo", "--engineers", "-1", stdout=StringIO())
    assert not User.objects.exists()


def test_it_puts_every_synthetic_engineer_under_an_active_manager():
    seed(engineers=200)
    engineers = Employee.objects.filter(user__username__startswith="eng0")
    assert engineers.count() == 200
    managers = set(engineers.values_list("manager__user__username", "manager__active"))
    assert {(username[:3], active) for username, active in managers} == {("mgr", True)}


def test_it_keeps_every_span_of_control_near_eight():
    seed(engineers=200)
    people: list[Any] = list(with_report_counts(Employee.objects.all()))
    counts = [person.report_count for person in people if person.report_count]
    assert max(counts) <= 10
    assert sum(counts) / len(counts) >= 6


def test_it_makes_several_directors_who_report_to_director():
    seed(engineers=200)
    directors: list[Any] = list(
        with_report_counts(Employee.objects.filter(user__username__startswith="dir0").select_related("manager__user"))
    )
    assert len(directors) >= 2
    assert {(d.is_director, d.manager.user.username) for d in directors} == {(True, "director")}


def test_it_ends_every_chain_at_director():
    seed(engineers=200)
    managers = manager_of()
    for username in set(managers) - {"hr"}:
        chain = [username]
        while (above := managers[chain[-1]]) is not None:
            chain.append(above)
            assert len(chain) < 10, chain
        assert chain[-1] == "director", chain


def test_it_makes_each_managers_group_a_team():
    seed(engineers=20)
    pairs = Employee.objects.filter(user__username__startswith="eng0").values_list("team", "manager__team")
    assert all(team is not None and team == managers_team for team, managers_team in pairs)
    assert Team.objects.get(slug="team-001").name != "team-001"
    assert Team.objects.filter(slug__startswith="team-").count() == 3


def test_it_varies_synthetic_levels_and_start_dates(staff_blueprint):
    seed(engineers=100)
    engineers = Employee.objects.filter(user__username__startswith="eng0")
    assert set(engineers.values_list("level", flat=True)) >= {"Senior", "Staff"}
    years = {day.year for day in engineers.values_list("start_date", flat=True)}
    assert len(years) >= 5
    assert max(years) < timezone.localdate().year
    assert set(engineers.values_list("role__slug", flat=True)) == {"staff-software-engineer"}


def test_it_adds_only_the_missing_engineers_for_a_larger_n():
    seed(engineers=20)
    before = dict(Employee.objects.values_list("user__username", "pk"))
    out = seed(engineers=30)
    after = dict(Employee.objects.values_list("user__username", "pk"))
    assert set(after) - set(before) == {f"eng{n:04d}" for n in range(21, 31)} | {"mgr004"}
    assert all(after[username] == pk for username, pk in before.items())
    assert "Demo accounts: 11 created" in out
    assert boss("eng0021") == "mgr003"


def test_it_places_new_people_under_the_nearest_active_manager():
    seed(engineers=8)
    Employee.objects.filter(user__username="dir01").update(active=False, deactivated_at=timezone.now())
    seed(engineers=9)
    assert boss("mgr002") == "director"
    assert boss("eng0009") == "mgr002"


@pytest.mark.parametrize("engineers", [50, 200])
def test_it_seeds_in_a_number_of_queries_independent_of_n(engineers, django_assert_max_num_queries):
    with django_assert_max_num_queries(SEED_QUERY_BOUND):
        result = demo_seed(engineers=engineers, events=False)  # the events' batches: tests/kpis/test_demo_events.py
    assert len(result.employees_created) > engineers


def test_it_prints_a_summary():
    out = seed(engineers=200)
    assert "Demo accounts: 236 created, 0 already there" in out  # 7 + 200 + 25 managers + 4 directors
    assert "Employees: 236 created, 0 already there; teams: 27 created, 0 already there" in out
    assert "Organisation: 5 directors, 27 managers, 203 engineers." in out
    assert "Engineering events: " in out


# --- The demo review cycle -----------------------------------------------------------------------


def demo_cycle() -> Cycle:
    return Cycle.objects.get(name=demo_cycle_name(timezone.localdate()))


def demo_review(username: str) -> Review:
    return Review.objects.select_related("reviewer__user").get(cycle=demo_cycle(), employee__user__username=username)


def scores(review: Review, side: str) -> list[int | None]:
    return list(review.ratings.filter(side=side).order_by("dimension__position").values_list("score", flat=True))


def test_it_makes_no_cycle_without_the_engineers_blueprint():
    out = seed()
    assert not Cycle.objects.exists()
    assert "Review cycle: none yet" in out


def test_it_opens_a_cycle_covering_today_for_everyone_with_a_role(staff_blueprint):
    out = seed()
    cycle, today = demo_cycle(), timezone.localdate()
    assert cycle.state == "open" and cycle.period_start <= today <= cycle.period_end
    assert today < cycle.self_due < cycle.manager_due < cycle.calibration_due < cycle.signoff_due
    assert cycle.name == f"{today.year} Q{(today.month - 1) // 3 + 1} review"
    assert set(cycle.reviews.values_list("employee__user__username", flat=True)) == {"engineer", "engineer2", "newhire"}
    assert f"Review cycle: {cycle.name} opened with 3 reviews." in out
    opening = AuditEntry.objects.get(action="cycle.open", target_id=str(cycle.pk))
    assert opening.actor.username == "hr" and len(opening.after["skipped"]) == 4  # no role: managers, director, hr


def test_it_leaves_the_demo_reviews_in_several_states(staff_blueprint):
    seed()
    engineer, engineer2, newhire = demo_review("engineer"), demo_review("engineer2"), demo_review("newhire")
    assert engineer.state == "self_submitted" and None not in scores(engineer, "self")
    assert set(scores(engineer, "manager")) == {None}
    assert all(engineer.ratings.filter(side="self").values_list("comment", flat=True))
    assert engineer2.state == "manager_submitted" and engineer2.potential == "high"
    assert None not in scores(engineer2, "self") and None not in scores(engineer2, "manager")
    assert engineer2.reviewer.user.username == "manager2"
    assert newhire.state == "draft"
    assert len([score for score in scores(newhire, "self") if score is not None]) == 2


def test_it_writes_the_demo_reviews_as_their_people_would(staff_blueprint):
    seed()
    engineer2 = demo_review("engineer2")
    entries = AuditEntry.objects.filter(target_type="reviews.review", target_id=str(engineer2.pk))
    by_action = {(e.action, e.actor.username) for e in entries.select_related("actor")}
    assert {("review.rating", "engineer2"), ("review.submit_self", "engineer2")} <= by_action
    assert {
        ("review.rating", "manager2"),
        ("review.potential", "manager2"),
        ("review.submit_manager", "manager2"),
    } <= by_action


def test_it_spreads_the_synthetic_reviews_over_the_states(staff_blueprint):
    seed(engineers=60)
    synthetic = list(
        Review.objects.filter(cycle=demo_cycle(), employee__user__username__startswith="eng0").select_related(
            "blueprint_version"
        )
    )
    assert len(synthetic) == 60
    states = {review.state for review in synthetic}
    assert states == {"draft", "self_submitted", "manager_submitted", "calibrated", "shared"}
    for review in synthetic:
        self_side, manager_side = (review_explanation(review=review, side=side) for side in ("self", "manager"))
        if review.state != "draft":
            assert self_side.complete and review.self_submitted_at is not None
        if review.state in ("manager_submitted", "calibrated", "shared"):
            assert manager_side.complete and review.potential
        if review.state in ("calibrated", "shared"):
            assert review.final_rating == rounded_rating(manager_side.weighted_score)
        else:
            assert review.final_rating is None
        if review.state in ("draft", "self_submitted"):
            assert all(line.score is None for line in manager_side.lines)


def test_it_changes_nothing_in_the_cycle_when_run_again(staff_blueprint):
    seed(engineers=16)
    reviews = list(Review.objects.order_by("pk").values())
    ratings = list(Rating.objects.order_by("pk").values())
    entries = AuditEntry.objects.count()
    out = seed(engineers=16)
    assert Cycle.objects.count() == 1
    assert list(Review.objects.order_by("pk").values()) == reviews
    assert list(Rating.objects.order_by("pk").values()) == ratings
    assert AuditEntry.objects.count() == entries
    assert "already there; 0 reviews added" in out


def test_it_enrols_people_a_later_run_adds_as_late_joiners(staff_blueprint):
    seed(engineers=8)
    before = {r.pk: r.state for r in Review.objects.all()}
    out = seed(engineers=16)
    added = Review.objects.filter(cycle=demo_cycle()).exclude(pk__in=before)
    assert set(added.values_list("employee__user__username", flat=True)) == {f"eng{n:04d}" for n in range(9, 17)}
    assert {r.pk: r.state for r in Review.objects.filter(pk__in=before)} == before
    assert AuditEntry.objects.filter(action="review.enrol").count() == 8
    assert "8 reviews added" in out


def test_it_can_leave_the_cycle_out(staff_blueprint):
    demo_seed(cycle=False)
    assert not Cycle.objects.exists()


def test_it_seeds_the_cycle_in_bulk(staff_blueprint):
    """The contract people's reviews go through the services; the synthetic ones are written in bulk, so
    150 more people add only SQLite's insert batches, not queries per person."""
    with transaction.atomic(), CaptureQueriesContext(connection) as fifty:
        demo_seed(engineers=50, events=False)
        transaction.set_rollback(True)
    assert not Cycle.objects.exists()
    with CaptureQueriesContext(connection) as two_hundred:
        demo_seed(engineers=200, events=False)
    assert demo_cycle().reviews.count() == 203
    assert len(two_hundred) - len(fifty) < 75
