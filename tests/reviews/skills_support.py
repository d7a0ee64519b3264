"""Helpers for the skills page tests: the form as a browser without JavaScript would post it."""

from html.parser import HTMLParser
from typing import Any


class _FormReader(HTMLParser):
    """The named fields of one form, with the values the page shows: hidden inputs, the selected option
    of each select (or its first) and the text of each textarea."""

    def __init__(self, form_id: str) -> None:
        super().__init__()
        self.form_id = form_id
        self.inside = False
        self.data: dict[str, str] = {}
        self._select: str | None = None
        self._first_option: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {key: value or "" for key, value in attrs}
        if tag == "form" and attributes.get("id") == self.form_id:
            self.inside = True
        if not self.inside:
            return
        name = attributes.get("name")
        if tag == "input" and name and attributes.get("type") in ("hidden", "text", None):
            self.data[name] = attributes.get("value", "")
        elif tag == "select" and name:
            self._select, self._first_option = name, None
        elif tag == "option" and self._select is not None:
            value = attributes.get("value", "")
            if self._first_option is None:
                self._first_option = value
                self.data.setdefault(self._select, value)
            if "selected" in attributes:
                self.data[self._select] = value
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self.inside:
            self.inside = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self.data[self._textarea] += data


def form_data(html: str, form_id: str = "skills-form") -> dict[str, Any]:
    reader = _FormReader(form_id)
    reader.feed(html)
    reader.close()
    assert reader.data, f"no form #{form_id} on the page"
    return dict(reader.data)
