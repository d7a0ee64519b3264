from typing import Any

from hiring.models import Interview
from hiring.services import RatingInput, SignalInput, blueprint_signals, scorecard_submit
from tests.hiring.conftest import user


def submit(
    interview: Interview,
    ratings: dict[str, str],
    *,
    recommendation: str = "yes",
    red_flag: bool = False,
    by: str | None = None,
    **kw: Any,
) -> Any:
    """Submit a scorecard for the interview as `by` (default: its first interviewer by username)."""
    if by is None:
        by = interview.interviewers.order_by("user__username").values_list("user__username", flat=True)[0]
    signals = []
    if red_flag:
        text = blueprint_signals(interview.candidate.opening.blueprint_version)["red_flag"][0]
        signals.append(SignalInput(kind="red_flag", text=text, evidence="Blamed the on-call team for every outage."))
    return scorecard_submit(
        actor=user(by),
        interview=interview,
        recommendation=recommendation,
        ratings=[
            RatingInput(dimension=name, rating=rating, notes=f"notes on {name}") for name, rating in ratings.items()
        ],
        signals=signals,
        **kw,
    )
