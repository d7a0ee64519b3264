"""Settings for running on a developer's machine (`make run`)."""

from staffrole.settings.base import *  # noqa: F403
from staffrole.settings.base import LOGGING, env

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env("SECRET_KEY", default="local-development-only-not-secret")
METRICS_PUBLIC = True

# On a developer's machine logs are read by people: the plain format unless LOG_FORMAT asks for JSON.
if env("LOG_FORMAT", default="plain") == "plain":
    for handler in LOGGING["handlers"].values():  # type: ignore[attr-defined]
        if handler.get("formatter") == "json":
            handler["formatter"] = "plain"
