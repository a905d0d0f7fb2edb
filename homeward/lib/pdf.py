"""PDFs with WeasyPrint for every app: DejaVu fonts (Debian `fonts-dejavu-core`), a URL
fetcher that fetches nothing (a document can never make the server reach out anywhere),
and the download response, sandboxed."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from django.http import HttpResponse

# WeasyPrint narrates every step at INFO; seven lines per PDF say nothing an operator needs.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

_shared = threading.local()


def _weasyprint():
    """What every PDF shares, made once per thread: the font configuration (Fontconfig
    loads and indexes the system fonts, ~10 ms a PDF when made anew) and the fetcher. Per
    thread, because a Pango font map must not be used by two threads at once."""
    made = getattr(_shared, "made", None)
    if made is None:
        # Imported here: WeasyPrint takes half a second to load, and most requests never need it.
        from weasyprint.text.fonts import FontConfiguration
        from weasyprint.urls import URLFetcher

        made = _shared.made = (FontConfiguration(), URLFetcher(allowed_protocols=set()), {})
    return made


def _stylesheet(path: Path):
    """The stylesheet at `path`, parsed once per thread."""
    from weasyprint import CSS

    font_config, fetcher, sheets = _weasyprint()
    if path not in sheets:
        sheets[path] = CSS(string=path.read_text(), font_config=font_config, url_fetcher=fetcher)
    return sheets[path]


def html_to_pdf(html: str, *, stylesheet: Path | None = None) -> bytes:
    """A page of ours as PDF, with the shared fonts and a fetcher that fetches nothing;
    `stylesheet` (a file) is applied on top of the page's own styles."""
    from weasyprint import HTML

    font_config, fetcher, _sheets = _weasyprint()
    stylesheets = [_stylesheet(stylesheet)] if stylesheet is not None else []
    return HTML(string=html, url_fetcher=fetcher).write_pdf(stylesheets=stylesheets, font_config=font_config)


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
