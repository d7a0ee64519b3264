import hashlib
from typing import Any, cast

from django import forms
from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.template.defaultfilters import filesizeformat

from scorecards.blueprint_parser import BlueprintParseError
from scorecards.services import blueprint_parse_upload


def parse_error_message(exc: BlueprintParseError) -> str:
    """The error as one sentence: "Line 578: expected a weight such as '25%', found 'ten'"."""
    expected = str(exc.expected)
    message = expected if "expected" in expected.split() else f"expected {expected}"
    if exc.found:
        message += f", found {exc.found}"
    return f"Line {exc.line}: {message}" if exc.line else message


class BlueprintUploadForm(forms.Form):
    """A blueprint document (.txt) or an export_blueprint file (.json), parsed while validating."""

    file = forms.FileField(
        label="Blueprint file",
        help_text="A role blueprint document (.txt) or a JSON file made by export_blueprint.",
        validators=[FileExtensionValidator(["txt", "json"])],
        widget=forms.ClearableFileInput(attrs={"accept": ".txt,.json,text/plain,application/json"}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        limit = settings.BLUEPRINT_UPLOAD_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(f"The file is larger than {filesizeformat(limit)}.", code="too_large")
        content = upload.read()
        try:
            self.parsed = blueprint_parse_upload(name=upload.name, content=content)
        except BlueprintParseError as exc:
            raise forms.ValidationError(parse_error_message(exc), code="parse_error") from exc
        self.content = content
        self.sha256 = hashlib.sha256(content).hexdigest()
        return upload


class ImportConfirmForm(forms.Form):
    publish = forms.BooleanField(
        label="Publish now",
        required=False,
        help_text="Published versions are visible to everyone and can no longer change. "
        "Leave unticked to import a draft that only HR sees.",
    )


class DiffForm(forms.Form):
    """Two version numbers of one role (from the query string)."""

    from_ = forms.TypedChoiceField(label="From version", coerce=int)
    to = forms.TypedChoiceField(label="To version", coerce=int)

    def __init__(self, *args: Any, numbers: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("from_", "to"):
            cast(forms.TypedChoiceField, self.fields[name]).choices = [(n, f"Version {n}") for n in numbers]

    def add_prefix(self, field_name: str) -> str:
        # "from" is a Python keyword, so the field is from_ and its query parameter is "from".
        return "from" if field_name == "from_" else super().add_prefix(field_name)
