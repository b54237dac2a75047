"""agreements/pdf.py and the contract templates: what people type is printed, never obeyed or fetched."""

import socket
import urllib.request
from decimal import Decimal
from functools import cache

import pytest
from fontTools.ttLib import TTFont

import agreements.pdf
from agreements.contracts import contract_issue
from agreements.pdf import STATIC_DIR, FetchRefused, render_pdf, static_file_for
from tests.factories import NOW, ScopeItemFactory
from tests.html import flat
from tests.pdf import POINTS_PER_MM, page_size_mm, pdf_text, text_runs

BOLD = "<b>bold</b>"
IMG = '<img src="http://example.com/x.png">'
LINK = '<link rel=stylesheet href="http://example.com/evil.css">'
STYLE = "<style>body{display:none}</style>"
MARGIN_MM = 16  # static/pdf/documents.css: @page margin, left and right
FONT_FILES = {"Vachan-Sans": "NotoSans-Regular.ttf", "Vachan-Sans-Bold": "NotoSans-Bold.ttf"}



@pytest.fixture
def network_calls(monkeypatch):
    """Every attempt to reach the network (or open a URL through urllib) while rendering: refused, listed."""
    calls = []

    def refuse(name):
        def blocked(*args, **kwargs):
            target = args[1] if len(args) > 1 else args[0] if args else None
            calls.append((name, getattr(target, "full_url", target)))
            raise OSError(f"no network in tests ({name})")

        return blocked

    monkeypatch.setattr(socket.socket, "connect", refuse("connect"))
    monkeypatch.setattr(socket, "create_connection", refuse("create_connection"))
    monkeypatch.setattr(socket, "getaddrinfo", refuse("getaddrinfo"))
    monkeypatch.setattr(urllib.request.OpenerDirector, "open", refuse("urlopen"))
    return calls


@pytest.fixture
def fetcher_asked(monkeypatch):
    """Each URL WeasyPrint asked our fetcher for, and whether it was served or refused."""
    asked = {}
    original = agreements.pdf.static_file_for

    def spy(url, *args, **kwargs):
        try:
            path = original(url, *args, **kwargs)
        except FetchRefused:
            asked[url] = "refused"
            raise
        asked[url] = "served"
        return path

    monkeypatch.setattr(agreements.pdf, "static_file_for", spy)
    return asked


def test_markup_in_clauses_and_scope_is_printed_as_typed(project, freelancer, network_calls):
    ScopeItemFactory(project=project, title=f"Poster {IMG}", exclusions=f"Not included: {BOLD} {STYLE}")
    project.clauses.create(position=1, title=f"Terms {BOLD}", body=f"Read this. {IMG} {LINK} {STYLE} The end.")

    version = contract_issue(project=project, issued_by=freelancer, now=NOW)

    text = flat(pdf_text(version.pdf))
    assert f"6. Terms {BOLD}" in text
    assert f"Read this. {IMG} {LINK} {STYLE} The end." in text
    assert f"Poster {IMG}" in text
    assert f"Not included: {BOLD} {STYLE}" in text
    assert "Acceptance" in text  # body{display:none} was not applied
    assert "&lt;img src=&quot;http://example.com/x.png&quot;&gt;" in version.html
    for tag in ("<img", "<link", "<style", "<b>"):
        assert tag not in version.html
    assert network_calls == []


def test_a_document_asking_for_remote_or_private_files_renders_without_fetching_them(network_calls, fetcher_asked):
    html = """<!DOCTYPE html><html><head>
      <link rel="stylesheet" href="pdf/documents.css">
      <link rel="stylesheet" href="https://example.com/evil.css">
      <style>
        @import url(http://example.com/import.css);
        @font-face { font-family: Remote; src: url(http://example.com/font.ttf); }
        p { font-family: Remote, "Vachan Sans"; }
        body { background: url(file:///etc/passwd); }
      </style></head>
      <body><p>Poster</p><img src="http://example.com/x.png"><img src="file:///etc/hostname"></body></html>"""

    pdf = render_pdf(html)

    assert "Poster" in pdf_text(pdf)
    assert network_calls == []
    assert fetcher_asked[STATIC_DIR.as_uri() + "/pdf/documents.css"] == "served"
    for url in (
        "https://example.com/evil.css", "http://example.com/import.css", "http://example.com/font.ttf",
        "file:///etc/passwd", "http://example.com/x.png", "file:///etc/hostname",
    ):
        assert fetcher_asked.get(url) == "refused", url

    # The guard is real: WeasyPrint's own fetcher, given the same document, does try the network.
    import weasyprint

    weasyprint.HTML(string=html, base_url=STATIC_DIR.as_uri() + "/").write_pdf()
    assert ("urlopen", "http://example.com/x.png") in network_calls


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/font.ttf",
        "https://example.com/pdf/documents.css",
        "ftp://example.com/documents.css",
        "file:///etc/passwd",
        STATIC_DIR.as_uri() + "/../manage.py",
        STATIC_DIR.as_uri() + "/%2e%2e/manage.py",
        STATIC_DIR.as_uri() + "/pdf/../../config/settings.py",
        "file://evil.example.com" + STATIC_DIR.as_posix() + "/pdf/documents.css",
        STATIC_DIR.as_uri() + "/pdf/",  # a folder
        STATIC_DIR.as_uri() + "/pdf/missing.css",
        "pdf/documents.css",  # not a URL at all
    ],
)
def test_the_fetcher_refuses_anything_but_our_static_files(url):
    with pytest.raises(FetchRefused):
        static_file_for(url)


@pytest.mark.parametrize(
    "url", ["pdf/documents.css", "fonts/NotoSans-Regular.ttf", "fonts/NotoSansDevanagari-Bold.ttf"]
)
def test_the_fetcher_serves_our_stylesheet_and_fonts(url):
    assert static_file_for(f"{STATIC_DIR.as_uri()}/{url}") == (STATIC_DIR / url).resolve()
    assert static_file_for(f"file://localhost{STATIC_DIR.as_posix()}/{url}") == (STATIC_DIR / url).resolve()


def test_the_fetcher_refuses_a_link_inside_static_that_points_outside(tmp_path):
    root = tmp_path / "static"
    root.mkdir()
    (root / "ok.css").write_text("p {}")
    secret = tmp_path / "secret.txt"
    secret.write_text("password")
    (root / "innocent.css").symlink_to(secret)

    assert static_file_for((root / "ok.css").as_uri(), root=root) == (root / "ok.css").resolve()
    with pytest.raises(FetchRefused):
        static_file_for((root / "innocent.css").as_uri(), root=root)


@cache
def _advances(font_name: str):
    font = TTFont(STATIC_DIR / "fonts" / FONT_FILES[font_name])
    return font.getBestCmap(), font["hmtx"].metrics, font["head"].unitsPerEm


def drawn_width(run) -> float:
    """How wide a run of Latin text is when drawn in its font and size, in points (no kerning)."""
    cmap, metrics, units = _advances(run.font)
    return sum(metrics[cmap[ord(char)]][0] for char in run.text) * run.size / units


def test_an_overlong_unbroken_word_wraps_inside_the_page_and_its_column(project, freelancer):
    word = "x" * 400
    url = "https://example.com/" + "campaign/" * 40 + "final.pdf"
    title = "y" * 200  # the longest deliverable name the form accepts
    ScopeItemFactory(project=project, title=title, exclusions="Not included: printing.", quantity=Decimal("1"))
    project.clauses.create(position=1, title="Links", body=f"Before {word} then {url} after.")

    version = contract_issue(project=project, issued_by=freelancer, now=NOW)

    text = pdf_text(version.pdf)
    assert all(len(line) < 120 for line in text.splitlines())
    unbroken = "".join(text.split())
    assert word in unbroken  # wrapped, not clipped
    assert url in unbroken
    assert title in unbroken
    page_width = page_size_mm(version.pdf)[0] * POINTS_PER_MM
    right_margin = page_width - MARGIN_MM * POINTS_PER_MM
    pieces = 0
    for runs in text_runs(version.pdf):
        for run in runs:
            if run.font in FONT_FILES:
                assert run.x + drawn_width(run) <= right_margin + 0.5, run
        exclusions = [run for run in runs if run.text.startswith("Not included: printing.")]
        for run in runs:
            if set(run.text) == {"y"}:  # the deliverable stays in its column, left of "Not included"
                pieces += 1
                assert run.x + drawn_width(run) <= exclusions[0].x, run
    assert pieces >= 3
