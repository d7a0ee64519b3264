from typing import Any

from django.http import HttpRequest

from staffrole import access


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {"is_hr": bool(user and access.is_hr(user))}
