"""The loopback settings with the floor's URLconf (bench/floor_urls.py), for bench/floor.py only."""

from loopback_settings import *  # noqa: F403

ROOT_URLCONF = "floor_urls"
