"""Reading review packets in tests: their HTML as text and table rows, their PDF as text."""

import io
from html.parser import HTMLParser

from pypdf import PdfReader

HOSTILE = [
    "<script>alert(1)</script>",
    '<img src="file:///etc/passwd">',
    '<link rel=stylesheet href="http://127.0.0.1:9/x.css">',
    "<style>body{display:none}</style>",
    "url(file:///etc/passwd)",
]


class _Text(HTMLParser):
    """The text a reader sees: tags dropped, entities decoded, the head and running elements kept."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("title", "desc", "svg"):
            self.skip += 1
        self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag in ("title", "desc", "svg"):
            self.skip -= 1
        self.parts.append(" ")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def words(html: str) -> str:
    """The document's visible text, whitespace collapsed."""
    parser = _Text()
    parser.feed(html)
    return " ".join("".join(parser.parts).split())


class _Rows(HTMLParser):
    def __init__(self, table_class: str) -> None:
        super().__init__(convert_charrefs=True)
        self.table_class = table_class
        self.depth = 0  # inside the wanted table's tbody
        self.in_table = False
        self.rows: list[list[str]] = []
        self.cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        if tag == "table" and self.table_class in classes:
            self.in_table = True
        elif self.in_table and tag == "tbody":
            self.depth = 1
        elif self.depth and tag == "tr":
            self.rows.append([])
        elif self.depth and tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag):
        if self.in_table and tag == "tbody":
            self.depth = 0
        elif self.in_table and tag == "table":
            self.in_table = False
        elif self.depth and tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(" ".join("".join(self.cell).split()))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def table_rows(html: str, table_class: str) -> list[list[str]]:
    """The cells' text of each body row of the first table with this class."""
    parser = _Rows(table_class)
    parser.feed(html)
    return parser.rows


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def pdf_pages(content: bytes) -> int:
    return len(PdfReader(io.BytesIO(content)).pages)


def flat(text: str) -> str:
    """Text without any whitespace, to compare strings a PDF may have wrapped across lines."""
    return "".join(text.split())


def hostile_review():
    """The engineer's review of an open cycle, acknowledged, with hostile text in every field a person
    types or HR names: the person's, reviewer's and team's names, the cycle's name, both sides'
    comments, a peer's answer, the calibration justification and the acknowledgement comment.
    Call from a test that uses the `staff_blueprint` fixture."""
    from org.models import Employee, Team
    from reviews.models import Cycle
    from reviews.services import RatingInput, review_calibrate, review_rate, review_transition
    from tests.reviews.feedback_builders import answer, ask, dimension_names, open_feedback_cycle, review_of, user

    text = " ".join(HOSTILE)
    cycle = open_feedback_cycle()
    Cycle.objects.filter(pk=cycle.pk).update(name=f"Q4 {HOSTILE[3]}")
    Employee.objects.filter(user__username="engineer").update(name=f"Eli {HOSTILE[0]}")
    Employee.objects.filter(user__username="manager").update(name=f"Morgan {HOSTILE[1]}")
    Team.objects.filter(slug="platform").update(name=f"Platform {HOSTILE[2]}")
    review = review_of(cycle, "engineer")
    names = dimension_names(review)
    [request] = ask("manager", review, ["newhire"])
    answer(request, {names[0]: (4, f"peer {text}")})
    engineer, manager = user("engineer"), user("manager")
    ratings = [RatingInput(name, 4, f"self {text}") for name in names]
    review = review_rate(actor=engineer, review=review, version=None, ratings=ratings)
    review = review_transition(actor=engineer, review=review, action="submit_self")
    ratings = [RatingInput(name, 3, f"manager {text}") for name in names]
    review = review_rate(actor=manager, review=review, version=None, ratings=ratings, potential="high")
    review = review_transition(actor=manager, review=review, action="submit_manager")
    review.refresh_from_db()
    review = review_calibrate(
        actor=user("hr"), review=review, version=review.version, final_rating=4, justification=f"why {text}"
    )
    review = review_transition(actor=manager, review=review, action="share")
    return review_transition(actor=engineer, review=review, action="acknowledge", reason=f"ack {text}")
