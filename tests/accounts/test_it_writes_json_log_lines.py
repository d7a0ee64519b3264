import json
import logging
import sys

from staffrole.observability import JsonFormatter, RequestIdFilter, current_request_id
from tests.test_settings import run_python


def _record(**extra: object) -> logging.LogRecord:
    record = logging.LogRecord("staffrole.jobs", logging.WARNING, __file__, 1, "job %s failed", ("42",), None)
    for key, value in extra.items():
        setattr(record, key, value)
    return record


def test_it_writes_one_json_object_per_line_with_the_extra_fields():
    line = JsonFormatter().format(_record(event="job.failed", job_id=42, request_id="r-1"))
    assert "\n" not in line
    entry = json.loads(line)
    assert entry == {
        "time": entry["time"],
        "level": "WARNING",
        "logger": "staffrole.jobs",
        "message": "job 42 failed",
        "request_id": "r-1",
        "event": "job.failed",
        "job_id": 42,
    }
    assert entry["time"].endswith("+00:00")


def test_it_adds_the_current_request_id_and_none_outside_a_request():
    record = _record()
    RequestIdFilter().filter(record)
    assert record.request_id is None  # type: ignore[attr-defined]
    token = current_request_id.set("abc")
    try:
        record = _record()
        RequestIdFilter().filter(record)
        assert record.request_id == "abc"  # type: ignore[attr-defined]
    finally:
        current_request_id.reset(token)


def test_it_keeps_the_traceback_inside_the_line():
    try:
        raise ValueError("boom")
    except ValueError:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", None, sys.exc_info())
    entry = json.loads(JsonFormatter().format(record))
    assert "ValueError: boom" in entry["exception"]


def test_it_switches_to_the_plain_format_with_log_format_plain():
    script = "import logging, django; django.setup(); logging.getLogger('staffrole.security').warning('hello')"
    plain = run_python("-c", script, DJANGO_SETTINGS_MODULE="staffrole.settings.test", LOG_FORMAT="plain")
    assert plain.returncode == 0, plain.stderr
    assert plain.stderr.rstrip().endswith("WARNING staffrole.security [None] hello")
    default = run_python("-c", script, DJANGO_SETTINGS_MODULE="staffrole.settings.test")
    assert json.loads(default.stderr.splitlines()[-1])["message"] == "hello"
