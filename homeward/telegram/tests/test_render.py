"""Posts as Telegram HTML, split by Telegram's limits without breaking tags or entities."""

from __future__ import annotations

import re

import pytest

from homeward.lib.markup import render_markdown
from homeward.telegram.render import (
    CAPTION_LIMIT,
    TEXT_LIMIT,
    post_steps,
    split_telegram_html,
    to_telegram_html,
)
from homeward.telegram.tests.standin import telegram_text, utf16_length


def parsed(part: str) -> str:
    """The part as Telegram shows it; raises if Telegram could not parse it."""
    return telegram_text(part)


def assert_valid_parts(parts: list[str], limit: int) -> list[str]:
    texts = [parsed(p) for p in parts]
    for text in texts:
        assert text, "no empty parts"
        assert utf16_length(text) <= limit
    return texts


def squash(text: str) -> str:
    return " ".join(text.split())


def test_markdown_becomes_telegram_html():
    html = to_telegram_html(
        render_markdown(
            "## Завтра акция\n\n"
            "Приходите **все** и *вовремя*, ~~не~~ <u>обязательно</u> <del>с цветами</del>.\n"
            "Вторая строка абзаца.\n\n"
            "- Москва\n- Санкт-Петербург\n\n"
            "1. первое\n2. второе\n\n"
            "> Цитата с [ссылкой](https://example.org/?a=1&b=2)\n\n"
            "    код <x> & y\n\n"
            "`inline` & <script>alert(1)</script> конец"
        )
    )
    assert html == (
        "<b>Завтра акция</b>\n\n"
        "Приходите <b>все</b> и <i>вовремя</i>, ~~не~~ <u>обязательно</u> <s>с цветами</s>. Вторая строка абзаца.\n\n"
        "• Москва\n• Санкт-Петербург\n\n"
        "1. первое\n2. второе\n\n"
        '<blockquote>Цитата с <a href="https://example.org/?a=1&amp;b=2">ссылкой</a></blockquote>\n\n'
        "<pre>код &lt;x&gt; &amp; y\n</pre>\n\n"
        "<code>inline</code> &amp; конец"
    )
    parsed(html)  # Telegram can parse it


def test_only_telegram_tags_survive_and_nothing_nests_where_telegram_forbids():
    html = to_telegram_html(
        "<p><strong>a <b>b</b></strong> <code>x <em>y</em></code> <a href='javascript:x'>bad</a></p>"
        "<blockquote><blockquote>deep</blockquote></blockquote><h3>Head</h3><hr><p>end</p>"
    )
    assert html == "<b>a b</b> <code>x y</code> bad\n\n<blockquote>deep</blockquote>\n\n<b>Head</b>\n\n———\n\nend"


def test_short_text_is_one_part():
    assert split_telegram_html("<b>Hi</b> &amp; bye") == ["<b>Hi</b> &amp; bye"]


def test_long_text_prefers_paragraph_breaks():
    paragraphs = [f"P{n} " + " ".join(["слово"] * 240) + f" END{n}." for n in range(8)]  # ~1,450 each
    html = "\n\n".join(paragraphs)
    parts = split_telegram_html(html)
    texts = assert_valid_parts(parts, TEXT_LIMIT)
    assert len(texts) == 4
    for text in texts:
        assert re.match(r"^P\d ", text), text[:20]
        assert re.search(r" END\d\.$", text), text[-20:]
    assert squash(" ".join(texts)) == squash(html)


def test_without_paragraphs_lines_are_kept_whole():
    lines = [f"• пункт {n}: " + "текст " * 20 + f"конец{n}" for n in range(60)]
    parts = split_telegram_html("\n".join(lines))
    texts = assert_valid_parts(parts, TEXT_LIMIT)
    assert len(texts) > 1
    for text in texts:
        for line in text.split("\n"):
            assert line in lines


def test_one_long_paragraph_is_cut_between_words():
    words = [f"w{n}" for n in range(3000)]
    parts = split_telegram_html(" ".join(words))
    texts = assert_valid_parts(parts, TEXT_LIMIT)
    assert len(texts) == 5  # 16,889 characters
    assert all(len(t) > TEXT_LIMIT - 10 for t in texts[:-1])  # each part as full as whole words allow
    assert " ".join(texts).split(" ") == words  # no word cut, none lost


def test_a_word_longer_than_a_message_is_cut_hard():
    parts = split_telegram_html("x" * 10000)
    assert [len(parsed(p)) for p in parts] == [4096, 4096, 1808]


def test_tags_open_at_a_cut_are_closed_and_reopened():
    html = '<b>bold <a href="https://example.org/a?b=1&amp;c=2">' + "link " * 1000 + "end</a> still bold</b> plain"
    parts = split_telegram_html(html)
    texts = assert_valid_parts(parts, TEXT_LIMIT)
    assert len(parts) == 2
    assert parts[0].startswith('<b>bold <a href="https://example.org/a?b=1&amp;c=2">link')
    assert parts[0].endswith("link</a></b>")
    assert parts[1].startswith('<b><a href="https://example.org/a?b=1&amp;c=2">link')
    assert parts[1].endswith("end</a> still bold</b> plain")
    assert squash(" ".join(texts)) == squash(telegram_text(html))


def test_entities_count_once_and_are_never_cut():
    # "&amp;" is 5 characters of HTML but 1 of text: 4,000 of them fit one message.
    html = " ".join(["&amp;&lt;&gt;"] * 2000)  # 8,000 characters of text, 26,000 of HTML
    parts = split_telegram_html(html)
    texts = assert_valid_parts(parts, TEXT_LIMIT)
    assert len(parts) == 2
    assert all(re.fullmatch(r"(&amp;&lt;&gt;| )+", p) for p in parts)
    assert squash(" ".join(texts)) == squash(telegram_text(html))


def test_length_is_counted_in_utf16_code_units():
    html = " ".join(["😀😀😀"] * 1000)  # 3,999 characters (code points), 6,999 UTF-16 code units
    assert len(html) < TEXT_LIMIT  # counted by characters it would fit one message
    parts = split_telegram_html(html)
    texts = assert_valid_parts(parts, TEXT_LIMIT)
    assert len(texts) == 2
    assert utf16_length(texts[0]) > TEXT_LIMIT - 10


def test_caption_limit():
    html = "<i>" + " ".join(["подпись"] * 400) + "</i>"
    parts = split_telegram_html(html, CAPTION_LIMIT)
    assert_valid_parts(parts, CAPTION_LIMIT)
    assert all(p.startswith("<i>") and p.endswith("</i>") for p in parts)


def test_preformatted_text_keeps_its_lines_across_parts():
    code = "\n".join(f"line {n:04d} " + "x" * 40 for n in range(200))
    parts = split_telegram_html(f"<pre>{code}</pre>")
    texts = assert_valid_parts(parts, TEXT_LIMIT)
    assert all(p.startswith("<pre>") and p.endswith("</pre>") for p in parts)
    assert "\n".join(texts).split("\n") == code.split("\n")


# --- a post as Telegram calls ----------------------------------------------------------


@pytest.fixture
def make_post(db, settings):
    from homeward.channel.models import Post, PostMedia, PostStatus

    settings.HOMEWARD_PUBLIC_URL = "https://homeward.example/"
    settings.HOMEWARD_NAME = "Homeward"
    settings.LANGUAGE_CODE = "ru"

    def make(body: str, *, images: int = 0, video: bool = False) -> Post:
        post = Post.objects.create(body=body, body_html=render_markdown(body), status=PostStatus.PUBLISHED)
        for n in range(images):
            PostMedia.objects.create(
                post=post, kind="image", file=f"channel/i{n}.jpg", content_type="image/jpeg", size=1, order=n
            )
        if video:
            PostMedia.objects.create(
                post=post, kind="video", file="channel/v.mp4", content_type="video/mp4", size=1, order=99
            )
        return post

    return make


def test_text_post_ends_with_a_link_to_its_page(make_post):
    post = make_post("Короткий **пост**")
    [step] = post_steps(post)
    assert step.kind == "text"
    assert step.text == (
        f'Короткий <b>пост</b>\n\n<a href="https://homeward.example/channel/{post.pk}/">Читать на Homeward</a>'
    )


def test_one_image_with_a_short_text_is_a_photo_with_caption(make_post):
    post = make_post("Подпись к фото", images=1)
    [step] = post_steps(post)
    assert (step.kind, step.media) == ("photo", (post.media.get().pk,))
    assert step.text.startswith("Подпись к фото")


def test_one_image_with_a_long_text_goes_without_caption_then_text(make_post):
    post = make_post(" ".join(["слово"] * 300), images=1)  # 1,800 characters: too long for a caption
    steps = post_steps(post)
    assert [(s.kind, bool(s.text)) for s in steps] == [("photo", False), ("text", True)]


def test_several_images_are_an_album_with_the_caption_on_it(make_post):
    post = make_post("Альбом", images=3)
    [step] = post_steps(post)
    assert step.kind == "group" and len(step.media) == 3 and step.text.startswith("Альбом")


def test_video_is_sent_as_video_and_long_text_follows(make_post):
    post = make_post("\n\n".join([" ".join(["абзац"] * 300)] * 4), video=True)
    steps = post_steps(post)
    assert [s.kind for s in steps] == ["video", "text", "text"]
    assert steps[0].text == ""
    assert_valid_parts([s.text for s in steps[1:]], TEXT_LIMIT)


def test_ten_images_and_a_video_are_an_album_then_the_video(make_post):
    post = make_post("Много", images=10, video=True)
    steps = post_steps(post)
    assert [(s.kind, len(s.media), bool(s.text)) for s in steps] == [("group", 10, True), ("video", 1, False)]


def test_no_link_without_a_public_address(make_post, settings):
    post = make_post("Текст")
    settings.HOMEWARD_PUBLIC_URL = ""
    assert [s.text for s in post_steps(post)] == ["Текст"]
