import pytest
from django.utils import timezone

from org.selectors import ancestor_ids, employee_subtree, manager_chain, org_branches, subtree_ids
from tests.org_builders import person, small_org

pytestmark = pytest.mark.django_db


def _chain(depth: int):
    top = person("top")
    node = top
    nodes = [top]
    for n in range(depth):
        node = person(f"level{n}", manager=node)
        nodes.append(node)
    return nodes


@pytest.mark.parametrize("depth", [2, 8])
def test_it_walks_a_whole_subtree_in_one_query_whatever_the_depth(depth, django_assert_num_queries):
    nodes = _chain(depth)
    person("sidekick", manager=nodes[1])
    with django_assert_num_queries(1):
        below = subtree_ids(root_id=nodes[0].pk)
    assert below == {node.pk for node in nodes[1:]} | {nodes[1].reports.get(user__username="sidekick").pk}
    with django_assert_num_queries(1):
        assert len(list(employee_subtree(root=nodes[0]))) == depth + 1


@pytest.mark.parametrize("depth", [2, 8])
def test_it_walks_up_the_manager_chain_in_one_query(depth, django_assert_num_queries):
    nodes = _chain(depth)
    with django_assert_num_queries(1):
        above = ancestor_ids(employee_id=nodes[-1].pk)
    assert above == [node.pk for node in reversed(nodes[:-1])]
    with django_assert_num_queries(2):
        assert manager_chain(employee=nodes[-1])[0].user.username == nodes[-2].user.username


def test_it_keeps_leavers_in_their_managers_subtree():
    org = small_org()
    org["newhire"].active = False
    org["newhire"].deactivated_at = timezone.now()
    org["newhire"].save()
    assert org["newhire"].pk in subtree_ids(root_id=org["director"].pk)
    assert org["newhire"] not in employee_subtree(root=org["director"])
    assert org["newhire"] in employee_subtree(root=org["director"], active_only=False)


def test_it_counts_each_branch_of_a_directors_organisation(django_assert_num_queries):
    org = small_org()
    with django_assert_num_queries(2):
        branches = org_branches(director=org["director"])
    assert [(b["head"].user.username, b["headcount"]) for b in branches] == [("manager", 3), ("manager2", 2)]
