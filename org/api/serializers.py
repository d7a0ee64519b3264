from typing import Any

from rest_framework import serializers

from org.models import Employee


class EmployeeSerializer(serializers.Serializer):
    """A person as the directory shows them. `level` and `start_date` are null unless the caller may
    read the full record (the person, their manager chain, HR); `detail` says which view this is."""

    id = serializers.IntegerField()
    username = serializers.CharField()
    name = serializers.CharField()
    email = serializers.EmailField()
    title = serializers.CharField()
    team = serializers.CharField(allow_null=True, help_text="team slug")
    role = serializers.CharField(allow_null=True, help_text="role blueprint slug")
    manager = serializers.CharField(allow_null=True, help_text="the manager's username; null at the top")
    active = serializers.BooleanField()
    level = serializers.CharField(allow_null=True)
    start_date = serializers.DateField(allow_null=True)
    detail = serializers.ChoiceField(choices=["basic", "full"])

    def to_representation(self, employee: Employee) -> dict[str, Any]:
        full = self.context["full"](employee)
        return {
            "id": employee.pk,
            "username": employee.user.username,
            "name": employee.name,
            "email": employee.user.email,
            "title": employee.title,
            "team": employee.team.slug if employee.team else None,
            "role": employee.role.slug if employee.role else None,
            "manager": employee.manager.user.username if employee.manager else None,
            "active": employee.active,
            "level": employee.level if full else None,
            "start_date": employee.start_date.isoformat() if full else None,
            "detail": "full" if full else "basic",
        }


class EmployeeUpdateSerializer(serializers.Serializer):
    """HR's partial update of a person's record; absent fields keep their value."""

    name = serializers.CharField(max_length=200)
    email = serializers.EmailField(max_length=254)
    title = serializers.CharField(max_length=200, allow_blank=True)
    role = serializers.CharField(allow_null=True, allow_blank=True, help_text="role blueprint slug, or null")
    level = serializers.CharField(max_length=50, allow_blank=True)
    team = serializers.CharField(allow_null=True, allow_blank=True, help_text="team slug, or null")
    manager = serializers.CharField(allow_null=True, allow_blank=True, help_text="manager's username, or null")
    start_date = serializers.DateField()
    active = serializers.BooleanField()
    reason = serializers.CharField(max_length=500, allow_blank=True, required=False)


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    employee_id = serializers.IntegerField(allow_null=True)
    name = serializers.CharField()
    groups = serializers.ListField(child=serializers.CharField())
    manager = serializers.CharField(allow_null=True, help_text="the manager's username")
    reports = serializers.ListField(child=serializers.CharField(), help_text="usernames of active direct reports")
    is_hr = serializers.BooleanField()
    is_manager = serializers.BooleanField(help_text="has active direct reports")
    is_director = serializers.BooleanField(help_text="has reports who have reports")
