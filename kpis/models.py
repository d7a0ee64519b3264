"""Engineering events (deployments and incidents) and the DORA tier thresholds they are judged by.

Events arrive from CI/CD and incident tools through the API, keyed by the sender's own ids, so a
re-sent batch updates rows in place. An incident names the deployments it blames by their
`deploy_id`, which may arrive before or after the deployment itself: the link is kept as that id
and joined when figures are computed, each (incident, deployment) pair once.
"""

from django.db import models


class Deployment(models.Model):
    deploy_id = models.CharField(max_length=200, unique=True)
    team = models.ForeignKey("org.Team", on_delete=models.PROTECT, related_name="deployments")
    service = models.CharField(max_length=200)
    environment = models.CharField(max_length=100)
    succeeded = models.BooleanField()
    deployed_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["deployed_at", "deploy_id"]
        indexes = [
            models.Index(fields=["team", "deployed_at"], name="deployment_team_time"),
            models.Index(fields=["service", "deployed_at"], name="deployment_service_time"),
        ]

    def __str__(self) -> str:
        return f"{self.deploy_id} ({self.service}, {self.environment})"


class DeploymentCommit(models.Model):
    """One commit time of a deployment: lead time is measured from each commit to the deploy."""

    deployment = models.ForeignKey(Deployment, on_delete=models.CASCADE, related_name="commits")
    committed_at = models.DateTimeField()

    class Meta:
        ordering = ["deployment", "committed_at"]
        indexes = [models.Index(fields=["deployment", "committed_at"], name="deployment_commit_time")]

    def __str__(self) -> str:
        return f"{self.deployment_id} @ {self.committed_at:%Y-%m-%d %H:%M}"


class Incident(models.Model):
    incident_id = models.CharField(max_length=200, unique=True)
    team = models.ForeignKey("org.Team", on_delete=models.PROTECT, related_name="incidents")
    service = models.CharField(max_length=200)
    severity = models.CharField(max_length=50, blank=True)
    started_at = models.DateTimeField()
    resolved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["started_at", "incident_id"]
        indexes = [
            models.Index(fields=["team", "started_at"], name="incident_team_time"),
            models.Index(fields=["service", "started_at"], name="incident_service_time"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(resolved_at__isnull=True) | models.Q(resolved_at__gte=models.F("started_at")),
                name="incident_resolved_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.incident_id} ({self.service})"


class IncidentDeployment(models.Model):
    """An incident blames a deployment, named by its deploy_id (which may not have arrived yet)."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="blamed")
    deploy_id = models.CharField(max_length=200, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["incident", "deploy_id"], name="incident_blames_a_deploy_once"),
        ]

    def __str__(self) -> str:
        return f"{self.incident_id} → {self.deploy_id}"


class DoraTier(models.Model):
    """One tier's bound for one DORA metric in one report year: data, loaded by a migration.

    For a metric where more is better (deployment frequency) a value reaches the tier when it is at
    least `bound`; where less is better (lead time, change failure rate, time to restore) when it is
    at most `bound`. Tiers are tried best first (`rank` 1); `bound` null means "anything" (the last
    tier). Units: deploy days per week, hours, and a fraction from 0 to 1.
    """

    class Metric(models.TextChoices):
        DEPLOYMENT_FREQUENCY = "deployment_frequency", "Deployment frequency"
        LEAD_TIME = "lead_time", "Lead time for changes"
        CHANGE_FAILURE_RATE = "change_failure_rate", "Change failure rate"
        TIME_TO_RESTORE = "time_to_restore", "Time to restore service"

    report_year = models.PositiveSmallIntegerField()
    metric = models.CharField(max_length=30, choices=Metric.choices)
    tier = models.CharField(max_length=20)
    rank = models.PositiveSmallIntegerField()
    bound = models.DecimalField(max_digits=12, decimal_places=4, null=True, blank=True)
    description = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["report_year", "metric", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["report_year", "metric", "rank"], name="dora_tier_rank_once"),
            models.UniqueConstraint(fields=["report_year", "metric", "tier"], name="dora_tier_name_once"),
        ]

    def __str__(self) -> str:
        return f"DORA {self.report_year} {self.metric}: {self.tier}"
