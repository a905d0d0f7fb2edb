"""The Telegram page in a member's settings: make a code, see the link, unlink. Works without JavaScript."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from conftest import make_account, signed_in_client
from homeward.lib.crypto import blind_index
from homeward.telegram import bot
from homeward.telegram.models import LinkCode, TelegramLink
from homeward.telegram.tests.conftest import TOKEN

pytestmark = [pytest.mark.django_db]


@pytest.fixture(autouse=True)
def _bot_configured(settings):
    settings.TELEGRAM_BOT_TOKEN = TOKEN


@pytest.fixture
def nadia():
    return make_account("nadia")


def page(client):
    return client.get(reverse("telegram:settings"))


def shown_code(response) -> str:
    return re.search(r"/link ([A-Z0-9]{8})</code>", response.content.decode()).group(1)


def test_visitors_are_sent_to_sign_in(client):
    response = page(client)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_a_member_sees_she_is_not_linked_and_can_make_a_code(nadia):
    response = page(signed_in_client(nadia))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert "С вашим аккаунтом не связан ни один чат в Telegram." in html
    assert 'name="action" value="code"' in html and "<script" not in html.split("</head>")[1]


def test_making_a_code_shows_it_once_and_keeps_only_its_index(nadia):
    client = signed_in_client(nadia)

    response = client.post(reverse("telegram:settings"), {"action": "code"})

    assert response.status_code == 200
    code = shown_code(response)
    assert LinkCode.objects.get(account=nadia).code_index == blind_index(code, purpose="telegram-link")
    assert code not in str(dict(client.session))
    assert code not in page(client).content.decode()  # shown only in the answer to the POST


def test_after_linking_the_page_says_so_and_unlinking_works(nadia):
    client = signed_in_client(nadia)
    code = shown_code(client.post(reverse("telegram:settings"), {"action": "code"}))
    bot.reply_link(chat_id=424242, code=code)

    assert "С вашим аккаунтом связан чат в Telegram" in page(client).content.decode()
    assert "424242" not in page(client).content.decode()

    response = client.post(reverse("telegram:settings"), {"action": "unlink"})
    assert response.status_code == 302 and response["Location"] == reverse("telegram:settings")
    assert not TelegramLink.objects.exists()
    assert "Telegram отвязан." in page(client).content.decode()


def test_without_a_bot_there_is_no_code_to_make(nadia, settings):
    settings.TELEGRAM_BOT_TOKEN = ""
    client = signed_in_client(nadia)
    html = page(client).content.decode()
    assert "Бот в Telegram на этом сервере не настроен." in html
    assert 'value="code"' not in html
    assert client.post(reverse("telegram:settings"), {"action": "code"}).status_code == 400
    assert not LinkCode.objects.exists()


def test_the_page_reads_in_english_too(nadia):
    nadia.language = "en"
    nadia.save(update_fields=["language"])
    html = page(signed_in_client(nadia)).content.decode()
    assert "No Telegram chat is linked to your account." in html
