"""Several interviewers per interview (the single `interviewer` becomes `interviewers`, every existing
interview keeping its interviewer and every scorecard untouched), and server-side scorecard drafts."""

import django.db.models.deletion
from django.db import migrations, models


def interviewer_to_interviewers(apps, schema_editor):  # type: ignore[no-untyped-def]
    Interview = apps.get_model("hiring", "Interview")
    Through = Interview.interviewers.through
    rows = [
        Through(interview_id=interview_id, employee_id=employee_id)
        for interview_id, employee_id in Interview.objects.values_list("pk", "interviewer_id").iterator()
    ]
    Through.objects.bulk_create(rows, batch_size=1000)


def interviewers_to_interviewer(apps, schema_editor):  # type: ignore[no-untyped-def]
    """Backwards: an interview keeps the first of its interviewers (by id). An interview with several
    interviewers or none cannot go back without losing who interviewed: refuse rather than lose it."""
    Interview = apps.get_model("hiring", "Interview")
    for interview in Interview.objects.prefetch_related("interviewers"):
        people = sorted(interview.interviewers.all(), key=lambda e: e.pk)
        if len(people) != 1:
            raise RuntimeError(
                f"Interview {interview.pk} has {len(people)} interviewers; the single-interviewer schema cannot "
                "hold that. Reassign it before migrating back."
            )
        interview.interviewer_id = people[0].pk
        interview.save(update_fields=["interviewer"])


class Migration(migrations.Migration):
    dependencies = [
        ("hiring", "0001_initial"),
        ("org", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="interview",
            name="interviewer",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="org.employee"
            ),
        ),
        migrations.AddField(
            model_name="interview",
            name="interviewers",
            field=models.ManyToManyField(blank=True, related_name="interviews", to="org.employee"),
        ),
        migrations.RunPython(interviewer_to_interviewers, interviewers_to_interviewer),
        migrations.RemoveField(model_name="interview", name="interviewer"),
        migrations.CreateModel(
            name="ScorecardDraft",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("data", models.JSONField(default=dict)),
                ("saved_at", models.DateTimeField(auto_now=True)),
                (
                    "interview",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="drafts", to="hiring.interview"
                    ),
                ),
                (
                    "interviewer",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="scorecard_drafts",
                        to="org.employee",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("interview", "interviewer"), name="hiring_draft_one_per_interviewer"
                    )
                ]
            },
        ),
    ]
