from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response


@api_view(["GET"])
def me(request: Request) -> Response:
    raise NotImplementedError


@api_view(["GET"])
def employee_list(request: Request) -> Response:
    raise NotImplementedError


@api_view(["GET"])
def employee_detail(request: Request, pk: int) -> Response:
    raise NotImplementedError
