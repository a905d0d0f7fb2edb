"""The body's reply as a member uploads it: a PDF or an image, typed by content, never by name.

Images go through homeward.lib.uploads.clean_image (decoded and re-encoded from their
pixels, so EXIF and GPS are gone). A PDF cannot be cleaned that way without a PDF
library at run time; it is checked by its structure — the `%PDF-` header and an
`%%EOF` trailer — and is only ever served back to its owner as a download, with a
sandboxing Content-Security-Policy.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from homeward.lib.uploads import clean_image

MAX_REPLY_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class CleanReply:
    name: str
    content: bytes
    content_type: str
    extension: str


def _display_name(name: str | None) -> str:
    name = "".join(ch for ch in (name or "") if ch.isprintable() and ch not in '/\\"')
    return name.strip()[:200] or "reply"


def _is_pdf(data: bytes) -> bool:
    return data.startswith(b"%PDF-") and b"%%EOF" in data[-2048:]


def clean_reply(uploaded) -> CleanReply:
    name = _display_name(getattr(uploaded, "name", ""))
    too_big = _("The file “%(name)s” is larger than %(mb)s MB.") % {"name": name, "mb": MAX_REPLY_BYTES // 1024 // 1024}
    if uploaded.size is not None and uploaded.size > MAX_REPLY_BYTES:
        raise ValidationError(too_big, code="too_big")
    head = uploaded.read(8)
    uploaded.seek(0)
    if head.startswith(b"%PDF-"):
        data = uploaded.read(MAX_REPLY_BYTES + 1)
        if len(data) > MAX_REPLY_BYTES:
            raise ValidationError(too_big, code="too_big")
        if not _is_pdf(data):
            raise ValidationError(_("“%(name)s” is not a complete PDF file.") % {"name": name}, code="not_pdf")
        return CleanReply(name=name, content=data, content_type="application/pdf", extension="pdf")
    try:
        image = clean_image(uploaded)
    except ValidationError as exc:
        if exc.code == "too_big":
            raise
        raise ValidationError(
            _("“%(name)s” is neither a PDF nor an image we accept (JPEG, PNG, WebP or GIF).") % {"name": name},
            code="not_accepted",
        ) from exc
    return CleanReply(name=name, content=image.content, content_type=image.content_type, extension=image.extension)
