"""Checking and cleaning uploads: type by content, never by name; images re-encoded.

Images are decoded with Pillow and written anew from their pixels, which drops EXIF
(GPS position, camera serial) and any other metadata or trailing payload. Videos
cannot be re-encoded without ffmpeg: they are checked by their container signature
and size only, and the page says that their metadata is kept.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_IMAGE_BYTES = 10 * 1024 * 1024
MAX_VIDEO_BYTES = 50 * 1024 * 1024
MAX_IMAGE_SIDE = 2560
MAX_IMAGE_PIXELS = 40_000_000
IMAGE_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}


@dataclass(frozen=True)
class CleanFile:
    content: bytes
    extension: str
    content_type: str
    width: int | None = None
    height: int | None = None


def _read(uploaded, limit: int, too_big: str) -> bytes:
    if uploaded.size is not None and uploaded.size > limit:
        raise ValidationError(too_big, code="too_big")
    data = uploaded.read(limit + 1)
    if len(data) > limit:
        raise ValidationError(too_big, code="too_big")
    return data


def clean_image(uploaded) -> CleanFile:
    too_big = _("The image “%(name)s” is larger than %(mb)s MB.") % {
        "name": uploaded.name,
        "mb": MAX_IMAGE_BYTES // 1024 // 1024,
    }
    data = _read(uploaded, MAX_IMAGE_BYTES, too_big)
    not_image = _("“%(name)s” is not an image we accept (JPEG, PNG, WebP or GIF).") % {"name": uploaded.name}
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format not in IMAGE_FORMATS:
                raise ValidationError(not_image, code="not_image")
            if probe.width * probe.height > MAX_IMAGE_PIXELS:
                raise ValidationError(_("“%(name)s” has too many pixels.") % {"name": uploaded.name}, code="too_big")
            probe.verify()
        with Image.open(io.BytesIO(data)) as img:
            img.load()
            img = ImageOps.exif_transpose(img)
            has_alpha = img.mode in ("RGBA", "LA") or (img.mode == "P" and "transparency" in img.info)
            img = img.convert("RGBA" if has_alpha else "RGB")
            img.thumbnail((MAX_IMAGE_SIDE, MAX_IMAGE_SIDE))
            # A fresh image from the pixels alone: no EXIF, ICC, XMP or comments survive.
            clean = Image.new(img.mode, img.size)
            clean.paste(img)
            out = io.BytesIO()
            if has_alpha:
                clean.save(out, format="PNG", optimize=True)
                ext, ctype = "png", "image/png"
            else:
                clean.save(out, format="JPEG", quality=85, optimize=True)
                ext, ctype = "jpg", "image/jpeg"
            return CleanFile(out.getvalue(), ext, ctype, clean.width, clean.height)
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise ValidationError(not_image, code="not_image") from exc


def _video_type(head: bytes) -> tuple[str, str] | None:
    if len(head) >= 12 and head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in {b"isom", b"iso2", b"mp41", b"mp42", b"avc1", b"M4V ", b"dash", b"iso5", b"iso6"}:
            return "mp4", "video/mp4"
    if head[:4] == b"\x1a\x45\xdf\xa3" and b"webm" in head[:64]:
        return "webm", "video/webm"
    return None


def clean_video(uploaded) -> CleanFile:
    too_big = _("The video “%(name)s” is larger than %(mb)s MB.") % {
        "name": uploaded.name,
        "mb": MAX_VIDEO_BYTES // 1024 // 1024,
    }
    data = _read(uploaded, MAX_VIDEO_BYTES, too_big)
    kind = _video_type(data[:64])
    if kind is None:
        raise ValidationError(
            _("“%(name)s” is not a video we accept (MP4 or WebM).") % {"name": uploaded.name}, code="not_video"
        )
    return CleanFile(data, kind[0], kind[1])


# --- receiving uploads ------------------------------------------------------------------

from django.core.files.uploadedfile import InMemoryUploadedFile  # noqa: E402
from django.core.files.uploadhandler import FileUploadHandler  # noqa: E402

#: Nothing larger is accepted anywhere (the largest limit: a video).
MAX_UPLOAD_BYTES = max(MAX_IMAGE_BYTES, MAX_VIDEO_BYTES)


class MemoryOnlyUploadHandler(FileUploadHandler):
    """Keep every uploaded file in memory, never in a temporary file on disk.

    Django's default writes uploads over 2.5 MB to the temporary folder in the clear: a
    video question or an official's reply would leave traces a seized disk keeps. Past
    MAX_UPLOAD_BYTES the rest of a file is read and dropped; the file then reports its
    full size with truncated content, so the form's size check refuses it with its own
    message.
    """

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.file = io.BytesIO()
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        room = MAX_UPLOAD_BYTES + 1 - self.received
        if room > 0:
            self.file.write(raw_data[:room])
        self.received += len(raw_data)
        return None

    def file_complete(self, file_size):
        self.file.seek(0)
        return InMemoryUploadedFile(
            file=self.file,
            field_name=self.field_name,
            name=self.file_name,
            content_type=self.content_type,
            size=self.received,
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )
