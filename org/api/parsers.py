from typing import Any

from rest_framework.exceptions import ParseError
from rest_framework.parsers import BaseParser

from org import importer
from org.importer import size_limit


class CsvParser(BaseParser):
    """A `text/csv` request body, as bytes: the importer decodes it and reports bad encodings."""

    media_type = "text/csv"

    # request.data is then the body's bytes rather than a mapping: the view checks which it got.
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> bytes:  # type: ignore[override]
        if stream is None:
            return b""
        content = stream.read(importer.MAX_BYTES + 1)
        if len(content) > importer.MAX_BYTES:
            raise ParseError(f"The file is larger than {size_limit()}.")
        return bytes(content)
