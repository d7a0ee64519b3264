"""Deadline day, as locust plays it against a running server (started by load/run.py, which passes the
accounts to play in LOAD_PLAN and where to write the timings in LOAD_RAW).

Four kinds of people, all logged in through the login page with the demo password, using the pages as
the browser does (htmx requests carry HX-Request and the CSRF header):
- managers (26 of 50): open the dashboard, then one of their reports' reviews, and autosave their side of it
  field by field (a score, then the comment as it is typed); a few share an account with the manager
  before them, as a second tab does, and both tabs edit the same fields, so autosaves meet 409
  conflicts: the field is read again ("Use theirs" fetches it afresh) and saved again on top of it, as
  the page lets the person do;
- engineers (21 of 50): log in as the next engineer whose self-assessment is a draft, open the
  dashboard and their review, rate every dimension (a score and a comment, 2 to 4 s apart), submit the
  page, and log out;
- HR in a calibration meeting (two people): the whole cycle's page once, then one team's or one
  manager's reviews at a time, sorted in turn, reading each view for 5 to 15 s;
- HR exporting PDFs: a review packet or a team's calibration pack, polling the job every second as the
  progress bar does until it is done.
"""

import itertools
import json
import os
import random
import re
import threading
import time
from collections.abc import Iterator
from typing import Any

from locust import HttpUser, between, events, task
from locust.exception import StopUser

PLAN: dict[str, Any] = json.loads(os.environ.get("LOAD_PLAN", "{}") or "{}")
RAW_PATH = os.environ.get("LOAD_RAW", "")
PASSWORD = "demo"  # noqa: S105 - the documented password of the demo accounts

# The table's steps: name -> (order, kind). Page views and autosaves carry the latency target.
STEPS: dict[str, tuple[int, str]] = {
    "login page": (1, "page"),
    "login (POST)": (2, "login"),
    "dashboard": (3, "page"),
    "review page (manager)": (4, "page"),
    "autosave (manager)": (5, "autosave"),
    "autosave conflict: field re-read": (6, "autosave"),
    "review page (engineer)": (7, "page"),
    "autosave (engineer)": (8, "autosave"),
    "submit self-assessment (POST)": (9, "submit"),
    "review page after submit": (10, "page"),
    "logout (POST)": (11, "login"),
    "calibration page (whole cycle)": (12, "page"),
    "calibration page (a team or manager)": (13, "page"),
    "export: request": (14, "export"),
    "export: progress poll": (15, "export"),
    "export: review packet, request to done": (16, "export-done"),
    "export: team calibration pack, request to done": (17, "export-done"),
}

FIELD_URL = re.compile(r'hx-post="(/reviews/(\d+)/ratings/(\d+)/(self|manager)/)"')
HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)"[^>]*?value="([^"]*)"')
TEAM_REVIEW = re.compile(r'href="/reviews/(\d+)/" class="review-state review-state--(draft|self_submitted)"')
OWN_REVIEW_TASK = re.compile(r'<a href="/reviews/(\d+)/">Submit your self-assessment')
JOB_ID = re.compile(r'id="job-progress-([0-9a-f-]{36})"')
JOB_STATE = re.compile(r'data-job-state="(\w+)"')
COMMENT = (
    "Led the migration of the ledger service to the new event bus without downtime. "
    "Wrote the design review that the platform group now uses as its template. "
    "Mentored two engineers through their first on-call rotation and the postmortems after it."
)
WORDS = COMMENT.split(" ")


class Recorder:
    """Every request's time by step, errors with a sample of their messages, and the run's length."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.ms: dict[str, list[float]] = {name: [] for name in STEPS}
        self.errors: dict[str, int] = dict.fromkeys(STEPS, 0)
        self.samples: dict[str, list[str]] = {}
        self.started = 0.0
        self.stopped = 0.0
        self.conflicts = 0
        self.exports = 0

    def add(self, name: str, ms: float, exception: Any) -> None:
        with self.lock:
            self.ms.setdefault(name, [])
            self.errors.setdefault(name, 0)
            if exception is None:
                self.ms[name].append(ms)
            else:
                self.errors[name] += 1
                samples = self.samples.setdefault(name, [])
                if len(samples) < 3:
                    samples.append(str(exception)[:200])

    def dump(self) -> None:
        if not RAW_PATH:
            return
        seconds = (self.stopped or time.monotonic()) - self.started
        steps = {
            name: {"order": STEPS.get(name, (99, "other"))[0], "kind": STEPS.get(name, (99, "other"))[1],
                   "ms": times, "errors": self.errors.get(name, 0)}
            for name, times in self.ms.items()
            if times or self.errors.get(name)
        }  # fmt: skip
        data = {"seconds": seconds, "steps": steps, "error_samples": self.samples}
        data |= {"conflicts": self.conflicts, "exports": self.exports}
        with open(RAW_PATH, "w", encoding="utf-8") as handle:
            json.dump(data, handle)


RECORDER = Recorder()


@events.request.add_listener
def _on_request(name: str, response_time: float, exception: Any, **_kwargs: Any) -> None:
    RECORDER.add(name, response_time, exception)


@events.test_start.add_listener
def _on_start(**_kwargs: Any) -> None:
    RECORDER.started = time.monotonic()


@events.test_stop.add_listener
def _on_stop(**_kwargs: Any) -> None:
    RECORDER.stopped = time.monotonic()


@events.quitting.add_listener
def _on_quit(**_kwargs: Any) -> None:
    RECORDER.dump()


def _accounts(key: str) -> Iterator[str]:
    return iter(PLAN.get(key, []))


ENGINEERS = _accounts("engineers")
ENGINEERS_LOCK = threading.Lock()
MANAGER_SEATS = itertools.count()


def hidden_inputs(html: str) -> dict[str, str]:
    return dict(HIDDEN.findall(html))


class Person(HttpUser):
    abstract = True
    wait_time = between(1, 3)

    def csrf(self) -> str:
        return self.client.cookies.get("csrftoken") or ""

    def htmx(self) -> dict[str, str]:
        return {"HX-Request": "true", "X-CSRFToken": self.csrf()}

    def log_in(self, username: str) -> None:
        self.client.cookies.clear()
        self.client.get("/accounts/login/", name="login page")
        with self.client.post(
            "/accounts/login/",
            data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": self.csrf(), "next": "/"},
            name="login (POST)",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"{username} was not logged in ({response.status_code})")
                raise StopUser()

    def log_out(self) -> None:
        self.client.post(
            "/accounts/logout/",
            data={"csrfmiddlewaretoken": self.csrf()},
            name="logout (POST)",
            allow_redirects=False,
        )

    def page(self, url: str, name: str) -> str:
        with self.client.get(url, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{url} answered {response.status_code}")
                return ""
            return response.text

    def autosave(self, url: str, prefix: str, values: dict[str, str], name: str) -> dict[str, str]:
        """Save one field as htmx does; on a 409, read the field again and save on top of what is stored.
        Returns the field's hidden inputs after the save (its new version and fingerprint)."""
        for _attempt in range(3):
            data = {f"{prefix}-{key}": value for key, value in values.items()}
            with self.client.post(url, data=data, headers=self.htmx(), name=name, catch_response=True) as response:
                if response.status_code == 200:
                    saved = hidden_inputs(response.text)
                    values["version"] = saved.get(f"{prefix}-version", values["version"])
                    values["orig"] = saved.get(f"{prefix}-orig", values["orig"])
                    return values
                if response.status_code != 409:
                    response.failure(f"autosave answered {response.status_code}")
                    return values
                response.success()  # a conflict is the page doing its job, not an error
            RECORDER.conflicts += 1
            with self.client.get(
                url, headers={"HX-Request": "true"}, name="autosave conflict: field re-read", catch_response=True
            ) as fresh:
                if fresh.status_code != 200:
                    fresh.failure(f"re-reading the field answered {fresh.status_code}")
                    return values
                stored = hidden_inputs(fresh.text)
            values["version"] = stored.get(f"{prefix}-version", values["version"])
            values["orig"] = stored.get(f"{prefix}-orig", values["orig"])
        return values


def editable_fields(html: str) -> list[tuple[str, str]]:
    """(autosave URL, field prefix) of each field this person may edit on the review page."""
    return [(url, f"r-{dimension}-{side}") for url, _review, dimension, side in FIELD_URL.findall(html)]


def typed(words: int) -> str:
    return " ".join(random.sample(WORDS, k=min(words, len(WORDS))))


class Manager(Person):
    """Writes their reports' manager reviews, field by field, on the deadline."""

    weight = 26
    wait_time = between(1, 3)

    def on_start(self) -> None:
        managers = PLAN["managers"]
        seat = next(MANAGER_SEATS)
        # Every fifth seat opens the previous seat's account again: the same manager in a second tab.
        # Both tabs work on the same review and fields, so their autosaves meet each other's versions.
        index = seat - 1 if seat % 5 == 4 else seat
        self.two_tabs = seat % 5 in (3, 4)
        self.username = managers[index % len(managers)]
        self.log_in(self.username)
        self.reviews: list[str] = []
        self.fields: dict[str, dict[str, str]] = {}

    @task
    def write_a_review(self) -> None:
        if not self.reviews:
            html = self.page("/", "dashboard")
            self.reviews = [review for review, _state in TEAM_REVIEW.findall(html)]
            if not self.reviews:
                raise StopUser()
        review = self.reviews[0] if self.two_tabs else random.choice(self.reviews)  # noqa: S311
        html = self.page(f"/reviews/{review}/", "review page (manager)")
        fields = editable_fields(html)
        if not fields:
            self.reviews.remove(review)
            return
        hidden = hidden_inputs(html)
        chosen = fields[:2] if self.two_tabs else random.sample(fields, k=min(2, len(fields)))
        for url, prefix in chosen:
            values = {
                "score": str(random.randint(2, 5)),  # noqa: S311
                "comment": "",
                "evidence": "",
                "version": hidden.get(f"{prefix}-version", "0"),
                "orig": hidden.get(f"{prefix}-orig", ""),
            }
            values = self.autosave(url, prefix, values, "autosave (manager)")
            for words in (6, 14, 24):  # the comment, saved a second after each pause in typing
                time.sleep(random.uniform(1, 2))  # noqa: S311
                values["comment"] = typed(words)
                values = self.autosave(url, prefix, values, "autosave (manager)")


class Engineer(Person):
    """Rates every dimension of their self-assessment and submits it, then the next engineer does."""

    weight = 21
    wait_time = between(1, 2)

    @task
    def self_assessment(self) -> None:
        with ENGINEERS_LOCK:
            username = next(ENGINEERS, None)
        if username is None:
            raise StopUser()
        self.log_in(username)
        html = self.page("/", "dashboard")
        found = OWN_REVIEW_TASK.search(html)
        if found is None:
            self.log_out()
            return
        review = found[1]
        html = self.page(f"/reviews/{review}/", "review page (engineer)")
        hidden = hidden_inputs(html)
        posted: dict[str, str] = {}
        for url, prefix in editable_fields(html):
            values = {
                "score": str(random.randint(2, 5)),  # noqa: S311
                "comment": typed(12),
                "evidence": "",
                "version": hidden.get(f"{prefix}-version", "0"),
                "orig": hidden.get(f"{prefix}-orig", ""),
            }
            values = self.autosave(url, prefix, values, "autosave (engineer)")
            posted |= {f"{prefix}-{key}": value for key, value in values.items()}
            time.sleep(random.uniform(2, 4))  # noqa: S311 - writing the next comment
        with self.client.post(
            f"/reviews/{review}/",
            data={"csrfmiddlewaretoken": self.csrf(), "intent": "submit_self", **posted},
            name="submit self-assessment (POST)",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"submitting answered {response.status_code}")
        self.page(f"/reviews/{review}/", "review page after submit")
        self.log_out()


class Calibrator(Person):
    """HR in a calibration meeting: the whole cycle first, then team by team and manager by manager,
    sorted as the discussion goes, reading each view for a while."""

    weight = 2
    wait_time = between(5, 15)

    def on_start(self) -> None:
        self.log_in("hr")
        self.page(f"/cycles/{PLAN['cycle']}/calibration/", "calibration page (whole cycle)")

    @task
    def calibration(self) -> None:
        narrowed = random.choice(  # noqa: S311
            [f"team={team}" for team in PLAN["calibration_teams"]]
            + [f"manager={manager}" for manager in PLAN["calibration_managers"]]
        )
        sort = random.choice(["", "&sort=-manager_score", "&sort=gap", "&sort=final"])  # noqa: S311
        self.page(f"/cycles/{PLAN['cycle']}/calibration/?{narrowed}{sort}", "calibration page (a team or manager)")


class Exporter(Person):
    """HR exports a review packet or a team's calibration pack and watches its progress bar."""

    weight = 1
    fixed_count = 1
    wait_time = between(1, 3)

    def on_start(self) -> None:
        self.log_in("hr")
        self.round = 0

    @task
    def export(self) -> None:
        self.round += 1
        if self.round % 2:
            review = random.choice(PLAN["packet_reviews"])  # noqa: S311
            url, data, what = f"/reviews/{review}/packet/", {}, "review packet"
        else:
            team = random.choice(PLAN["pack_teams"])  # noqa: S311
            url, data, what = f"/cycles/{PLAN['cycle']}/calibration/export/", {"team": team}, "team calibration pack"
        started = time.perf_counter()
        htmx = self.htmx()
        with self.client.post(url, data=data, headers=htmx, name="export: request", catch_response=True) as answer:
            found = JOB_ID.search(answer.text) if answer.status_code == 200 else None
            if found is None:
                answer.failure(f"the export answered {answer.status_code} without a job")
                return
        job = found[1]
        state = JOB_STATE.search(answer.text)
        while state is None or state[1] in ("queued", "running"):
            time.sleep(1)  # the progress bar polls every second
            poll_url, htmx = f"/jobs/{job}/progress/", {"HX-Request": "true"}
            with self.client.get(poll_url, headers=htmx, name="export: progress poll", catch_response=True) as poll:
                if poll.status_code != 200:
                    poll.failure(f"polling answered {poll.status_code}")
                    return
                state = JOB_STATE.search(poll.text)
            if time.perf_counter() - started > 120:
                events.request.fire(
                    request_type="JOB", name=f"export: {what}, request to done", response_time=120_000,
                    response_length=0, exception=RuntimeError("not done in 120 s"), context={},
                )  # fmt: skip
                return
        failed = None if state[1] == "succeeded" else RuntimeError(f"the job {state[1]}")
        RECORDER.exports += failed is None
        events.request.fire(
            request_type="JOB", name=f"export: {what}, request to done",
            response_time=(time.perf_counter() - started) * 1000, response_length=0, exception=failed, context={},
        )  # fmt: skip
