"""Uploads never touch the disk in the clear, and an oversized one is refused with a message."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conftest import signed_in_client
from homeward.lib import uploads
from homeward.questions.tests.conftest import make_campaign


def test_the_memory_only_handler_is_the_only_one():
    assert settings.FILE_UPLOAD_HANDLERS == ["homeward.lib.uploads.MemoryOnlyUploadHandler"]


def test_a_large_upload_is_never_written_to_a_temporary_file(cast, chapter_a, monkeypatch, tmp_path):
    from django.core.files import uploadedfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # where Django's default would write
    written = []
    real = uploadedfile.tempfile.NamedTemporaryFile

    def spy(*args, **kwargs):
        written.append(kwargs.get("suffix"))
        return real(*args, **kwargs)

    monkeypatch.setattr(uploadedfile.tempfile, "NamedTemporaryFile", spy)
    campaign = make_campaign(actor=cast["coordinator"], chapter=chapter_a)
    marker = b"SECRET-FACE-" * 400_000  # 4.8 MB: over Django's 2.5 MB in-memory threshold
    video = SimpleUploadedFile("q.mp4", b"\x00\x00\x00\x18ftypisom" + marker, content_type="video/mp4")
    response = signed_in_client(cast["member"]).post(
        reverse("questions:ask", args=[campaign.pk]),
        {"question": "Когда демобилизуют мобилизованных?", "action": "submit", "video": video},
    )
    assert response.status_code == 302
    assert written == []  # Django's default handler would have made one (it deletes it after, not the blocks)
    assert [p for p in Path(tmp_path).rglob("*") if p.is_file()] == []


def test_an_oversized_upload_is_refused_by_the_form(cast, chapter_a, monkeypatch):
    monkeypatch.setattr(uploads, "MAX_UPLOAD_BYTES", 1000)
    monkeypatch.setattr(uploads, "MAX_VIDEO_BYTES", 1000)
    campaign = make_campaign(actor=cast["coordinator"], chapter=chapter_a)
    video = SimpleUploadedFile("q.mp4", b"\x00\x00\x00\x18ftypisom" + b"x" * 5000, content_type="video/mp4")
    response = signed_in_client(cast["member"]).post(
        reverse("questions:ask", args=[campaign.pk]),
        {"question": "Когда демобилизуют мобилизованных?", "action": "submit", "video": video},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "«q.mp4»" in page or "“q.mp4”" in page  # the size message names the file (in her language)
    assert "Question" not in page and not campaign.questions.exists()
