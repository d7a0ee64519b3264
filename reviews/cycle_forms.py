"""Forms of the cycle pages. They check what a form can see; the rules of the workflow live in
reviews.services, whose refusals the views add back to these forms."""

import hashlib
from typing import Any, cast

from django import forms
from django.db.models import Exists, OuterRef
from django.utils.dateformat import format as date_format

from kpis.dora import DEFAULT_REPORT_YEAR
from kpis.models import DoraTier
from org.models import Employee, Team
from reviews.models import Cycle, Review

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DEADLINES = (
    ("self_due", "self-assessment"),
    ("manager_due", "manager review"),
    ("calibration_due", "calibration"),
    ("signoff_due", "sign-off"),
)


class CycleForm(forms.Form):
    name = forms.CharField(max_length=200, help_text="For example “2027 Q1 review”.")
    period_start = forms.DateField(label="Review period starts", widget=DATE)
    period_end = forms.DateField(label="Review period ends", widget=DATE)
    self_due = forms.DateField(label="Self-assessments due", widget=DATE)
    manager_due = forms.DateField(label="Manager reviews due", widget=DATE)
    calibration_due = forms.DateField(label="Calibration ends", widget=DATE)
    signoff_due = forms.DateField(label="Sign-off due", widget=DATE, help_text="Reviews shared and acknowledged.")
    teams = forms.ModelMultipleChoiceField(
        queryset=Team.objects.order_by("name"),
        required=False,
        to_field_name="slug",
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave every team unticked to enrol everyone.",
    )
    dora_report_year = forms.TypedChoiceField(
        label="DORA tiers",
        coerce=int,
        required=False,
        initial=DEFAULT_REPORT_YEAR,
        help_text="The State of DevOps report whose tiers judge the cycle's DORA KPIs.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        years = DoraTier.objects.order_by("-report_year").values_list("report_year", flat=True).distinct()
        field = cast(forms.TypedChoiceField, self.fields["dora_report_year"])
        field.choices = [(year, f"{year} report") for year in years]

    def clean_dora_report_year(self) -> int:
        return self.cleaned_data.get("dora_report_year") or DEFAULT_REPORT_YEAR

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", "The review period ends before it starts.")
        previous: tuple[str, Any] | None = None
        for name, label in DEADLINES:
            day = data.get(name)
            if day is None:
                previous = None
                continue
            if previous is not None and day < previous[1]:
                self.add_error(
                    name, f"Must be on or after the {previous[0]} deadline ({date_format(previous[1], 'j M Y')})."
                )
            previous = (label, day)
        return data


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        role = f" · {obj.role.title if obj.role else 'no role blueprint'}" if self.show_role else ""
        return f"{obj.name} ({obj.user.username}){role}"

    def __init__(self, *args: Any, show_role: bool = False, **kwargs: Any) -> None:
        self.show_role = show_role
        super().__init__(*args, **kwargs)


class ReviewChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        reviewer = obj.reviewer.name if obj.reviewer else "no reviewer"
        return f"{obj.employee.name} · reviewed by {reviewer}"


class EnrolForm(forms.Form):
    """A late joiner: an active person who has no review in the cycle yet."""

    employee = PersonChoiceField(queryset=Employee.objects.none(), empty_label="Choose a person", show_role=True)
    reason = forms.CharField(
        max_length=500, required=False, help_text="Optional; kept in the history.", widget=forms.TextInput
    )

    def __init__(self, *args: Any, cycle: Cycle, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "enrol")
        super().__init__(*args, **kwargs)
        enrolled = Review.objects.filter(cycle=cycle, employee=OuterRef("pk"))
        field = cast(forms.ModelChoiceField, self.fields["employee"])
        field.queryset = (
            Employee.objects.filter(active=True)
            .exclude(Exists(enrolled))
            .select_related("user", "role")
            .order_by("name", "pk")
        )


class ReassignForm(forms.Form):
    """HR gives a review not yet submitted by its reviewer to another reviewer."""

    review = ReviewChoiceField(queryset=Review.objects.none(), empty_label="Choose a review")
    reviewer = PersonChoiceField(queryset=Employee.objects.none(), label="New reviewer", empty_label="Choose a person")
    reason = forms.CharField(max_length=500, help_text="Required; kept in the review's history.")

    def __init__(self, *args: Any, cycle: Cycle, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "reassign")
        super().__init__(*args, **kwargs)
        review = cast(forms.ModelChoiceField, self.fields["review"])
        reviewer = cast(forms.ModelChoiceField, self.fields["reviewer"])
        review.queryset = (
            Review.objects.filter(cycle=cycle, state__in=(Review.State.DRAFT, Review.State.SELF_SUBMITTED))
            .select_related("employee", "reviewer")
            .order_by("employee__name", "pk")
        )
        reviewer.queryset = Employee.objects.filter(active=True).select_related("user").order_by("name", "pk")


NAMES_SHOWN = 5


def listed_digest(reviews: list[Review]) -> str:
    """A fingerprint of the unfinished reviews a page listed, so that "all of these" means exactly those."""
    ids = ",".join(str(pk) for pk in sorted(review.pk for review in reviews))
    return hashlib.sha256(ids.encode()).hexdigest()[:32]


class CloseForm(forms.Form):
    """Closing while reviews are unfinished: HR ticks each one it accepts as it stands, or confirms the
    whole list it was shown at once (a large cycle has more reviews than a form may post fields)."""

    confirm = forms.TypedMultipleChoiceField(
        coerce=int, required=False, widget=forms.CheckboxSelectMultiple, label="Close these reviews unfinished"
    )
    confirm_listed = forms.BooleanField(required=False, label="Close every review listed here unfinished")
    listed = forms.CharField(required=False, widget=forms.HiddenInput)
    reason = forms.CharField(
        max_length=500, required=False, help_text="Optional; kept in the history.", widget=forms.TextInput
    )

    def __init__(self, *args: Any, unfinished: list[Review], **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "close")
        kwargs.setdefault("initial", {"listed": listed_digest(unfinished)})
        super().__init__(*args, **kwargs)
        self.unfinished = unfinished
        field = cast(forms.TypedMultipleChoiceField, self.fields["confirm"])
        field.choices = [(review.pk, review.employee.name) for review in unfinished]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "confirm" not in data:
            return data
        everything = [review.pk for review in self.unfinished]
        if data.get("confirm_listed"):
            if data.get("listed") != listed_digest(self.unfinished):
                self.add_error(None, "The unfinished reviews changed since the page was loaded; check the list again.")
            else:
                data["confirm"] = everything
            return data
        confirmed = set(data["confirm"])
        missing = [review.employee.name for review in self.unfinished if review.pk not in confirmed]
        if missing:
            shown = ", ".join(missing[:NAMES_SHOWN])
            more = f" and {len(missing) - NAMES_SHOWN} more" if len(missing) > NAMES_SHOWN else ""
            self.add_error(
                "confirm",
                f"Tick each unfinished review, or confirm the whole list, to close the cycle; "
                f"not ticked: {shown}{more}.",
            )
        return data
