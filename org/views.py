from django.http import HttpRequest, HttpResponse


def people_list(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError


def person_detail(request: HttpRequest, username: str) -> HttpResponse:
    raise NotImplementedError


def person_edit(request: HttpRequest, username: str) -> HttpResponse:
    raise NotImplementedError
