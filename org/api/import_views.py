from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response


@api_view(["POST"])
def org_import(request: Request) -> Response:
    raise NotImplementedError
