"""Migration 0002 turns each interview's single interviewer into its list of interviewers, losing nobody,
and going back refuses an interview that a single interviewer cannot describe."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("hiring", "0001_initial")]


def _migrate(target):  # type: ignore[no-untyped-def]
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)
    return executor.loader.project_state(target).apps


def _latest() -> list[tuple[str, str]]:
    executor = MigrationExecutor(connection)
    return [key for key in executor.loader.graph.leaf_nodes() if key[0] == "hiring"]


@pytest.mark.django_db(transaction=True)
def test_it_moves_every_interviewer_and_keeps_the_scorecards(staff_blueprint):
    from hiring.models import Interview, Scorecard
    from reviews.demo import demo_seed
    from tests.hiring.support import submit

    demo_seed(events=False)
    design = Interview.objects.get(exercise="System design exercise")
    submit(design, {"System design & architecture": "yes"}, by="engineer")
    with pytest.raises(RuntimeError, match="2 interviewers"):
        _migrate(BEFORE)  # engineer and newhire: one column cannot hold both
    latest = _latest()
    _migrate(latest)
    design.interviewers.remove(design.interviewers.get(user__username="newhire"))

    old = _migrate(BEFORE)
    rows = {i.exercise: i.interviewer.user.username for i in old.get_model("hiring", "Interview").objects.all()}
    assert rows == {"System design exercise": "engineer", "Code review exercise": "manager2"}
    assert old.get_model("hiring", "Scorecard").objects.count() == 1

    _migrate(latest)
    moved = {
        i.exercise: sorted(i.interviewers.values_list("user__username", flat=True)) for i in Interview.objects.all()
    }
    assert moved == {"System design exercise": ["engineer"], "Code review exercise": ["manager2"]}
    card = Scorecard.objects.get()
    assert card.interview.exercise == "System design exercise" and card.interviewer.user.username == "engineer"
