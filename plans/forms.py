"""The forms of the plan page: each posts one goal or indicator with the version it was read at."""

from django import forms

from plans.models import Goal, Horizon
from plans.services import MAX_NOTES, MAX_TEXT


class GoalUpdateForm(forms.Form):
    status = forms.ChoiceField(choices=Goal.Status.choices)
    notes = forms.CharField(required=False, max_length=MAX_NOTES, widget=forms.Textarea(attrs={"rows": 2}))
    evidence = forms.CharField(
        required=False,
        max_length=MAX_NOTES,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Links or short notes, one per line.",
    )
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class GoalEditForm(forms.Form):
    text = forms.CharField(max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 2}))
    due_date = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class GoalAddForm(forms.Form):
    horizon = forms.ChoiceField(choices=Horizon.choices)
    text = forms.CharField(max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 2}))
    due_date = forms.DateField(
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Leave empty to make it due with its horizon.",
    )


class VersionForm(forms.Form):
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class IndicatorForm(forms.Form):
    checked = forms.BooleanField(required=False)
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


def first_error(form: forms.Form) -> str:
    for name, errors in form.errors.items():
        label = form.fields[name].label or name.replace("_", " ").capitalize() if name in form.fields else ""
        return f"{label}: {errors[0]}" if label else str(errors[0])
    return "Check the form."
