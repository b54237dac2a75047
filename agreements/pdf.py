"""HTML to PDF with WeasyPrint: fonts from our own files, and no network, ever.

Documents are rendered from HTML strings (templates/pdf/). The only files WeasyPrint may read
are ours under `static/` (the stylesheet and the fonts): user text that smuggles in a URL —
`<img src=http://…>` cannot survive escaping anyway — fetches nothing. Importing WeasyPrint
costs about 0.6 s, so it happens on first use, and one FontConfiguration serves the process.
"""

import mimetypes
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings

STATIC_DIR = Path(settings.BASE_DIR) / "static"


class FetchRefused(ValueError):
    pass


def static_file_for(url: str, root: Path = STATIC_DIR) -> Path:
    """The file under `root` that a file: URL names; FetchRefused for anything else."""
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        raise FetchRefused(f"Only our static files may be read: {url[:80]}")
    path = Path(unquote(parts.path)).resolve()
    if not path.is_relative_to(root.resolve()) or not path.is_file():
        raise FetchRefused(f"Not one of our static files: {url[:80]}")
    return path


@cache
def _weasyprint():
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticFilesOnly(URLFetcher):
        def fetch(self, url, headers=None):
            path = static_file_for(url)
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(path.as_uri(), path.read_bytes(), headers={"Content-Type": content_type})

    return weasyprint, FontConfiguration(), StaticFilesOnly


def render_document(html: str):
    """Lay the HTML out into pages (a WeasyPrint Document: `.pages`, `.write_pdf()`)."""
    weasyprint, font_config, fetcher = _weasyprint()
    source = weasyprint.HTML(string=html, base_url=STATIC_DIR.as_uri() + "/", url_fetcher=fetcher())
    return source.render(font_config=font_config)


def render_pdf(html: str) -> bytes:
    return render_document(html).write_pdf()
