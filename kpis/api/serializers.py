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
