"""The organisation: teams, employees and the manager chain.

An Employee is the person behind a login. "Manager" and "director" are not stored: they follow
from the chain (someone with active reports; someone whose reports have reports). HR and Admin
are Django groups. Leavers are deactivated, never deleted, so their reviews stay.
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower


class Team(models.Model):
    slug = models.SlugField(max_length=100, unique=True)
    name = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Employee(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="employee")
    name = models.CharField(max_length=200)
    title = models.CharField(max_length=200, blank=True)
    role = models.ForeignKey(
        "scorecards.Role", null=True, blank=True, on_delete=models.PROTECT, related_name="employees"
    )
    level = models.CharField(max_length=50, blank=True)
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.PROTECT, related_name="members")
    manager = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="reports")
    start_date = models.DateField()
    active = models.BooleanField(default=True, db_index=True)
    deactivated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        indexes = [models.Index(Lower("name"), name="org_employee_name_lower")]
        constraints = [
            models.CheckConstraint(condition=~models.Q(manager=models.F("id")), name="org_employee_not_own_manager"),
            models.CheckConstraint(
                condition=models.Q(active=True) | models.Q(deactivated_at__isnull=False),
                name="org_employee_deactivated_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def username(self) -> str:
        return self.user.get_username()

    @property
    def email(self) -> str:
        return self.user.email

    def tenure_days(self, today: date) -> int:
        return (today - self.start_date).days
