"""PDF letters with WeasyPrint: A4, DejaVu fonts (Debian `fonts-dejavu-core`), Russian typography.

Rendered on the server from a Django template and returned as a download; nothing is
sent to officials and nothing is stored. The letter is in Russian whatever the
interface language: it goes to a Russian body. Fonts, the fetcher that fetches nothing
and the download response are homeward/lib/pdf.py's.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.template.loader import render_to_string
from django.utils import translation

from homeward.appeals.letters import russian_date
from homeward.appeals.typography import typeset
from homeward.lib.pdf import html_to_pdf

_PARAGRAPHS = re.compile(r"\n\s*\n")
_STYLESHEET = Path(__file__).resolve().parent / "templates" / "appeals" / "pdf" / "letter.css"


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
    return html_to_pdf(html, stylesheet=_STYLESHEET)
