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


class KPISeries(models.Model):
    """One KPI of a role's blueprint measured for one subject at one granularity: the line a trend
    describes. A series keeps one unit; its values arrive as measurements, from one or more sources.

    The subject is an engineer, a team or a service; a service belongs to a team, and the team (the
    engineer's team for an engineer's series, when they have one) is what the access policy reads.
    `subject_key` identifies the subject whatever its kind: the engineer's or team's id, or
    "<team id>:<service>".
    """

    class SubjectKind(models.TextChoices):
        ENGINEER = "engineer"
        TEAM = "team"
        SERVICE = "service"

    class Period(models.TextChoices):
        WEEK = "week"
        MONTH = "month"
        QUARTER = "quarter"

    role = models.ForeignKey("scorecards.Role", on_delete=models.PROTECT, related_name="kpi_series")
    kpi = models.CharField(max_length=255, help_text="The KPI's name in the role's blueprint.")
    subject_kind = models.CharField(max_length=10, choices=SubjectKind.choices)
    subject_key = models.CharField(max_length=250)
    team = models.ForeignKey("org.Team", null=True, blank=True, on_delete=models.PROTECT, related_name="kpi_series")
    engineer = models.ForeignKey(
        "org.Employee", null=True, blank=True, on_delete=models.PROTECT, related_name="kpi_series"
    )
    service = models.CharField(max_length=200, blank=True)
    period = models.CharField(max_length=10, choices=Period.choices)
    unit = models.CharField(max_length=40)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "KPI series"
        verbose_name_plural = "KPI series"
        ordering = ["role", "kpi", "subject_kind", "subject_key", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["role", "kpi", "subject_kind", "subject_key", "period"], name="kpi_series_once"
            ),
        ]
        indexes = [
            models.Index(fields=["team", "subject_kind"], name="kpi_series_team"),
            models.Index(fields=["engineer"], name="kpi_series_engineer"),
        ]

    def __str__(self) -> str:
        return f"{self.kpi} of {self.subject_label} per {self.period}"

    @property
    def subject_label(self) -> str:
        if self.subject_kind == self.SubjectKind.SERVICE:
            return self.service
        if self.subject_kind == self.SubjectKind.ENGINEER and self.engineer is not None:
            return self.engineer.name
        return self.team.name if self.team is not None else self.subject_key


class Measurement(models.Model):
    """A KPI's value for one period of a series, as one source reported it.

    Upserted by (series, period, source): a source re-sending a value replaces its own, and two
    sources for the same period are averaged in the trend. `period_index` numbers the periods of the
    series' granularity (weeks, months or quarters since 1970), so the trend's slope is per period
    and gaps count as time that passed.
    """

    series = models.ForeignKey(KPISeries, on_delete=models.CASCADE, related_name="measurements")
    period_start = models.DateField()
    period_index = models.IntegerField()
    source = models.CharField(max_length=100)
    value = models.DecimalField(max_digits=20, decimal_places=6)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["series", "period_start", "source"]
        constraints = [
            models.UniqueConstraint(fields=["series", "period_start", "source"], name="measurement_once_per_source"),
        ]

    def __str__(self) -> str:
        return f"{self.series_id} {self.period_start}: {self.value} ({self.source})"


class KPITrend(models.Model):
    """What the workers computed for a series over its last periods (kpis.trends.TREND_POINTS); pages read it as is.

    `attainment` is "met", "missed" or "" when the blueprint's target says nothing the numbers can be
    held against (kpis/trends.py explains each rule). Tiers, for the DORA KPIs, are KPITrendTier rows,
    one per report year.
    """

    class Attainment(models.TextChoices):
        MET = "met", "target met"
        MISSED = "missed", "target missed"
        NONE = "", "no target to judge"

    series = models.OneToOneField(KPISeries, on_delete=models.CASCADE, primary_key=True, related_name="trend")
    points = models.PositiveIntegerField()
    latest_period_start = models.DateField()
    latest_value = models.DecimalField(max_digits=30, decimal_places=6)
    previous_period_start = models.DateField(null=True, blank=True)
    previous_value = models.DecimalField(max_digits=30, decimal_places=6, null=True, blank=True)
    change_pct = models.DecimalField(max_digits=30, decimal_places=6, null=True, blank=True)
    moving_average = models.DecimalField(max_digits=30, decimal_places=6)
    slope = models.DecimalField(max_digits=30, decimal_places=6, null=True, blank=True)
    baseline_value = models.DecimalField(max_digits=30, decimal_places=6)
    attainment = models.CharField(max_length=10, choices=Attainment.choices, blank=True)
    computed_at = models.DateTimeField()

    class Meta:
        verbose_name = "KPI trend"

    def __str__(self) -> str:
        return f"trend of series {self.series_id}"


class KPITrendTier(models.Model):
    trend = models.ForeignKey(KPITrend, on_delete=models.CASCADE, related_name="tiers")
    report_year = models.PositiveSmallIntegerField()
    tier = models.CharField(max_length=20)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["trend", "report_year"], name="kpi_trend_tier_once"),
        ]

    def __str__(self) -> str:
        return f"{self.trend_id} {self.report_year}: {self.tier}"
