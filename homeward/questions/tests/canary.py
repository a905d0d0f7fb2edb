"""The question bank's seizure canary (homeward/lib/tests/test_seizure_canary.py): a video
question is sealed in the database, never readable from a copied disk."""

from __future__ import annotations

import secrets

from conftest import ensure_reference_data, make_account


def _video(canaries: dict[str, str]):
    from django.utils import timezone

    from homeward.questions.models import Video
    from homeward.questions.services import question_ask
    from homeward.questions.tests.conftest import make_campaign

    ensure_reference_data()
    campaign = make_campaign(actor=make_account(f"canary_{secrets.token_hex(3)}", admin=True))
    question = question_ask(
        campaign=campaign,
        account=make_account(f"canary_{secrets.token_hex(3)}"),
        question="Вопрос с видео для проверки шифрования",
        today=timezone.localdate(),
    )
    # As the reply test does: the field holds the canary itself, so the scan looks for
    # exactly what was stored (test_bank uploads real bytes through the page).
    return Video.objects.create(question=question, content=canaries["content"], content_type="video/mp4", size=1)


CANARY_FACTORIES = {"questions.Video": _video}
