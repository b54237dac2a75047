"""Reading the PDFs we render, in tests: their text, fonts and paper size (pypdf)."""

import io
from dataclasses import dataclass

from pypdf import PdfReader

POINTS_PER_MM = 72 / 25.4


def _reader(pdf_bytes) -> PdfReader:
    return PdfReader(io.BytesIO(bytes(pdf_bytes)))  # bytes(): PostgreSQL returns a memoryview


def pdf_pages(pdf_bytes) -> list[str]:
    """The text layer of each page, in page order."""
    return [page.extract_text() for page in _reader(pdf_bytes).pages]


def pdf_text(pdf_bytes) -> str:
    """The text layer of the whole document, pages joined by a newline."""
    return "\n".join(pdf_pages(pdf_bytes))


def _fonts_in(resources, seen: set[int]) -> set[str]:
    names = set()
    if resources is None:
        return names
    resources = resources.get_object()
    for font in (resources.get("/Font") or {}).values():
        font = font.get_object()
        base = str(font.get("/BaseFont", ""))
        names.add(base.lstrip("/").split("+", 1)[-1])  # "/ABCDEF+Vachan-Sans" -> "Vachan-Sans"
        for descendant in font.get("/DescendantFonts") or []:
            base = str(descendant.get_object().get("/BaseFont", ""))
            names.add(base.lstrip("/").split("+", 1)[-1])
    for xobject in (resources.get("/XObject") or {}).values():  # text inside form XObjects
        xobject = xobject.get_object()
        if id(xobject) not in seen:
            seen.add(id(xobject))
            names |= _fonts_in(xobject.get("/Resources"), seen)
    return names - {""}


def embedded_fonts(pdf_bytes) -> set[str]:
    """The BaseFont names used on any page, subset prefix stripped, e.g. "Vachan-Devanagari"."""
    seen: set[int] = set()
    names: set[str] = set()
    for page in _reader(pdf_bytes).pages:
        names |= _fonts_in(page.get("/Resources"), seen)
    return names


def page_size_mm(pdf_bytes) -> tuple[float, float]:
    """(width, height) of the pages in millimetres, to 0.1 mm; every page must have that size."""
    sizes = {
        (round(float(page.mediabox.width) / POINTS_PER_MM, 1), round(float(page.mediabox.height) / POINTS_PER_MM, 1))
        for page in _reader(pdf_bytes).pages
    }
    assert len(sizes) == 1, f"pages of different sizes: {sizes}"
    return sizes.pop()


@dataclass(frozen=True)
class TextRun:
    """One piece of text as drawn: where it starts (points from the page's left edge and from its
    bottom edge), in which font (subset prefix stripped) and at what size (points)."""

    text: str
    x: float
    y: float
    font: str
    size: float


def text_runs(pdf_bytes) -> list[list[TextRun]]:
    """The text of each page as drawn, run by run (WeasyPrint draws each line of a box as one run)."""
    pages = []
    for page in _reader(pdf_bytes).pages:
        runs = []

        def visit(text, cm, tm, font, size, runs=runs):
            if not text.strip():
                return
            name = str(font.get("/BaseFont", "")).lstrip("/").split("+", 1)[-1] if font else ""
            x = cm[0] * tm[4] + cm[2] * tm[5] + cm[4]
            y = cm[1] * tm[4] + cm[3] * tm[5] + cm[5]
            runs.append(TextRun(text.rstrip("\n"), float(x), float(y), name, float(size * tm[0] * cm[0])))

        page.extract_text(visitor_text=visit)
        pages.append(runs)
    return pages
