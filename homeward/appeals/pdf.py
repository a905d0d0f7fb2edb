"""PDF letters with WeasyPrint: A4, DejaVu fonts (Debian `fonts-dejavu-core`), Russian typography.

Rendered on the server from a Django template and returned as a download; nothing is
sent to officials and nothing is stored. The letter is in Russian whatever the
interface language: it goes to a Russian body. WeasyPrint may fetch nothing: every
URL is refused, so a letter cannot make the server reach out anywhere.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation

from homeward.appeals.letters import russian_date
from homeward.appeals.typography import typeset

_PARAGRAPHS = re.compile(r"\n\s*\n")
_STYLESHEET = Path(__file__).resolve().parent / "templates" / "appeals" / "pdf" / "letter.css"
# WeasyPrint narrates every step at INFO; seven lines per PDF say nothing an operator needs.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


@dataclass
class Letter:
    heading: str
    body: str
    to_lines: list[str] = field(default_factory=list)
    from_name: str = ""
    from_address: str = ""
    date: dt.date | None = None
    signers: list[str] | None = None  # the collective letter: names given for it
    signer_total: int = 0


def paragraphs(text: str) -> list[list[str]]:
    """Paragraphs (split at blank lines), each a list of its lines, typeset."""
    out = []
    for block in _PARAGRAPHS.split(typeset(text.strip())):
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        if lines:
            out.append(lines)
    return out


def render_pdf(letter: Letter) -> bytes:
    with translation.override("ru"):
        html = render_to_string(
            "appeals/pdf/letter.html",
            {
                "letter": letter,
                "to_lines": [typeset(line) for line in letter.to_lines if line],
                "from_name": typeset(letter.from_name),
                "from_address": [typeset(line) for line in letter.from_address.splitlines() if line.strip()],
                "paragraphs": paragraphs(letter.body),
                "date": russian_date(letter.date) if letter.date else "",
                "signers": [typeset(n) for n in letter.signers] if letter.signers is not None else None,
            },
        )
    from weasyprint import HTML

    font_config, stylesheet, fetcher = _weasyprint()
    return HTML(string=html, url_fetcher=fetcher).write_pdf(stylesheets=[stylesheet], font_config=font_config)


_shared = threading.local()


def _weasyprint():
    """What every letter shares, made once per thread: the font configuration (Fontconfig
    loads and indexes the system fonts, ~10 ms a letter when made anew), the parsed
    stylesheet and a URL fetcher that fetches nothing. Per thread, because a Pango font
    map must not be used by two threads at once (gunicorn's sync workers have one)."""
    made = getattr(_shared, "made", None)
    if made is None:
        # Imported here: WeasyPrint takes half a second to load, and most requests never need it.
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration
        from weasyprint.urls import URLFetcher

        font_config = FontConfiguration()
        fetcher = URLFetcher(allowed_protocols=set())
        stylesheet = CSS(string=_STYLESHEET.read_text(), font_config=font_config, url_fetcher=fetcher)
        made = _shared.made = (font_config, stylesheet, fetcher)
    return made


def html_to_pdf(html: str) -> bytes:
    """Any page of ours as PDF, with the shared fonts and a fetcher that fetches nothing
    (the page brings its own styles; the letter's stylesheet is not applied)."""
    from weasyprint import HTML

    font_config, _stylesheet, fetcher = _weasyprint()
    return HTML(string=html, url_fetcher=fetcher).write_pdf(font_config=font_config)


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
