from typing import Any

from django import forms
from django.core.validators import FileExtensionValidator

from kpis import measurement_files
from kpis.models import Measurement

SOURCE_MAX_LENGTH = Measurement._meta.get_field("source").max_length or 100


class MeasurementUploadForm(forms.Form):
    """A measurement CSV; its rows are checked and written by kpis.measurement_files."""

    file = forms.FileField(
        label="Measurements file (CSV)",
        help_text="Columns: " + ", ".join(measurement_files.COLUMNS) + ", in any order, after a header row.",
        validators=[FileExtensionValidator(["csv", "txt"])],
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
    default_source = forms.CharField(
        label="Source of rows that name none",
        required=False,
        max_length=SOURCE_MAX_LENGTH,
        help_text="Optional, e.g. quarterly-survey: used where the source cell is empty, or the file has no "
        "source column.",
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > measurement_files.MAX_BYTES:
            raise forms.ValidationError(
                f"The file is larger than {measurement_files.size_limit()}; split it into smaller files.",
                code="too_large",
            )
        self.content = upload.read()
        return upload

    def clean_default_source(self) -> str:
        return str(self.cleaned_data["default_source"]).strip()
