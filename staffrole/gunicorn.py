"""gunicorn settings: `gunicorn staffrole.wsgi:application --config python:staffrole.gunicorn`.

Only the metrics bookkeeping lives here; the rest comes from the command line. With several workers
every one writes its figures to PROMETHEUS_MULTIPROC_DIR and /metrics adds them up (ADR 0021).
"""

from typing import Any


def on_starting(server: Any) -> None:
    """In the master, before the first worker forks: forget the files of this host's ended processes."""
    from staffrole.metrics import metrics_files_sweep

    metrics_files_sweep()
