"""Daily reminder emails: each person's pending review work, before each deadline and on the day, and the
goals of 30/60/90 plans that are due soon or overdue.

On each of the REMINDER_DAYS days before a deadline and on the deadline itself, everyone with
something pending gets one email listing all of it, with a link to each item; a reviewer's email also
sums up where their people's reviews stand. Nobody gets more than one reminder a day, however often
the task runs: the day's ReminderLog row is written in the transaction that decides to send, and the
emails go out once it commits.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.template.defaultfilters import pluralize
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.dateformat import format as date_format
from django.utils.text import Truncator

from reviews.models import Cycle, FeedbackRequest, ReminderLog, Review

REMINDER_DAYS = 3
ACTIVE_CYCLE_STATES = (Cycle.State.OPEN, Cycle.State.CALIBRATING)
# Two tasks claiming the same people at once: the loser re-reads what the winner claimed.
CLAIM_ATTEMPTS = 3

STATE_LABELS = {
    Review.State.DRAFT: "draft",
    Review.State.SELF_SUBMITTED: "self-assessment submitted",
    Review.State.MANAGER_SUBMITTED: "manager review submitted",
    Review.State.CALIBRATED: "calibrated",
    Review.State.SHARED: "shared",
    Review.State.ACKNOWLEDGED: "acknowledged",
}

PLAN_GOAL = "plan_goal"

# How a person's own pending item reads in their reviewer's summary.
TEAM_PENDING = {"self_assessment": "self-assessment due", "acknowledge": "acknowledgement due"}


@dataclass(frozen=True)
class ReminderItem:
    kind: str  # self_assessment, manager_review, share, acknowledge, feedback, plan_goal
    text: str
    due: date
    url: str

    def as_log(self) -> dict[str, str]:
        return {"kind": self.kind, "due": self.due.isoformat(), "url": self.url}


@dataclass(frozen=True)
class TeamLine:
    name: str
    cycle: str
    state: str
    pending: str  # what the person still has to do, or ""
    url: str


@dataclass
class Reminder:
    user: Any
    name: str
    items: list[ReminderItem] = field(default_factory=list)
    team: list[TeamLine] = field(default_factory=list)

    @property
    def team_pending(self) -> int:
        return sum(1 for line in self.team if line.pending)


@dataclass(frozen=True)
class ReminderRun:
    sent: list[str]  # usernames reminded by this run
    already: list[str]  # usernames reminded earlier the same day


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def _due(day: date, today: date) -> bool:
    """On each of the REMINDER_DAYS days before the deadline, and on the day itself."""
    return 0 <= (day - today).days <= REMINDER_DAYS


def _reachable(employee: Any) -> bool:
    return employee is not None and employee.active and employee.user.is_active and bool(employee.user.email)


def _review_items(review: Review, cycle: Cycle, today: date) -> tuple[list[ReminderItem], list[ReminderItem]]:
    """(the person's items, the reviewer's items) on one review today."""
    url = _absolute(reverse("reviews:detail", args=[review.pk]))
    mine: list[ReminderItem] = []
    reviewers: list[ReminderItem] = []
    name = review.employee.name
    if review.state == Review.State.DRAFT and _due(cycle.self_due, today):
        mine.append(ReminderItem("self_assessment", f"Submit your self-assessment ({cycle.name})", cycle.self_due, url))
    if review.state in (Review.State.DRAFT, Review.State.SELF_SUBMITTED) and _due(cycle.manager_due, today):
        waiting = " (their self-assessment is not in yet)" if review.state == Review.State.DRAFT else ""
        reviewers.append(
            ReminderItem("manager_review", f"Write {name}'s manager review{waiting}", cycle.manager_due, url)
        )
    if review.state == Review.State.CALIBRATED and _due(cycle.signoff_due, today):
        reviewers.append(ReminderItem("share", f"Share {name}'s calibrated review with them", cycle.signoff_due, url))
    if review.state == Review.State.SHARED and _due(cycle.signoff_due, today):
        mine.append(
            ReminderItem("acknowledge", f"Read and acknowledge your review ({cycle.name})", cycle.signoff_due, url)
        )
    return mine, reviewers


def reminders_due(*, today: date) -> dict[int, Reminder]:
    """Everyone with something to be reminded of today, by user id: four queries, whatever the
    number of people."""
    cycles = {
        cycle.pk: cycle
        for cycle in Cycle.objects.filter(state__in=ACTIVE_CYCLE_STATES)
        if any(_due(day, today) for day in (cycle.self_due, cycle.manager_due, cycle.signoff_due))
    }
    reminders: dict[int, Reminder] = {}

    def reminder_for(employee: Any) -> Reminder:
        return reminders.setdefault(employee.user_id, Reminder(user=employee.user, name=employee.name))

    team: dict[int, tuple[Any, list[TeamLine]]] = {}
    reviews = (
        Review.objects.filter(cycle_id__in=list(cycles), employee__active=True)
        .select_related("employee__user", "reviewer__user")
        .order_by("employee__name", "pk")
    )
    for review in reviews:
        cycle = cycles[review.cycle_id]
        mine, reviewers = _review_items(review, cycle, today)
        if mine and _reachable(review.employee):
            reminder_for(review.employee).items.extend(mine)
        if reviewers and _reachable(review.reviewer):
            reminder_for(review.reviewer).items.extend(reviewers)
        reviewer = review.reviewer
        if reviewer is not None and _reachable(reviewer):
            line = TeamLine(
                name=review.employee.name,
                cycle=cycle.name,
                state=STATE_LABELS[Review.State(review.state)],
                pending="; ".join(f"{TEAM_PENDING[item.kind]} by {_day(item.due)}" for item in mine),
                url=_absolute(reverse("reviews:detail", args=[review.pk])),
            )
            team.setdefault(reviewer.pk, (reviewer, []))[1].append(line)

    # A reviewer hears about their people while anything is pending for them or for one of their people.
    for person, lines in team.values():
        if any(line.pending for line in lines) or person.user_id in reminders:
            reminder_for(person).team = lines

    requests = (
        FeedbackRequest.objects.filter(
            state=FeedbackRequest.State.OPEN,
            due__gte=today,
            due__lte=today + timedelta(days=REMINDER_DAYS),
            review__cycle__state__in=ACTIVE_CYCLE_STATES,
        )
        .select_related("peer__user", "review__employee")
        .order_by("due", "pk")
    )
    for request in requests:
        if _reachable(request.peer):
            reminder_for(request.peer).items.append(
                ReminderItem(
                    "feedback",
                    f"Give your feedback on {request.review.employee.name}'s review",
                    request.due,
                    _absolute(reverse("feedback:answer", args=[request.pk])),
                )
            )
    _plan_items(today, reminder_for)
    return {user_id: reminder for user_id, reminder in reminders.items() if reminder.items or reminder.team}


def _plan_items(today: date, reminder_for: Any) -> None:
    """Goals of 30/60/90 plans (docs/adr/0019-onboarding-plans.md): the person hears of a goal from
    REMINDER_DAYS before its due date until it is done or missed; their manager once it is overdue. One query."""
    from plans.selectors import goals_to_remind

    for goal in goals_to_remind(today=today, days_ahead=REMINDER_DAYS):
        if goal.due_date is None:  # long-term goals are never due (the query leaves them out)
            continue
        person = goal.plan.employee
        url = _absolute(reverse("plans:detail", args=[goal.plan_id]) + f"#goal-{goal.pk}")
        text = Truncator(" ".join(goal.text.split())).chars(140)
        if _reachable(person):
            reminder_for(person).items.append(
                ReminderItem(PLAN_GOAL, f"Goal of your 30/60/90 plan: {text}", goal.due_date, url)
            )
        manager = person.manager
        if goal.due_date < today and _reachable(manager):
            reminder_for(manager).items.append(
                ReminderItem(PLAN_GOAL, f"Goal of {person.name}'s 30/60/90 plan: {text}", goal.due_date, url)
            )


def _day(day: date) -> str:
    return date_format(day, "D j M")


def _message(reminder: Reminder, *, today: date) -> EmailMessage:
    items = sorted(reminder.items, key=lambda item: (item.due, item.text))
    context = {
        "name": reminder.name,
        "items": [
            {
                "text": item.text,
                "due": item.due,
                "url": item.url,
                "today": item.due == today,
                "overdue": max(0, (today - item.due).days),
            }
            for item in items
        ],
        "team": reminder.team,
        "team_pending": reminder.team_pending,
        "dashboard_url": _absolute(reverse("dashboard")),
    }
    overdue = sum(1 for item in items if item.due < today)
    if overdue:
        subject = f"{len(items)} task{pluralize(len(items))} waiting, {overdue} overdue"
    elif items:
        noun = "task" if any(item.kind == PLAN_GOAL for item in items) else "review task"
        subject = f"{len(items)} {noun}{pluralize(len(items))} due by {_day(items[0].due)}"
    else:
        subject = f"{reminder.team_pending} of your people have review work due"
    return EmailMessage(
        subject=f"staffrole · {subject}",
        body=render_to_string("reviews/reminder_email.txt", context),
        to=[reminder.user.email],
    )


def reminders_send(*, today: date) -> ReminderRun:
    """Email everyone their pending items for `today`, at most once per person and day."""
    due = reminders_due(today=today)
    for attempt in range(1, CLAIM_ATTEMPTS + 1):
        try:
            return _claim_and_send(due, today=today)
        except IntegrityError:
            # Another run claimed some of the same people between our read and our write.
            if attempt == CLAIM_ATTEMPTS:
                raise
    return ReminderRun(sent=[], already=[])


def _claim_and_send(due: dict[int, Reminder], *, today: date) -> ReminderRun:
    with transaction.atomic():
        already = _reminded(today)
        claimed = [reminder for user_id, reminder in due.items() if user_id not in already]
        # The unique (user, day) row is the claim: a concurrent run writing the same row fails instead.
        ReminderLog.objects.bulk_create(
            ReminderLog(user_id=reminder.user.pk, day=today, items=_log_items(reminder)) for reminder in claimed
        )
        messages = [_message(reminder, today=today) for reminder in claimed]
        transaction.on_commit(lambda: _deliver(messages))
    return ReminderRun(
        sent=sorted(reminder.user.username for reminder in claimed),
        already=sorted(reminder.user.username for user_id, reminder in due.items() if user_id in already),
    )


def _reminded(day: date) -> set[int]:
    """Who has had their reminder on `day` already."""
    return set(ReminderLog.objects.filter(day=day).values_list("user_id", flat=True))


def _log_items(reminder: Reminder) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = [item.as_log() for item in reminder.items]
    if reminder.team:
        items.append({"kind": "team", "people": len(reminder.team), "pending": reminder.team_pending})
    return items


def _deliver(messages: list[EmailMessage]) -> None:
    """One connection for the whole batch."""
    if messages:
        with get_connection() as connection:
            connection.send_messages(messages)
