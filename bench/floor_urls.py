"""The product's URLs plus the floor of bench/floor.py: a view that does nothing but answer, served
through the same middleware and server as the pages it is compared with. Only floor_settings.py
names this URLconf; staffrole.urls never includes it."""

from typing import cast

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, path

from staffrole.urls import handler404, handler500
from staffrole.urls import urlpatterns as product_urlpatterns

__all__ = ["handler404", "handler500", "urlpatterns"]


def trivial(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns: list[URLPattern | URLResolver] = [
    path("_floor/trivial/", trivial),
    *cast(list[URLPattern | URLResolver], product_urlpatterns),
]
