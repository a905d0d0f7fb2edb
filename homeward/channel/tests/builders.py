"""Small builders for the channel's tests: images with and without metadata, posts, files on disk."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

CAMERA_MAKE = "SpyCamMakerXK7"  # a string that must not survive cleaning
MP4_HEAD = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2mp41" + b"\x00" * 64
WEBM_HEAD = b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\xf2\x81\x04\x42\xf3\x81\x08\x42\x82\x84webm" + (
    b"\x00" * 64
)
WINDOWS_EXE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
    + b"\x00" * 48
    + b"This program cannot be run in DOS mode."
)
LINUX_ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00" + b"\x00" * 100


def exif_with_gps(image: Image.Image) -> Image.Exif:
    """EXIF as a phone writes it: the camera's make and where the picture was taken."""
    exif = image.getexif()
    exif[0x010F] = CAMERA_MAKE  # Make
    gps = exif.get_ifd(0x8825)  # GPSInfo
    gps[1] = "N"
    gps[2] = (55.0, 45.0, 21.0)  # latitude
    gps[3] = "E"
    gps[4] = (37.0, 37.0, 4.0)  # longitude
    return exif


def image_bytes(fmt: str = "PNG", *, size=(32, 24), color="red", mode="RGB", with_gps: bool = False) -> bytes:
    image = Image.new(mode, size, color)
    buffer = io.BytesIO()
    if with_gps:
        image.save(buffer, fmt, exif=exif_with_gps(image))
    else:
        image.save(buffer, fmt)
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def png_upload(name: str = "photo.png", **kwargs) -> SimpleUploadedFile:
    return upload(name, image_bytes("PNG", **kwargs), "image/png")


def jpeg_upload(name: str = "photo.jpg", **kwargs) -> SimpleUploadedFile:
    return upload(name, image_bytes("JPEG", **kwargs), "image/jpeg")


def png_declaring(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims width × height pixels (a decompression bomb's shape)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def make_post(
    *,
    author,
    body: str = "A post",
    visibility: str = "public",
    chapter=None,
    images: int = 0,
    action: str = "publish",
    publish_at=None,
    now=None,
):
    """A post made through the service, as the view would."""
    from homeward.channel.services import post_create
    from homeward.lib.uploads import clean_image

    return post_create(
        author=author,
        body=body,
        visibility=visibility,
        chapter=chapter,
        images=[clean_image(png_upload(f"p{i}.png", color=(i * 20 % 256, 80, 120))) for i in range(images)],
        video=None,
        action=action,
        publish_at=publish_at,
        now=now or timezone.now(),
    )


def media_files() -> list[Path]:
    """Every file under MEDIA_ROOT (each test has its own, see conftest)."""
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []
