"""Markdown for posts, rendered and then sanitized with nh3 (ammonia).

Raw HTML in the Markdown is allowed through the renderer and then cut down to a small
set of harmless tags: no script, no style, no event handlers, no images or embeds
(an <img> pointing elsewhere would be a request to a third party), and links only to
http(s) and mailto, each with rel="nofollow noopener noreferrer".
"""

import html as html_lib

import markdown
import nh3

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "b",
    "i",
    "u",
    "s",
    "del",
    "a",
    "ul",
    "ol",
    "li",
    "blockquote",
    "code",
    "pre",
    "h2",
    "h3",
    "h4",
    "hr",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}


#: Python-Markdown's inline patterns backtrack badly on deeply nested brackets: thousands
#: of "[" or "[a](" take a minute to render. No real post nests like that; past this
#: many unmatched openers the text is shown as plain paragraphs instead.
MAX_UNBALANCED_BRACKETS = 64


def _unbalanced_openers(text: str) -> int:
    depth = worst = 0
    for ch in text:
        if ch in "[(":
            depth += 1
            worst = max(worst, depth)
        elif ch in "])" and depth:
            depth -= 1
    return worst


def _plain(text: str) -> str:
    return "".join(f"<p>{html_lib.escape(block)}</p>" for block in text.split("\n\n") if block.strip())


def render_markdown(text: str) -> str:
    if _unbalanced_openers(text) > MAX_UNBALANCED_BRACKETS:
        html = _plain(text)
    else:
        try:
            html = markdown.markdown(text, extensions=["sane_lists"], output_format="html")
        except RecursionError:
            # Python-Markdown recurses once per level of nesting: hundreds of "- " or "1. "
            # exhaust the stack. Such a text is shown as plain paragraphs, not a server error.
            html = _plain(text)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        clean_content_tags={"script", "style", "template", "svg", "math", "iframe", "object"},
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow noopener noreferrer",
        strip_comments=True,
    )
