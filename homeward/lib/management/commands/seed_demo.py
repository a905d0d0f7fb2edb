"""Demo data for a first run: chapters, an admin, a coordinator, members.

Runs only when the database has no accounts yet (`--if-empty`, as `make run` calls it),
and prints the demo sign-ins once. Passphrases are generated, never fixed in code.
"""

import base64

from django.core.management.base import BaseCommand
from django.db import transaction

from homeward.accounts import passphrases
from homeward.accounts.models import Account, TOTPDevice
from homeward.chapters.models import Chapter, Membership, Region

CHAPTERS = [("RU-MOW", True), ("RU-SPE", False), ("RU-NVS", True), ("RU-SVE", True), ("RU-KDA", False)]


class Command(BaseCommand):
    help = "Load demo chapters and accounts (only into an empty database with --if-empty)."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true")

    def handle(self, *args, if_empty=False, **options):
        if if_empty and Account.objects.exists():
            return
        logins = []
        with transaction.atomic():
            chapters = []
            for code, is_open in CHAPTERS:
                region = Region.objects.get(code=code)
                chapter, _ = Chapter.objects.get_or_create(
                    region=region, defaults={"slug": code.lower(), "is_open": is_open}
                )
                chapters.append(chapter)

            def account(handle, *, chapter=None, role="member", admin=False, totp=False):
                phrase = passphrases.suggest()
                acc = Account.objects.create_user(handle, phrase, is_admin=admin)
                secret = ""
                if totp:
                    device = TOTPDevice.objects.create(user=acc, name="TOTP", confirmed=True)
                    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
                if chapter:
                    Membership.objects.create(account=acc, chapter=chapter, role=role)
                logins.append((handle, phrase, secret))

            account("admin", admin=True, totp=True)
            account("koordinator", chapter=chapters[0], role="coordinator", totp=True)
            account("marina", chapter=chapters[0])
            account("olga", chapter=chapters[1])
            account("podpischik")
            _demo_questions(chapters[0])
        self.stdout.write(self.style.SUCCESS("Demo sign-ins (shown once; write them down):"))
        for handle, phrase, secret in logins:
            line = f"  {handle:<12} {phrase}"
            if secret:
                line += f"   TOTP secret: {secret}"
            self.stdout.write(line)
        self.stdout.write("Coordinators and admins need the TOTP secret in an authenticator app to use their powers.")


DEMO_QUESTIONS = [
    ("marina", "Когда демобилизуют мобилизованных и вернут их домой?"),
    ("olga", "Когда наконец вернут домой мобилизованных осенью 2022 года?"),
    ("podpischik", "Будет ли установлен срок службы для мобилизованных?"),
    ("olga", "Почему мобилизованным не дают положенный отпуск больше года?"),
]


def _demo_questions(chapter) -> None:
    """A question campaign open now, with a few approved questions, so the bank has something to show."""
    import datetime as dt

    from django.utils import timezone

    from homeward.questions import services as questions

    today = timezone.localdate()
    coordinator = Account.objects.get(handle="koordinator")
    campaign = questions.campaign_create(
        actor=coordinator,
        data={
            "title": "Вопросы к прямой линии",
            "event": "Прямая линия с президентом",
            "event_on": today + dt.timedelta(days=30),
            "about": "Задайте вопрос один раз и поддержите вопросы других: вес вопроса — число людей за ним.",
            "opens_on": today,
            "closes_on": today + dt.timedelta(days=21),
            "premoderated": True,
            "scope": "movement",
            "chapter": chapter,
        },
    )
    for handle, text in DEMO_QUESTIONS:
        question = questions.question_ask(
            campaign=campaign, account=Account.objects.get(handle=handle), question=text, today=today
        )
        questions.question_approve(actor=coordinator, question=question)
