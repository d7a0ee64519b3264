import re

import pytest
from django.core import mail

pytestmark = pytest.mark.django_db

SITE_URL = "https://staffrole.example.test"


@pytest.fixture(autouse=True)
def site_url(settings):  # type: ignore[no-untyped-def]
    settings.SITE_URL = SITE_URL


def _request_reset(client, email: str) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/accounts/password_reset/", {"email": email})
    assert response["Location"] == "/accounts/password_reset/done/"


def _link(message: mail.EmailMessage) -> str:
    found = re.search(rf"{re.escape(SITE_URL)}(/accounts/reset/\S+/)", message.body)
    assert found, message.body
    return found[1]


def test_it_mails_a_link_on_the_site_url_and_the_new_password_logs_in(client, engineer_user, log_in):
    engineer_user.email = "engineer@example.test"
    engineer_user.save()
    _request_reset(client, "engineer@example.test")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["engineer@example.test"]
    assert message.subject == "Reset your staffrole password"
    form_url = client.get(_link(message))["Location"]
    response = client.post(form_url, {"new_password1": "amber-lantern-91", "new_password2": "amber-lantern-91"})
    assert response["Location"] == "/accounts/reset/done/"
    assert log_in(client, "engineer", "demo").status_code == 200
    assert log_in(client, "engineer", "amber-lantern-91").status_code == 302


def test_it_shows_the_validators_messages_on_the_new_password_form(client, engineer_user):
    engineer_user.email = "engineer@example.test"
    engineer_user.save()
    _request_reset(client, "engineer@example.test")
    form_url = client.get(_link(mail.outbox[0]))["Location"]
    page = client.get(form_url).content.decode()
    assert "Your password must contain at least 8 characters." in page
    page = client.post(form_url, {"new_password1": "12345678", "new_password2": "12345678"}).content.decode()
    assert "This password is too common." in page
    assert "This password is entirely numeric." in page


def test_it_says_a_used_link_no_longer_works(client, engineer_user):
    engineer_user.email = "engineer@example.test"
    engineer_user.save()
    _request_reset(client, "engineer@example.test")
    link = _link(mail.outbox[0])
    form_url = client.get(link)["Location"]
    client.post(form_url, {"new_password1": "amber-lantern-91", "new_password2": "amber-lantern-91"})
    page = client.get(link).content.decode()
    assert "This link no longer works" in page


def test_it_sends_nothing_for_an_unknown_address_and_does_not_say_so(client, engineer_user):
    client.post("/accounts/password_reset/", {"email": "nobody@example.test"})
    assert mail.outbox == []
    page = client.get("/accounts/password_reset/done/").content.decode()
    assert "If an account uses the address you entered" in page
