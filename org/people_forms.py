"""HR's form for a person's record; the rules live in org.services.employee_update."""

from typing import Any

from django import forms

from org.models import Employee, Team
from scorecards.models import Role


class EmployeeForm(forms.Form):
    name = forms.CharField(max_length=200)
    email = forms.EmailField(max_length=254)
    title = forms.CharField(max_length=200, required=False)
    role = forms.ModelChoiceField(
        queryset=Role.objects.filter(versions__status="published").distinct(),
        required=False,
        to_field_name="slug",
        empty_label="No role blueprint",
    )
    level = forms.CharField(max_length=50, required=False)
    team = forms.ModelChoiceField(
        queryset=Team.objects.all(), required=False, to_field_name="slug", empty_label="No team"
    )
    manager = forms.CharField(
        max_length=150, required=False, help_text="Username of their manager; empty for the top of the organisation."
    )
    start_date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    active = forms.BooleanField(required=False, help_text="Untick to deactivate a leaver; their reviews stay.")
    reason = forms.CharField(
        max_length=500, required=False, help_text="Optional; kept in the change history.", widget=forms.TextInput
    )

    def __init__(self, *args: Any, employee: Employee, **kwargs: Any) -> None:
        self.employee = employee
        kwargs.setdefault(
            "initial",
            {
                "name": employee.name,
                "email": employee.user.email,
                "title": employee.title,
                "role": employee.role.slug if employee.role else None,
                "level": employee.level,
                "team": employee.team.slug if employee.team else None,
                "manager": employee.manager.user.username if employee.manager else "",
                "start_date": employee.start_date,
                "active": employee.active,
            },
        )
        super().__init__(*args, **kwargs)

    def clean_manager(self) -> Employee | None:
        username = self.cleaned_data["manager"].strip()
        if not username:
            return None
        manager = Employee.objects.select_related("user").filter(user__username=username).first()
        if manager is None:
            raise forms.ValidationError(f"Nobody has the username {username!r}.")
        return manager
