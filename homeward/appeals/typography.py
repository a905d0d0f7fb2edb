"""Russian typography for letters printed as PDF: what a careful typist does by hand.

- a non-breaking space after short prepositions, conjunctions and particles («в\u00a0Министерство»),
  after «№», «ст.», «ч.», «п.» before a number, and before «г.» after a year;
- «ёлочки» for straight double quotes, „лапки“ inside them;
- an em dash with a non-breaking space before it for a hyphen between spaces;
- an ellipsis character for three dots.

Pure string functions; they never raise.
"""

from __future__ import annotations

import re

NBSP = "\u00a0"

#: Prepositions, conjunctions and particles that must not end a line.
SHORT_WORDS = [
    "а",
    "без",
    "в",
    "во",
    "да",
    "для",
    "до",
    "же",
    "за",
    "и",
    "из",
    "изо",
    "или",
    "к",
    "ко",
    "ли",
    "на",
    "над",
    "не",
    "ни",
    "но",
    "о",
    "об",
    "обо",
    "от",
    "по",
    "под",
    "при",
    "про",
    "с",
    "со",
    "у",
]
_SHORT = re.compile(r"(?<![\w\-])(" + "|".join(sorted(SHORT_WORDS, key=len, reverse=True)) + r") +(?=\S)", re.I)
_NUMBER_SIGNS = re.compile(r"(№|§|ст\.|ч\.|п\.|пп\.|гл\.|т\.|с\.) +(?=\d)")
_YEAR = re.compile(r"(\d) +(гг?\.)")
_INITIALS = re.compile(r"(?<![\w])([А-ЯЁA-Z]\.) *([А-ЯЁA-Z]\.) +(?=[А-ЯЁA-Z])")
_DASH = re.compile(r"(?<=\S)[ \u00a0]+(?:-{1,2}|–|—)(?= )")
_LEADING_DASH = re.compile(r"^(?:-{1,2}|–) ", re.M)


def _quotes(text: str) -> str:
    out = []
    depth = 0
    for i, ch in enumerate(text):
        if ch != '"':
            out.append(ch)
            continue
        before = text[i - 1] if i else " "
        opening = before.isspace() or before in "([{—–-\u00a0/«„"
        if opening:
            out.append("«" if depth == 0 else "„")
            depth += 1
        elif depth > 0:
            depth -= 1
            out.append("»" if depth == 0 else "“")
        else:
            out.append("»")
    return "".join(out)


def typeset(text: str) -> str:
    """Apply Russian typography to plain text (line breaks kept)."""
    text = text.replace("\r\n", "\n").replace("...", "…")
    text = _quotes(text)
    text = _LEADING_DASH.sub("— ", text)
    text = _DASH.sub(NBSP + "—", text)
    text = _INITIALS.sub(lambda m: f"{m.group(1)}{NBSP}{m.group(2)}{NBSP}", text)
    text = _NUMBER_SIGNS.sub(lambda m: m.group(1) + NBSP, text)
    text = _YEAR.sub(lambda m: m.group(1) + NBSP + m.group(2), text)
    # Twice: "и в Министерство" has two short words in a row; one pass consumes the first's space.
    for _ in range(2):
        text = _SHORT.sub(lambda m: m.group(1) + NBSP, text)
    return text
