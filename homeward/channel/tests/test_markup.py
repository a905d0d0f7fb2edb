"""Posts are Markdown, rendered and sanitized: hostile input comes out inert (PRIVACY.md: no third parties, strict CSP)."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from homeward.lib.markup import render_markdown

ALLOWED = {"p", "br", "strong", "em", "b", "i", "u", "s", "del", "a", "ul", "ol", "li"}
ALLOWED |= {"blockquote", "code", "pre", "h2", "h3", "h4", "hr"}


class Elements(HTMLParser):
    """What a browser would build from the HTML: tags with their (entity-decoded) attributes."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def elements(html: str):
    parser = Elements()
    parser.feed(html)
    parser.close()
    return parser.elements


def url_scheme(href: str) -> str:
    """The scheme a browser would see: WHATWG URL parsing trims C0 controls and spaces
    at the ends and removes tabs and newlines anywhere before reading the scheme."""
    trimmed = href.strip("".join(chr(c) for c in range(0x21)))
    cleaned = "".join(ch for ch in trimmed if ch not in "\t\n\r")
    head, sep, _ = cleaned.partition(":")
    if not sep or not head or not head[0].isascii() or not head[0].isalpha():
        return ""  # relative
    if not all(ch.isascii() and (ch.isalnum() or ch in "+-.") for ch in head):
        return ""  # not a scheme: the browser reads it as a relative path
    return head.lower()


HOSTILE = {
    "script": "<script>alert(1)</script>",
    "script mixed case": "<ScRiPt>alert(1)</sCrIpT>",
    "script in markdown paragraph": "Hello **there** <script src=https://evil.example/x.js></script>",
    "img onerror": "<img src=x onerror=alert(1)>",
    "img slashes": "<img/src=x/onerror=alert(1)>",
    "img mixed case": "<IMG SRC=x OnErRoR=alert(1)>",
    "a javascript": '<a href="javascript:alert(1)">click</a>',
    "a javascript mixed case": '<a href="JaVaScRiPt:alert(1)">click</a>',
    "a javascript leading space": '<a href=" javascript:alert(1)">click</a>',
    "a javascript entity": '<a href="&#106;avascript:alert(1)">click</a>',
    "a javascript hex entities": '<a href="&#x6A;&#x61;vascript:alert(1)">click</a>',
    "a javascript tab entity": '<a href="java&#09;script:alert(1)">click</a>',
    "a javascript named tab": '<a href="java&Tab;script:alert(1)">click</a>',
    "a javascript newline entity": '<a href="java&#x0A;script:alert(1)">click</a>',
    "a javascript colon entity": '<a href="javascript&colon;alert(1)">click</a>',
    "a vbscript": '<a href="vbscript:msgbox(1)">click</a>',
    "a data html": '<a href="data:text/html,<script>alert(1)</script>">click</a>',
    "a data base64": '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">click</a>',
    "a onclick": '<a href="https://example.org" onclick="alert(1)" onmouseover="alert(2)">click</a>',
    "a target opener": '<a href="https://example.org" target="_blank" rel="opener">click</a>',
    "markdown link javascript": "[click](javascript:alert(1))",
    "markdown link javascript angle": "[click](<javascript:alert(1)>)",
    "markdown link javascript entity": "[click](&#106;avascript:alert(1))",
    "markdown link javascript tab": "[click](java&#09;script:alert(1))",
    "markdown link data": "[click](data:text/html;base64,PHNjcmlwdD4=)",
    "markdown reference javascript": "[x]: javascript:alert(1)\n\n[click][x]",
    "markdown autolink javascript": "<javascript:alert(1)>",
    "markdown image javascript": "![pic](javascript:alert(1))",
    "markdown image remote": "![pic](https://evil.example/track.png)",
    "markdown image data": "![pic](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "svg onload": "<svg onload=alert(1)>",
    "svg script": "<svg><script>alert(1)</script></svg>",
    "svg animate href": '<svg><a><animate attributeName="href" values="javascript:alert(1)"/><text>x</text></a></svg>',
    "svg foreignobject": "<svg><foreignObject><iframe src=javascript:alert(1)></iframe></foreignObject></svg>",
    "math mxss": "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "math href": '<math href="javascript:alert(1)">x</math>',
    "style element": "<style>body { background: url(https://evil.example/x) }</style>text",
    "style attribute": '<p style="background:url(https://evil.example/x)">text</p>',
    "style attribute upper": '<p STYLE="width: expression(alert(1))">text</p>',
    "css expression in div": '<div style="width: expression(alert(1))">text</div>',
    "iframe": '<iframe src="https://evil.example"></iframe>after',
    "iframe srcdoc": '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    "object": '<object data="https://evil.example/x.swf"></object>',
    "embed": '<embed src="https://evil.example/x.swf">',
    "form": '<form action="https://evil.example"><input name=p><button>go</button></form>',
    "button formaction": '<button formaction="javascript:alert(1)">x</button>',
    "base": '<base href="https://evil.example/">',
    "meta refresh": '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "link stylesheet": '<link rel="stylesheet" href="https://evil.example/x.css">',
    "details ontoggle": "<details open ontoggle=alert(1)><summary>x</summary></details>",
    "body onload": "<body onload=alert(1)>",
    "video poster": '<video poster="https://evil.example/x.png" onerror="alert(1)"></video>',
    "audio src": '<audio src="https://evil.example/x.mp3" autoplay></audio>',
    "template": "<template><script>alert(1)</script></template>",
    "comment": "<!-- <script>alert(1)</script> -->",
    "conditional comment": "<!--[if IE]><script>alert(1)</script><![endif]-->",
    "noscript": "<noscript><p title='</noscript><img src=x onerror=alert(1)>'></noscript>",
    "attribute breakout": '<a href="https://example.org" title="x" onfocus="alert(1)" autofocus>x</a>',
    "heading with id": '<h2 id="x" class="y" onclick="alert(1)">Head</h2>',
    "table": "<table><tr><td background=javascript:alert(1)>x</td></tr></table>",
    "nested quotes": "<<script>script>alert(1)<</script>/script>",
    "null in tag": "<scr\x00ipt>alert(1)</scr\x00ipt>",
}


@pytest.mark.parametrize("source", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_input_renders_inert(source):
    html = render_markdown(source)

    found = elements(html)
    tags = {tag for tag, _ in found}
    assert tags <= ALLOWED, (tags - ALLOWED, html)
    assert "<script" not in html.lower()
    for tag, attrs in found:
        assert not [a for a in attrs if a.startswith("on")], (tag, attrs, html)
        assert "style" not in attrs and "srcdoc" not in attrs and "formaction" not in attrs, html
        assert set(attrs) <= {"href", "title", "rel"}, (tag, attrs)
        if "href" in attrs:
            assert tag == "a"
            assert url_scheme(attrs["href"] or "") in {"", "http", "https", "mailto"}, (attrs["href"], html)


@pytest.mark.parametrize("source", HOSTILE.values(), ids=HOSTILE.keys())
def test_every_link_that_survives_carries_nofollow_and_noopener(source):
    for tag, attrs in elements(render_markdown(source + "\n\n[ok](https://example.org/)")):
        if tag == "a":
            rel = (attrs.get("rel") or "").split()
            assert "nofollow" in rel and "noopener" in rel, attrs
            assert "opener" not in rel


def test_a_javascript_link_loses_its_target_but_keeps_its_words():
    html = render_markdown("Read [this](javascript:alert(1)) now")

    assert "this" in html and "now" in html
    assert "javascript" not in html.lower()


def test_script_content_does_not_leak_into_the_text():
    html = render_markdown("before <script>stealCookies()</script> after")

    assert "stealCookies" not in html
    assert "before" in html and "after" in html


def test_allowed_formatting_survives():
    source = (
        "## Heading\n\n"
        '**bold** *italic* ~~no~~ `code` and a [link](https://example.org/page?a=1&b=2 "Title").\n\n'
        "- one\n- two\n\n"
        "1. first\n2. second\n\n"
        "> a quote\n\n"
        "    preformatted <b>as text</b>\n\n"
        "---\n\n"
        "<u>underlined</u> <s>struck</s> <del>deleted</del> mail: <mailto:team@example.org>"
    )

    html = render_markdown(source)
    found = elements(html)
    tags = [tag for tag, _ in found]

    for tag in ["h2", "strong", "em", "code", "a", "ul", "ol", "li", "blockquote", "pre", "hr", "u", "s", "del"]:
        assert tag in tags, (tag, html)
    links = {attrs["href"]: attrs for tag, attrs in found if tag == "a"}
    assert links["https://example.org/page?a=1&b=2"]["title"] == "Title"
    assert "mailto:team@example.org" in links
    for attrs in links.values():
        assert {"nofollow", "noopener"} <= set(attrs["rel"].split())
    assert "&lt;b&gt;as text&lt;/b&gt;" in html  # code blocks show markup, they do not apply it


def test_text_that_looks_like_markup_is_escaped_not_dropped():
    html = render_markdown("Prices: 5 < 7 & 9 > 3, \"quoted\" and 'single'")

    assert "5 &lt; 7 &amp; 9 &gt; 3" in html


def test_relative_and_plain_web_links_are_kept():
    found = elements(render_markdown("[a](https://example.org) [b](/channel/) [c](http://example.org/x)"))

    assert [attrs["href"] for tag, attrs in found if tag == "a"] == [
        "https://example.org",
        "/channel/",
        "http://example.org/x",
    ]


@pytest.mark.parametrize(
    ("href", "scheme"),
    [
        ("javascript:x", "javascript"),
        (" \tjava\nscript:x", "javascript"),
        ("JAVASCRIPT:x", "javascript"),
        ("java   script:x", ""),
        ("/path:x", ""),
        ("https://x", "https"),
        ("data:text/html,x", "data"),
    ],
)
def test_the_scheme_check_of_these_tests_reads_urls_as_a_browser_does(href, scheme):
    assert url_scheme(href) == scheme


@pytest.mark.parametrize(
    "source",
    ["- " * 2000 + "x", "* " * 500 + "x", "1. " * 500 + "x", "- " * 2000 + "<script>alert(1)</script>"],
    ids=["dashes", "stars", "numbers", "with script"],
)
def test_absurdly_deep_nesting_is_shown_as_inert_text_not_a_server_error(source):
    html = render_markdown(source)

    assert html.startswith("<p>") and html.endswith("</p>")
    assert {tag for tag, _ in elements(html)} <= ALLOWED
    assert "<script" not in html


def test_a_deeply_nested_post_is_published_and_readable(client_for):
    from django.urls import reverse

    from homeward.channel.models import Post

    body = "- " * 2000 + "the end"
    response = client_for("coordinator").post(
        reverse("channel:new"), {"body": body, "visibility": "public", "action": "publish"}
    )

    assert response.status_code == 302
    page = client_for("member").get(reverse("channel:post", args=[Post.objects.get().pk]))
    assert page.status_code == 200 and "the end" in page.content.decode()
