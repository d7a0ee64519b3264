"""The shapes of the event endpoints, for the API schema: the checking itself is kpis.services'
(it reports every problem of a batch by item index, which a serializer's first-error-wins does not)."""

from drf_spectacular.utils import inline_serializer
from rest_framework import serializers

from kpis.services import MAX_COMMIT_TIMES, MAX_DEPLOY_IDS


class DeploymentEventSerializer(serializers.Serializer):
    deploy_id = serializers.CharField(max_length=200, help_text="The sender's id; a deployment sent again updates it.")
    service = serializers.CharField(max_length=200)
    team = serializers.CharField(max_length=100, help_text="An existing team's slug.")
    environment = serializers.CharField(max_length=100, help_text="DORA counts `production` only.")
    succeeded = serializers.BooleanField()
    deployed_at = serializers.DateTimeField(help_text="ISO 8601 with a time zone (`Z` or an offset).")
    commit_times = serializers.ListField(
        child=serializers.DateTimeField(),
        max_length=MAX_COMMIT_TIMES,
        help_text="When each commit of the deployment was made, ISO 8601 with a time zone; may be empty. "
        "Sending a deployment again replaces its commit times.",
    )


class IncidentEventSerializer(serializers.Serializer):
    incident_id = serializers.CharField(max_length=200, help_text="The sender's id; an incident sent again updates it.")
    team = serializers.CharField(max_length=100, help_text="An existing team's slug.")
    service = serializers.CharField(max_length=200)
    severity = serializers.CharField(max_length=50, allow_blank=True)
    started_at = serializers.DateTimeField(help_text="ISO 8601 with a time zone.")
    resolved_at = serializers.DateTimeField(allow_null=True, help_text="null while open; not before `started_at`.")
    deploy_ids = serializers.ListField(
        child=serializers.CharField(max_length=200),
        max_length=MAX_DEPLOY_IDS,
        help_text="The deployments the incident blames, by `deploy_id` (they may arrive later); may be empty. "
        "Sending an incident again replaces this list.",
    )


class IngestResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()


# An inline serializer: a field named `errors` would hide Serializer.errors.
IngestErrorsSerializer = inline_serializer(
    name="KpiIngestErrors",
    fields={
        "detail": serializers.CharField(),
        "errors": serializers.DictField(
            child=serializers.DictField(child=serializers.ListField(child=serializers.CharField())),
            help_text="By item index (from 0): the item's problems by field (`non_field_errors` for the item as a "
            "whole). Empty when the batch as a whole is refused (not a list, too many items).",
        ),
    },
)


class MeasurementItemSerializer(serializers.Serializer):
    """One KPI value, for the schema: kpis.measurements checks the batch."""

    role = serializers.CharField(max_length=100, help_text="The slug of a role with a published blueprint.")
    kpi = serializers.CharField(
        max_length=255,
        help_text="A KPI of that blueprint, by name (`Change failure rate (DORA)`) or by slug "
        "(`change-failure-rate-dora`).",
    )
    subject_type = serializers.ChoiceField(choices=["engineer", "team", "service"])
    subject = serializers.CharField(
        max_length=200, help_text="The engineer's username, the team's slug, or the service's name."
    )
    team = serializers.CharField(
        max_length=100,
        required=False,
        allow_null=True,
        allow_blank=True,
        help_text="For a service: the slug of the team that owns it (required then). Ignored otherwise.",
    )
    period = serializers.CharField(
        max_length=20, help_text="`2026-11` (a month), `2026-Q4` (a quarter) or `2026-W47` (an ISO week)."
    )
    value = serializers.FloatField(
        help_text="A number (a string holding one is taken too); at most 14 digits before the point, 6 after."
    )
    unit = serializers.CharField(
        max_length=40, help_text="Such as `%`, `hours`, `ms`. A series keeps one unit: the one of its first value."
    )
    # A field named like Field.source: the metaclass moves it into the declared fields, as with any other.
    source = serializers.CharField(  # type: ignore[assignment]
        max_length=100,
        help_text="Where the value comes from (`ci`, `quarterly-survey`); a source re-sending a value for the "
        "same KPI, subject and period replaces its own.",
    )


class KPITrendSerializer(serializers.Serializer):
    """One series of a team and its stored trend, for the schema: the rows are built by the view."""

    role = serializers.CharField(help_text="The slug of the role whose blueprint names the KPI.")
    kpi = serializers.CharField(help_text="The KPI's name in the role's blueprint.")
    subject_type = serializers.ChoiceField(choices=["engineer", "team", "service"])
    subject = serializers.CharField(help_text="The team's slug, the service's name or the engineer's username.")
    period = serializers.ChoiceField(choices=["week", "month", "quarter"], help_text="The series' granularity.")
    unit = serializers.CharField()
    points = serializers.IntegerField(
        allow_null=True, help_text="Measured periods the trend reads (at most 12); null until it is computed."
    )
    latest_period = serializers.CharField(allow_null=True, help_text="`2026-11`, `2026-Q4` or `2026-W47`.")
    latest_value = serializers.FloatField(allow_null=True, help_text="The mean of the sources' values.")
    previous_value = serializers.FloatField(allow_null=True, help_text="The measured period before the latest.")
    change_pct = serializers.FloatField(
        allow_null=True, help_text="Latest against previous, in % of the previous; null when that is 0 or missing."
    )
    moving_average = serializers.FloatField(allow_null=True, help_text="Of the last three measured periods.")
    slope = serializers.FloatField(
        allow_null=True, help_text="Least-squares change per period (a gap counts as time); null with one point."
    )
    attainment = serializers.ChoiceField(
        choices=["met", "missed"],
        allow_null=True,
        help_text="Against the blueprint's target; null when the target says nothing the numbers can be held to.",
    )
    tiers = serializers.DictField(
        child=serializers.CharField(),
        help_text='DORA KPIs: the tier of the latest value by report year (`{"2023": "high"}`); empty otherwise.',
    )


class SloWindowSerializer(serializers.Serializer):
    """One SLO window, for the schema: kpis.slo_ingest checks the batch."""

    role = serializers.CharField(max_length=100, help_text="The slug of a role with a published blueprint.")
    subject_type = serializers.CharField(help_text="`service` (usually), `team` or `engineer`.")
    subject = serializers.CharField(max_length=200, help_text="The service's name, team's slug or username.")
    team = serializers.CharField(max_length=100, required=False, help_text="For a service: its team's slug.")
    period = serializers.CharField(max_length=20, help_text="`2026-11`, `2026-Q4` or `2026-W47`.")
    source = serializers.CharField(max_length=100)  # type: ignore[assignment]  # a field named like Field.source
    objective = serializers.FloatField(help_text="The SLO: a fraction (0.999) or a percentage (99.9).")
    good = serializers.IntegerField(min_value=0, help_text="Good events in the window.")
    valid = serializers.IntegerField(min_value=0, help_text="Valid events in the window (good ones included).")
