import hashlib
from typing import Any

from django import forms
from django.core.validators import FileExtensionValidator

from org import importer

KEEP_MISSING_HELP = (
    "Otherwise everyone with a record who is not in the file is deactivated (the file is the whole organisation)."
)
SEND_INVITES_HELP = "New people get an email with a link to choose their password."


class OrgUploadForm(forms.Form):
    """An org CSV and how to import it; the rows are checked on the preview page."""

    file = forms.FileField(
        label="Organisation file (CSV)",
        help_text="Columns: username, email, name, title, role, level, team, manager, start_date.",
        validators=[FileExtensionValidator(["csv", "txt"])],
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
    keep_missing = forms.BooleanField(
        label="Keep people missing from the file", required=False, help_text=KEEP_MISSING_HELP
    )
    send_invites = forms.BooleanField(
        label="Email new people an invitation", required=False, initial=True, help_text=SEND_INVITES_HELP
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > importer.MAX_BYTES:
            raise forms.ValidationError(f"The file is larger than {importer.size_limit()}.", code="too_large")
        self.content = upload.read()
        self.sha256 = hashlib.sha256(self.content).hexdigest()
        return upload


class OrgImportConfirmForm(forms.Form):
    keep_missing = forms.BooleanField(
        label="Keep people missing from the file", required=False, help_text=KEEP_MISSING_HELP
    )
    send_invites = forms.BooleanField(
        label="Email new people an invitation", required=False, help_text=SEND_INVITES_HELP
    )
    # The plan the page showed: confirming applies exactly that plan or nothing.
    fingerprint = forms.CharField(widget=forms.HiddenInput, max_length=64)
