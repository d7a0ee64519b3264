from django.http import HttpRequest, HttpResponse


def org_import_upload(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError


def org_import_preview(request: HttpRequest, token: str) -> HttpResponse:
    raise NotImplementedError
