"""Uploads: type by content, images re-encoded without metadata, limits, nothing half-written."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from PIL import Image

from homeward.channel.models import Post, PostMedia
from homeward.channel.tests.builders import (
    CAMERA_MAKE,
    LINUX_ELF,
    MP4_HEAD,
    WEBM_HEAD,
    WINDOWS_EXE,
    image_bytes,
    jpeg_upload,
    media_files,
    png_declaring,
    png_upload,
    upload,
)
from homeward.lib import uploads
from homeward.lib.uploads import clean_image, clean_video


def refusal(func, uploaded) -> str:
    with pytest.raises(ValidationError) as info:
        func(uploaded)
    return " ".join(info.value.messages)


# --- images: metadata -------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_an_image_with_gps_and_camera_comes_back_without_them(fmt):
    raw = image_bytes(fmt, size=(64, 48), with_gps=True)
    with Image.open(io.BytesIO(raw)) as original:  # the test image really carries them
        assert original.getexif().get_ifd(0x8825)[2] == (55.0, 45.0, 21.0)
        assert original.getexif()[0x010F] == CAMERA_MAKE
    assert CAMERA_MAKE.encode() in raw

    clean = clean_image(upload(f"phone.{fmt.lower()}", raw))

    assert CAMERA_MAKE.encode() not in clean.content
    assert b"Exif" not in clean.content
    with Image.open(io.BytesIO(clean.content)) as result:
        assert len(result.getexif()) == 0
        assert result.getexif().get_ifd(0x8825) == {}
        assert "exif" not in result.info
        assert (result.width, result.height) == (64, 48) == (clean.width, clean.height)
        assert result.format == {"image/jpeg": "JPEG", "image/png": "PNG"}[clean.content_type]


def test_other_metadata_and_trailing_payloads_are_dropped_too():
    image = Image.new("RGB", (20, 20), "green")
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", comment=b"secret-comment-BX9", icc_profile=b"icc-profile-BX9" * 4)
    raw = buffer.getvalue() + b"TRAILING-ZIP-PAYLOAD-BX9"

    clean = clean_image(upload("x.jpg", raw))

    assert b"BX9" not in clean.content


def test_an_image_with_transparency_stays_a_png():
    clean = clean_image(png_upload(mode="RGBA", color=(255, 0, 0, 128)))

    assert (clean.content_type, clean.extension) == ("image/png", "png")
    with Image.open(io.BytesIO(clean.content)) as result:
        assert result.mode == "RGBA"


def test_a_photo_is_written_as_jpeg_whatever_its_name_says():
    clean = clean_image(upload("photo.gif", image_bytes("PNG")))

    assert (clean.content_type, clean.extension) == ("image/jpeg", "jpg")
    assert clean.content.startswith(b"\xff\xd8")


def test_a_large_image_is_scaled_down():
    clean = clean_image(upload("big.png", image_bytes("PNG", size=(uploads.MAX_IMAGE_SIDE + 400, 100))))

    assert clean.width == uploads.MAX_IMAGE_SIDE
    assert clean.height < 100


# --- images: refusals ------------------------------------------------------------------


@pytest.mark.parametrize("content", [WINDOWS_EXE, LINUX_ELF], ids=["windows exe", "linux elf"])
def test_a_renamed_executable_is_refused_with_a_clear_message(content):
    message = refusal(clean_image, upload("photo.jpg", content, "image/jpeg"))

    assert message == "“photo.jpg” is not an image we accept (JPEG, PNG, WebP or GIF)."


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"just some text, not an image",
        b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>",
        image_bytes("PNG")[:40],  # truncated
        image_bytes("BMP"),  # an image, but not a kind we take
        image_bytes("TIFF"),
        b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n",
    ],
    ids=["empty", "text", "svg", "truncated png", "bmp", "tiff", "pdf"],
)
def test_anything_but_a_whole_jpeg_png_webp_or_gif_is_refused(content):
    message = refusal(clean_image, upload("picture.png", content, "image/png"))

    assert "is not an image we accept" in message


def test_an_oversize_image_is_refused(monkeypatch):
    monkeypatch.setattr(uploads, "MAX_IMAGE_BYTES", 2 * 1024 * 1024)
    big = upload("huge.png", image_bytes("PNG") + b"\x00" * (2 * 1024 * 1024))

    assert refusal(clean_image, big) == "The image “huge.png” is larger than 2 MB."


def test_an_image_at_the_limit_is_taken(monkeypatch):
    raw = image_bytes("PNG")
    monkeypatch.setattr(uploads, "MAX_IMAGE_BYTES", len(raw))

    assert clean_image(upload("exact.png", raw)).content_type == "image/jpeg"


class LyingSize(io.BytesIO):
    """An upload whose declared size is smaller than its content."""

    name = "liar.png"
    size = 10


def test_the_size_limit_holds_even_when_the_declared_size_lies(monkeypatch):
    monkeypatch.setattr(uploads, "MAX_IMAGE_BYTES", 1024 * 1024)

    message = refusal(clean_image, LyingSize(image_bytes("PNG") + b"\x00" * (1024 * 1024 + 1)))

    assert "is larger than 1 MB" in message


@pytest.mark.parametrize(("width", "height"), [(100_000, 100_000), (65_000, 65_000), (8_000, 8_000)])
def test_a_decompression_bomb_is_refused_before_it_is_decoded(width, height):
    raw = png_declaring(width, height)
    assert len(raw) < 200

    message = refusal(clean_image, upload("bomb.png", raw, "image/png"))

    assert "bomb.png" in message


def test_a_gif_declaring_a_huge_screen_is_refused():
    raw = bytearray(image_bytes("GIF", mode="P", color=1))
    raw[6:10] = (60_000).to_bytes(2, "little") + (60_000).to_bytes(2, "little")  # logical screen
    raw[raw.index(b"\x2c") + 5 : raw.index(b"\x2c") + 9] = (60_000).to_bytes(2, "little") * 2  # image size

    with pytest.raises(ValidationError):
        clean_image(upload("bomb.gif", bytes(raw), "image/gif"))


# --- video -------------------------------------------------------------------------------


def test_a_text_file_named_mp4_is_refused():
    message = refusal(clean_video, upload("clip.mp4", b"this is not a video at all\n" * 10, "video/mp4"))

    assert message == "“clip.mp4” is not a video we accept (MP4 or WebM)."


@pytest.mark.parametrize(
    "content",
    [WINDOWS_EXE, LINUX_ELF, b"", b"\x00\x00\x00\x18ftypqt  ", b"\x1a\x45\xdf\xa3matroska-file", image_bytes("PNG")],
    ids=["exe", "elf", "empty", "quicktime", "matroska", "png"],
)
def test_other_files_are_not_videos(content):
    assert "is not a video we accept" in refusal(clean_video, upload("clip.webm", content))


@pytest.mark.parametrize(
    ("content", "name", "expected"),
    [
        (MP4_HEAD, "clip.mp4", ("mp4", "video/mp4")),
        (MP4_HEAD, "clip.webm", ("mp4", "video/mp4")),  # the content decides, not the name
        (WEBM_HEAD, "clip.webm", ("webm", "video/webm")),
        (WEBM_HEAD, "clip", ("webm", "video/webm")),
    ],
)
def test_mp4_and_webm_are_recognized_by_their_content(content, name, expected):
    clean = clean_video(upload(name, content))

    assert (clean.extension, clean.content_type) == expected
    assert clean.content == content  # kept as sent: no re-encoding without ffmpeg


def test_an_oversize_video_is_refused(monkeypatch):
    monkeypatch.setattr(uploads, "MAX_VIDEO_BYTES", 1024 * 1024)

    message = refusal(clean_video, upload("long.mp4", MP4_HEAD + b"\x00" * (1024 * 1024)))

    assert message == "The video “long.mp4” is larger than 1 MB."


# --- through the page -------------------------------------------------------------------


def new_post(client, **data):
    return client.post(
        reverse("channel:new"), {"body": "With pictures", "visibility": "public", "action": "publish", **data}
    )


def test_a_post_with_a_clean_image_stores_it_without_metadata_and_serves_it(client_for):
    coordinator = client_for("coordinator")

    response = new_post(coordinator, images=[jpeg_upload("phone.jpg", size=(40, 30), with_gps=True)])

    assert response.status_code == 302
    media = PostMedia.objects.get()
    assert (media.kind, media.content_type, media.width, media.height) == ("image", "image/jpeg", 40, 30)
    stored = media.file.read()
    assert CAMERA_MAKE.encode() not in stored
    assert "phone" not in media.file.name  # names are random
    assert [p.read_bytes() for p in media_files()] == [stored]

    served = coordinator.get(reverse("channel:media", args=[media.pk]))

    assert served.status_code == 200
    assert served["Content-Type"] == "image/jpeg"
    assert served["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in served["Content-Security-Policy"]
    assert b"".join(served.streaming_content) == stored


def test_a_post_with_one_good_and_one_bad_image_is_refused_as_a_whole(client_for):
    response = new_post(
        client_for("coordinator"),
        images=[png_upload("good.png"), upload("bad.jpg", WINDOWS_EXE, "image/jpeg")],
    )

    assert response.status_code == 400
    assert "“bad.jpg” is not an image we accept (JPEG, PNG, WebP or GIF)." in response.content.decode()
    assert "With pictures" in response.content.decode()  # what she typed is kept
    assert not Post.objects.exists()
    assert not PostMedia.objects.exists()
    assert media_files() == []


def test_a_good_image_and_a_bad_video_are_refused_as_a_whole(client_for):
    response = new_post(
        client_for("coordinator"),
        images=[png_upload("good.png")],
        video=upload("clip.mp4", b"#!/bin/sh\nrm -rf /\n", "video/mp4"),
    )

    assert response.status_code == 400
    assert "“clip.mp4” is not a video we accept (MP4 or WebM)." in response.content.decode()
    assert not Post.objects.exists() and not PostMedia.objects.exists()
    assert media_files() == []


def test_more_than_ten_images_are_refused(client_for):
    response = new_post(client_for("coordinator"), images=[png_upload(f"p{i}.png") for i in range(11)])

    assert response.status_code == 400
    assert "At most 10 images per post." in response.content.decode()
    assert not Post.objects.exists()
    assert media_files() == []


def test_ten_images_and_a_video_are_taken_in_order(client_for):
    images = [png_upload(f"p{i}.png", color=(i * 25, 0, 0)) for i in range(10)]

    response = new_post(client_for("coordinator"), images=images, video=upload("clip.mp4", MP4_HEAD, "video/mp4"))

    assert response.status_code == 302
    post = Post.objects.get()
    kinds = [(m.kind, m.order) for m in post.media.all()]
    assert kinds == [("image", i) for i in range(10)] + [("video", 10)]
    assert len(media_files()) == 11


def test_an_oversize_image_through_the_page_is_refused_and_nothing_is_kept(client_for, monkeypatch):
    monkeypatch.setattr(uploads, "MAX_IMAGE_BYTES", 1024 * 1024)

    response = new_post(
        client_for("coordinator"),
        images=[png_upload("ok.png"), upload("huge.png", image_bytes("PNG") + b"\x00" * (1024 * 1024))],
    )

    assert response.status_code == 400
    assert "The image “huge.png” is larger than 1 MB." in response.content.decode()
    assert not Post.objects.exists() and media_files() == []


def test_a_failure_while_storing_the_second_file_leaves_no_file_and_no_record(cast, monkeypatch):
    """The form passed, then the disk failed half-way: the first file must not stay behind."""
    from django.core.files.storage import FileSystemStorage

    from homeward.channel.tests.builders import make_post

    real_save = FileSystemStorage._save
    calls = []

    def fail_on_second(self, name, content):
        calls.append(name)
        if len(calls) == 2:
            raise OSError("disk full")
        return real_save(self, name, content)

    monkeypatch.setattr(FileSystemStorage, "_save", fail_on_second)

    with pytest.raises(OSError, match="disk full"):
        make_post(author=cast["coordinator"], images=3)

    assert len(calls) == 2
    assert not Post.objects.exists() and not PostMedia.objects.exists()
    assert media_files() == []


def test_a_failure_while_storing_an_edit_keeps_the_old_files_and_leaves_no_new_one(cast, monkeypatch):
    from django.core.files.storage import FileSystemStorage
    from django.utils import timezone

    from homeward.channel.services import post_update
    from homeward.channel.tests.builders import make_post

    post = make_post(author=cast["coordinator"], body="Before", images=1)
    before = media_files()
    real_save = FileSystemStorage._save
    calls = []

    def fail_on_second(self, name, content):
        calls.append(name)
        if len(calls) == 2:
            raise OSError("disk full")
        return real_save(self, name, content)

    monkeypatch.setattr(FileSystemStorage, "_save", fail_on_second)

    with pytest.raises(OSError, match="disk full"):
        post_update(
            post=post,
            body="After",
            visibility="public",
            chapter=None,
            images=[clean_image(png_upload(f"n{i}.png")) for i in range(2)],
            remove_media=[],
            now=timezone.now(),
        )

    post.refresh_from_db()
    assert post.body == "Before" and post.edited_at is None
    assert post.media.count() == 1
    assert media_files() == before


def test_a_post_of_files_alone_is_refused_with_a_message_not_shown_blank(client_for):
    """A POST with no text fields at all is still a submitted form: she is told what is missing."""
    response = client_for("coordinator").post(reverse("channel:new"), {"images": [png_upload("only.png")]})

    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert not Post.objects.exists() and media_files() == []
