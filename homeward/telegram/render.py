"""A post (публикация) as Telegram messages: its HTML cut down to Telegram's, split by its limits.

Telegram counts a message's length after parsing the HTML, in UTF-16 code units: tags
count nothing, ``&amp;`` counts one, an emoji outside the Basic Multilingual Plane
counts two. Text messages may carry 4,096 of them, media captions 1,024.

The splitter works on the parsed text, so it can never cut inside a tag or an entity.
It prefers to cut at a paragraph break, then at a line break, then between words, and
cuts inside a word only when a word alone is longer than a message. A paragraph or line
break is used only if the part it ends is at least half full, so one short opening
line does not become a message of its own. Tags open at a cut are closed at the end of
the part and opened again at the start of the next.

``post_steps`` turns a post into the Telegram calls that publish it (a photo, an
album, a video, text messages); the worker sends them one by one.
"""

from __future__ import annotations

import bisect
import hashlib
from dataclasses import dataclass, field
from html import escape
from html.parser import HTMLParser

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext as _

TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
MEDIA_GROUP_MAX = 10

# Telegram HTML: what a part may contain. strong/em/del and friends are mapped onto these.
TELEGRAM_TAGS = {"b", "i", "u", "s", "a", "code", "pre", "blockquote"}
INLINE_MAP = {"strong": "b", "b": "b", "em": "i", "i": "i", "u": "u", "s": "s", "del": "s", "a": "a", "code": "code"}
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
BULLET = "• "


def telegram_length(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units of the text after entity parsing."""
    return len(text.encode("utf-16-le")) // 2


# --- sanitized post HTML → Telegram HTML ------------------------------------------------


@dataclass
class _Node:
    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[_Node | str] = field(default_factory=list)


class _TreeBuilder(HTMLParser):
    """A forgiving tree of the (already sanitized) post HTML."""

    VOID = {"br", "hr", "img", "wbr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = _Node("root")
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        node = _Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in self.VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1].children.append(_Node(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


class _Writer:
    """Emits Telegram HTML with whitespace collapsed and breaks between blocks.

    A break asked for between blocks is written only when text follows it, and before
    any tag that opens with that text, so a part never starts with "<b>\\n\\n".
    """

    def __init__(self):
        self.out: list[str] = []
        self.pending = 0  # 0 none, 1 line break, 2 paragraph break
        self.text_since_break = False
        self.space = False  # a collapsed space waits to be written before the next word

    def brk(self, level: int) -> None:
        if self.text_since_break:
            self.pending = max(self.pending, level)
        self.space = False

    def _flush(self) -> None:
        if self.pending:
            self.out.append("\n" * self.pending)
            self.pending = 0
            self.text_since_break = False

    def open(self, tag: str, href: str | None = None) -> None:
        self._flush_space_then_break()
        self.out.append(f'<a href="{escape(href, quote=True)}">' if tag == "a" else f"<{tag}>")

    def close(self, tag: str) -> None:
        self.out.append(f"</{tag}>")

    def _flush_space_then_break(self) -> None:
        if self.pending:
            self._flush()
            self.space = False
        elif self.space and self.text_since_break:
            self.out.append(" ")
            self.space = False

    def text(self, data: str, *, pre: bool = False) -> None:
        if pre:
            if data:
                self._flush()
                self.out.append(escape(data, quote=False))
                self.text_since_break = True
            return
        words = data.split()
        if not words:
            if data:
                self.space = True
            return
        if data[0].isspace():
            self.space = True
        for n, word in enumerate(words):
            if n:
                self.space = True
            self._flush_space_then_break()
            self.out.append(escape(word, quote=False))
            self.text_since_break = True
        self.space = data[-1].isspace()

    def line(self) -> None:
        """A <br>: a line break inside a block."""
        if self.text_since_break:
            self._flush()
            self.out.append("\n")
        self.space = False

    def html(self) -> str:
        return "".join(self.out).strip()


def _render(node: _Node, w: _Writer, ctx: dict) -> None:
    for child in node.children:
        if isinstance(child, str):
            w.text(child, pre=ctx.get("pre", False))
            continue
        tag = child.tag
        if ctx.get("pre") or ctx.get("code"):
            # Telegram allows nothing inside code and pre: keep the text only.
            _render(child, w, ctx)
        elif tag == "br":
            w.line()
        elif tag == "hr":
            w.brk(2)
            w.text("———")
            w.brk(2)
        elif tag == "p":
            w.brk(2 if not ctx.get("li") else 1)
            _render(child, w, ctx)
            w.brk(2)
        elif tag in HEADINGS:
            w.brk(2)
            w.open("b")
            _render(child, w, {**ctx, "b": True})
            w.close("b")
            w.brk(2)
        elif tag in {"ul", "ol"}:
            w.brk(2 if not ctx.get("li") else 1)
            depth = ctx.get("depth", -1) + 1
            number = 0
            for item in child.children:
                if isinstance(item, _Node) and item.tag == "li":
                    number += 1
                    w.brk(1)
                    marker = f"{number}. " if tag == "ol" else BULLET
                    w.text("\u00a0\u00a0" * depth + marker, pre=True)
                    _render(item, w, {**ctx, "li": True, "depth": depth})
                elif isinstance(item, _Node):
                    _render(_Node("root", children=[item]), w, ctx)
            w.brk(2 if not ctx.get("li") else 1)
        elif tag == "li":  # a stray item outside a list
            w.brk(1)
            w.text(BULLET, pre=True)
            _render(child, w, {**ctx, "li": True})
        elif tag == "blockquote":
            w.brk(2)
            if ctx.get("blockquote"):
                _render(child, w, ctx)  # Telegram does not nest quotes
            else:
                w.open("blockquote")
                _render(child, w, {**ctx, "blockquote": True})
                w.close("blockquote")
            w.brk(2)
        elif tag == "pre":
            w.brk(2)
            w.open("pre")
            _render(child, w, {**ctx, "pre": True})
            w.close("pre")
            w.brk(2)
        elif tag in INLINE_MAP:
            mapped = INLINE_MAP[tag]
            href = child.attrs.get("href", "") if mapped == "a" else None
            if mapped == "a" and not href.startswith(("http://", "https://", "mailto:")):
                _render(child, w, ctx)  # a link Telegram would refuse: keep its text
            elif ctx.get(mapped):
                _render(child, w, ctx)  # <b> inside <b> says nothing more
            else:
                w.open(mapped, href)
                _render(child, w, {**ctx, mapped: True, "code": mapped == "code"})
                w.close(mapped)
        else:
            _render(child, w, ctx)


def to_telegram_html(body_html: str) -> str:
    """Sanitized post HTML → Telegram HTML: paragraphs and list items become lines."""
    builder = _TreeBuilder()
    builder.feed(body_html)
    builder.close()
    writer = _Writer()
    _render(builder.root, writer, {})
    return writer.html()


# --- splitting ------------------------------------------------------------------------

WORD, LINE, PARAGRAPH = 1, 2, 3


@dataclass(frozen=True)
class _Open:
    tag: str
    href: str | None = None

    def html(self) -> str:
        return f'<a href="{escape(self.href or "", quote=True)}">' if self.tag == "a" else f"<{self.tag}>"


@dataclass(frozen=True)
class _Close:
    tag: str


class _Units(HTMLParser):
    """Telegram HTML as a list of units: one per character, one per tag."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.units: list[str | _Open | _Close] = []

    def handle_starttag(self, tag, attrs):
        if tag in TELEGRAM_TAGS:
            self.units.append(_Open(tag, dict(attrs).get("href") if tag == "a" else None))

    def handle_endtag(self, tag):
        if tag in TELEGRAM_TAGS:
            self.units.append(_Close(tag))

    def handle_data(self, data):
        self.units.extend(data)


def _serialize(units, start_stack: list[_Open], end_stack: list[_Open]) -> str:
    out = [o.html() for o in start_stack]
    text: list[str] = []
    for unit in units:
        if isinstance(unit, str):
            text.append(unit)
            continue
        out.append(escape("".join(text), quote=False))
        text = []
        out.append(unit.html() if isinstance(unit, _Open) else f"</{unit.tag}>")
    out.append(escape("".join(text), quote=False))
    out.extend(f"</{o.tag}>" for o in reversed(end_stack))
    return "".join(out)


def _stack_after(stack: list[_Open], units) -> list[_Open]:
    stack = list(stack)
    for unit in units:
        if isinstance(unit, _Open):
            stack.append(unit)
        elif isinstance(unit, _Close):
            for depth in range(len(stack) - 1, -1, -1):
                if stack[depth].tag == unit.tag:
                    del stack[depth]
                    break
    return stack


def _breaks(units) -> list[tuple[int, int, int]]:
    """Whitespace runs in the text as (start, end, strength), in order."""
    found, n, i = [], len(units), 0
    while i < n:
        unit = units[i]
        if isinstance(unit, str) and unit.isspace():
            j = i
            # A tag ends the run: tags stay with the text they wrap.
            while j < n and isinstance(units[j], str) and units[j].isspace():
                j += 1
            newlines = units[i:j].count("\n")
            found.append((i, j, PARAGRAPH if newlines >= 2 else LINE if newlines == 1 else WORD))
            i = j
        else:
            i += 1
    return found


def split_telegram_html(html: str, limit: int = TEXT_LIMIT) -> list[str]:
    """Split Telegram HTML into parts of at most ``limit`` (as Telegram counts), tags balanced."""
    parser = _Units()
    parser.feed(html)
    parser.close()
    units = parser.units
    n = len(units)
    weights = [telegram_length(u) if isinstance(u, str) else 0 for u in units]
    filled = [0]  # filled[k]: visible length of units[:k]
    for weight in weights:
        filled.append(filled[-1] + weight)
    breaks = _breaks(units)
    parts: list[str] = []
    stack: list[_Open] = []
    pos = 0
    while pos < n:
        # Skip whitespace at the start of a part (Telegram trims it anyway).
        while pos < n and isinstance(units[pos], str) and units[pos].isspace():
            pos += 1
        if pos >= n:
            break
        # end: how far the part could reach.
        used, end = 0, pos
        while end < n and used + weights[end] <= limit:
            used += weights[end]
            end += 1
        if end >= n:
            cut, resume = n, n
        else:
            cut, resume = _choose_cut(units, filled, breaks, pos, end, limit)
        piece = units[pos:cut]
        end_stack = _stack_after(stack, piece)
        if any(isinstance(u, str) and not u.isspace() for u in piece):
            parts.append(_serialize(_trim_trailing_space(piece), stack, end_stack).strip())
        stack, pos = end_stack, resume
    return parts


def _trim_trailing_space(piece):
    piece = list(piece)
    i = len(piece)
    while i and (not isinstance(piece[i - 1], str) or piece[i - 1].isspace()):
        if isinstance(piece[i - 1], str):
            del piece[i - 1]
        i -= 1
    return piece


def _choose_cut(units, filled, breaks, pos, end, limit) -> tuple[int, int]:
    """Where the part starting at pos ends (cut) and the next one starts (resume)."""

    def length(a, b):
        return filled[b] - filled[a]

    beyond = len(units) + 1  # sorts after any (start, stop, strength) with the same start
    usable = breaks[bisect.bisect_right(breaks, (pos, beyond)) : bisect.bisect_right(breaks, (end, beyond))]
    for strength in (PARAGRAPH, LINE):
        good = [b for b in usable if b[2] >= strength and length(pos, b[0]) * 2 >= limit]
        if good:
            start, stop, _ = good[-1]
            return start, stop
    words = [b for b in usable if length(pos, b[0]) > 0]
    if words:
        start, stop, _ = words[-1]
        return start, stop
    # A word longer than a message: cut inside it, outside any tag (tags weigh nothing,
    # so move closing tags into this part and opening tags into the next).
    cut = end
    while cut < len(units) and isinstance(units[cut], _Close):
        cut += 1
    while cut - 1 > pos and isinstance(units[cut - 1], _Open):
        cut -= 1
    return cut, cut


# --- a post as Telegram calls --------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One Telegram call that publishes part of a post.

    kind is "text", "photo", "video" or "group" (an album); media lists PostMedia ids;
    text is the message text or the caption ("" for none).
    """

    kind: str
    text: str = ""
    media: tuple[int, ...] = ()

    def shape(self) -> dict:
        """What an edit compares: the same shape can be edited in place."""
        return {"kind": self.kind, "media": list(self.media), "text": bool(self.text)}

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.text.encode()).hexdigest()[:16]


def post_url(post) -> str:
    """The post's page on the platform, absolute; "" when no public address is configured."""
    base = getattr(settings, "HOMEWARD_PUBLIC_URL", "").rstrip("/")
    if not base:
        return ""
    try:
        path = reverse("channel:post", args=[post.pk])
    except NoReverseMatch:
        path = f"/channel/{post.pk}/"
    return base + path


def post_telegram_html(post) -> str:
    """The whole post as Telegram HTML, with a link to its page at the end."""
    html = to_telegram_html(post.body_html)
    url = post_url(post)
    if url:
        with translation.override(settings.LANGUAGE_CODE):
            label = escape(_("Read on %(site)s") % {"site": settings.HOMEWARD_NAME}, quote=False)
        link = f'<a href="{escape(url, quote=True)}">{label}</a>'
        html = f"{html}\n\n{link}" if html else link
    return html


def post_steps(post) -> list[Step]:
    """The calls that publish a post: media first (caption on the first), then text parts."""
    parts = split_telegram_html(post_telegram_html(post), TEXT_LIMIT)
    media = list(post.media.all())
    items = [m for m in media if m.kind == "image"][:MEDIA_GROUP_MAX] + [m for m in media if m.kind == "video"][:1]
    steps: list[Step] = []
    if items:
        caption = ""
        if parts and telegram_length(_visible(parts[0])) <= CAPTION_LIMIT:
            caption, parts = parts[0], parts[1:]
        for start in range(0, len(items), MEDIA_GROUP_MAX):
            chunk = items[start : start + MEDIA_GROUP_MAX]
            text = caption if start == 0 else ""
            if len(chunk) == 1:
                steps.append(Step(chunk[0].kind if chunk[0].kind == "video" else "photo", text, (chunk[0].pk,)))
            else:
                steps.append(Step("group", text, tuple(m.pk for m in chunk)))
    steps.extend(Step("text", part) for part in parts)
    return steps


def _visible(html: str) -> str:
    parser = _Units()
    parser.feed(html)
    parser.close()
    return "".join(u for u in parser.units if isinstance(u, str))


def visible_text(html: str) -> str:
    """The text Telegram shows for a piece of Telegram HTML (tags dropped, entities decoded)."""
    return _visible(html)
