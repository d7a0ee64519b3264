"""The review rows of the access table, state by state, written out as the issue states them."""

import pytest

from staffrole.access import (
    Access,
    Relation,
    review_in_scope,
    review_manager_side_access,
    review_self_side_access,
)

STATES = ["draft", "self_submitted", "manager_submitted", "calibrated", "shared", "acknowledged"]
N, R, E = Access.NONE, Access.READ, Access.EDIT

# viewer → (relation, hr) ; expected access per state, in STATES order
VIEWERS = {
    "the engineer": (Relation.SELF, False),
    "another engineer": (Relation.OTHER, False),
    "their manager": (Relation.MANAGER, False),
    "another manager": (Relation.OTHER, False),
    "their director": (Relation.DIRECTOR, False),
    "HR": (Relation.OTHER, True),
}

SELF_SIDE = {
    "the engineer": [E, R, R, R, R, R],  # edit while draft, then read
    "another engineer": [N] * 6,
    "their manager": [N, R, R, R, R, R],  # read once submitted
    "another manager": [N] * 6,
    "their director": [N, R, R, R, R, R],
    "HR": [R] * 6,
}

MANAGER_SIDE = {
    "the engineer": [N, N, N, N, R, R],  # read once shared
    "another engineer": [N] * 6,
    "their manager": [E, E, R, R, R, R],  # edit until manager_submitted
    "another manager": [N] * 6,
    "their director": [R] * 6,
    "HR": [R] * 6,
}


@pytest.mark.parametrize("who", list(VIEWERS))
@pytest.mark.parametrize("state", STATES)
def test_it_grants_the_self_side_as_the_table_says(who, state):
    relation, hr = VIEWERS[who]
    assert review_self_side_access(relation=relation, hr=hr, state=state) is SELF_SIDE[who][STATES.index(state)]


@pytest.mark.parametrize("who", list(VIEWERS))
@pytest.mark.parametrize("state", STATES)
def test_it_grants_the_manager_side_as_the_table_says(who, state):
    relation, hr = VIEWERS[who]
    assert review_manager_side_access(relation=relation, hr=hr, state=state) is MANAGER_SIDE[who][STATES.index(state)]


@pytest.mark.parametrize("who", list(VIEWERS))
def test_it_keeps_other_peoples_reviews_out_of_scope(who):
    relation, hr = VIEWERS[who]
    assert review_in_scope(relation=relation, hr=hr) is (who not in ("another engineer", "another manager"))


def test_it_never_shows_an_hr_person_their_own_managers_view_early():
    assert review_manager_side_access(relation=Relation.SELF, hr=True, state="manager_submitted") is Access.NONE
    assert review_manager_side_access(relation=Relation.SELF, hr=True, state="shared") is Access.READ
