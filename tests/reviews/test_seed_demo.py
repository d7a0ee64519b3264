from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db

DEMO_USERNAMES = {"director", "manager", "manager2", "engineer", "newhire", "engineer2", "hr"}


def test_it_creates_the_demo_accounts_with_password_demo():
    call_command("seed_demo", stdout=StringIO())
    assert set(User.objects.values_list("username", flat=True)) == DEMO_USERNAMES
    assert all(authenticate(username=name, password="demo") for name in DEMO_USERNAMES)
    assert list(User.objects.get(username="hr").groups.values_list("name", flat=True)) == ["HR"]
    assert not User.objects.get(username="engineer").groups.exists()


def test_it_changes_nothing_when_run_again():
    call_command("seed_demo", stdout=StringIO())
    passwords = dict(User.objects.values_list("username", "password"))
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert "0 created, 7 already there" in out.getvalue()
    assert dict(User.objects.values_list("username", "password")) == passwords


def test_it_adds_synthetic_engineers_on_request():
    call_command("seed_demo", "--engineers", "25", stdout=StringIO())
    assert User.objects.filter(username__startswith="eng0").count() == 25
    assert authenticate(username="eng0025", password="demo")
    with pytest.raises(CommandError):
        call_command("seed_demo", "--engineers", "-1", stdout=StringIO())
