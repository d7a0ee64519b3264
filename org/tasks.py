"""Background work for the organisation: thin tasks that take ids and call a service."""

from celery import shared_task

from org.services import employee_invites_send


@shared_task
def org_invites_send(user_ids: list[int]) -> int:
    """Email the people an import created a link to choose their password."""
    return employee_invites_send(user_ids=user_ids)
