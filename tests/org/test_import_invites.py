import re

import pytest
from django.contrib.auth.models import User
from django.core import mail

from org import services
from org.services import org_import

pytestmark = pytest.mark.django_db


def _import(content, **options):
    return org_import(actor=None, content=content, source_name="org.csv", **options)


def test_it_emails_each_new_person_a_working_link_to_choose_a_password(
    client, settings, org_csv, org_row, mailoutbox, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://staffrole.example.test"
    with django_capture_on_commit_callbacks(execute=True):
        result = _import(org_csv([org_row("ceo"), org_row("dev", manager="ceo", name="Dev Eloper")]))

    assert result.invited == 2
    assert sorted(message.to[0] for message in mailoutbox) == ["ceo@example.test", "dev@example.test"]
    message = next(m for m in mailoutbox if m.to == ["dev@example.test"])
    assert message.subject == "Your staffrole account"
    assert "Hello Dev Eloper," in message.body and "Your username is dev." in message.body
    link = re.search(r"https://staffrole\.example\.test(/accounts/reset/\S+/)", message.body)
    assert link, message.body

    response = client.get(link.group(1))
    assert response.status_code == 302 and response["Location"].endswith("/set-password/")
    response = client.post(
        response["Location"], {"new_password1": "a-long-new-passphrase", "new_password2": "a-long-new-passphrase"}
    )
    assert response.status_code == 302
    assert User.objects.get(username="dev").check_password("a-long-new-passphrase")


def test_it_sends_all_invitations_over_one_connection(
    org_csv, org_row, mailoutbox, monkeypatch, django_capture_on_commit_callbacks
):
    opened = []

    def counting_connection(*args, **kwargs):
        opened.append(1)
        return mail.get_connection(*args, **kwargs)

    monkeypatch.setattr(services, "get_connection", counting_connection)
    with django_capture_on_commit_callbacks(execute=True):
        _import(org_csv([org_row(f"dev{n}") for n in range(12)]))
    assert len(mailoutbox) == 12 and len(opened) == 1


def test_it_sends_nothing_before_the_import_commits(org_csv, org_row, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _import(org_csv([org_row("dev")]))
    assert len(callbacks) == 1 and mailoutbox == []


def test_it_invites_nobody_when_asked_not_to(org_csv, org_row, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        result = _import(org_csv([org_row("dev")]), send_invites=False)
    assert result.invited == 0 and mailoutbox == []


def test_it_does_not_invite_an_existing_login_or_someone_who_set_a_password_meanwhile(
    django_user_model, org_csv, org_row, mailoutbox
):
    django_user_model.objects.create_user("admin", email="admin@example.test", password="kept")
    _import(org_csv([org_row("admin"), org_row("dev")]), send_invites=False)
    dev = User.objects.get(username="dev")
    dev.set_password("chosen-already")
    dev.save()

    sent = services.employee_invites_send(user_ids=list(User.objects.values_list("pk", flat=True)))
    assert sent == 0 and mailoutbox == []
