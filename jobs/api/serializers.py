from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from jobs.models import Job


class JobSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField(
        help_text="Where to fetch the result (a token or a session works); null until it succeeded."
    )

    class Meta:
        model = Job
        fields = ["id", "kind", "state", "progress", "items_done", "items_total", "error", "download_url"]
        read_only_fields = fields

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_download_url(self, job: Job) -> str | None:
        if job.state != Job.State.SUCCEEDED or not job.result_file:
            return None
        return reverse("api-job-download", args=[job.pk], request=self.context.get("request"))
