"""Question text → normalized features (pure Python; no Django).

`terms(text)` turns a question into a sorted tuple of features:

* lemmas of the content words (pymorphy3), with function words, greetings, forms of
  address and filler dropped;
* concept tokens ``#name`` from the domain thesaurus (``data/thesaurus.txt``): many
  lemmas and multiword phrases map to one concept, so that «когда демобилизуют»,
  «когда уволят со службы и вернут домой насовсем» and «дембель когда» share ``#demob``;
* an intent token ``?name`` for the question word («когда» → ``?when``, «почему» → ``?why``).

Lemma look-ups are cached (`lemma`), so a campaign of millions of questions with a
vocabulary of a few hundred thousand word forms costs one pymorphy3 parse per form.
`form_key(terms)` is a 16-hex-digit key equal for questions with the same normalized form.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Sequence
from pathlib import Path

MAX_CHARS = 5000  # a question longer than this is read from its start only
MAX_WORDS = 300
MAX_WORD = 40  # longer tokens are noise (keyboard mashing, links)

_DATA = Path(__file__).resolve().parent / "data"
_WORD = re.compile(r"[0-9a-zа-яё]+", re.IGNORECASE)
_CYR = re.compile(r"[а-яё]")
_LAT = re.compile(r"[a-z]")
# Latin letters that look like Cyrillic ones, for words typed in a mix of both scripts.
_HOMOGLYPHS = str.maketrans("aceopxykmhtb", "асеорхукмнтв")

# Parts of speech that carry no topic: prepositions, conjunctions, particles,
# pronouns, interjections.
_DROP_POS = {"PREP", "CONJ", "PRCL", "NPRO", "INTJ"}


def words(text: str) -> list[str]:
    """Lower-case word tokens, ё → е, mixed-script words mapped to Cyrillic."""
    out = []
    for w in _WORD.findall(text[:MAX_CHARS].lower()):
        if _LAT.search(w) and _CYR.search(w):
            w = w.translate(_HOMOGLYPHS)
        if len(w) > MAX_WORD:
            continue
        out.append(w.replace("ё", "е"))
        if len(out) >= MAX_WORDS:
            break
    return out


@functools.cache
def _morph():
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


@functools.lru_cache(maxsize=1 << 20)
def lemma(word: str) -> tuple[str, str]:
    """(normal form, part of speech or "") of a lower-case word; cached."""
    if not _CYR.search(word):
        return word, "LATN" if word.isalpha() else "NUMB"
    parse = _morph().parse(word)[0]
    return parse.normal_form.replace("ё", "е"), str(parse.tag.POS or "")


class Thesaurus:
    """Concepts from data/thesaurus.txt.

    A line ``name: entry, entry, …`` maps each entry to ``#name``. An entry is one word
    or several; every word is lemmatized the same way as question text, so entries may
    be written in any form. A multiword entry matches when all its lemmas occur within
    a short window of the question, in any order. Lines starting with ``!`` list words
    to drop (``!stop: …``), question words (``!intent name: …``) and the rest are comments
    when they start with ``#``.
    """

    WINDOW = 4  # a phrase's words lie within this many words of its first

    def __init__(self, path: Path = _DATA / "thesaurus.txt") -> None:
        self.single: dict[str, tuple[str, ...]] = {}
        self.phrases: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        self.stop: set[str] = set()
        self.keep: set[str] = set()
        self.intent: dict[str, str] = {}
        self.intent_phrases: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        self.weight: dict[str, float] = {}  # concept token → weight, where the file gives one ("name/0.3:")
        for raw in path.read_text(encoding="utf-8").splitlines():
            line = raw.split("  #", 1)[0].strip()
            if not line or line.startswith("#"):
                continue
            head, _, body = line.partition(":")
            entries = [e.strip() for e in body.split(",") if e.strip()]
            head = head.strip()
            if head == "!stop":
                for e in entries:
                    for w in words(e):
                        self.stop.add(w)
                        self.stop.add(lemma(w)[0])
                continue
            if head == "!keep":
                for e in entries:
                    for w in words(e):
                        self.keep.add(lemma(w)[0])
                continue
            if head.startswith("!intent"):
                token = "?" + head.split()[1]
                for e in entries:
                    ws = words(e)
                    if len(ws) == 1:
                        self.intent[ws[0]] = token
                    elif ws:
                        self.intent_phrases.setdefault(ws[0], []).append((tuple(ws[1:]), token))
                continue
            name, _, weight = head.partition("/")
            token = "#" + name.strip()
            if weight:
                self.weight[token] = float(weight)
            for e in entries:
                ws = words(e)
                lemmas = tuple(lemma(w)[0] for w in ws)
                if len(lemmas) == 1:
                    for key in {ws[0], lemmas[0]}:  # the form as written, too: slang pymorphy3 does not know
                        current = self.single.get(key, ())
                        if token not in current:
                            self.single[key] = (*current, token)
                elif lemmas:
                    self.phrases.setdefault(lemmas[0], []).append((lemmas[1:], token))


@functools.cache
def thesaurus() -> Thesaurus:
    return Thesaurus()


def _near(lemmas: list[str], i: int, rest: tuple[str, ...], window: int) -> bool:
    lo, hi = max(0, i - window), min(len(lemmas), i + window + 1)
    near = lemmas[lo:hi]
    return all(r in near for r in rest)


def terms(text: str) -> tuple[str, ...]:
    """Normalized features of a question: sorted, without repeats; deterministic."""
    th = thesaurus()
    ws = words(text)
    out: set[str] = set()
    lemmas: list[str] = []
    kinds: list[str] = []
    for i, w in enumerate(ws):
        token = th.intent.get(w)
        if token is None:
            for rest, tok in th.intent_phrases.get(w, ()):
                if tuple(ws[i + 1 : i + 1 + len(rest)]) == rest:
                    token = tok
                    break
        if token is not None:
            out.add(token)
        lem, pos = lemma(w)
        lemmas.append(lem)
        kinds.append(pos)
    window = Thesaurus.WINDOW
    for i, lem in enumerate(lemmas):
        concepts = th.single.get(lem) or th.single.get(ws[i])
        if concepts:
            out.update(concepts)
        for rest, tok in th.phrases.get(lem, ()):
            if _near(lemmas, i, rest, window):
                out.add(tok)
        if lem in th.keep:
            out.add(lem)
            continue
        if kinds[i] in _DROP_POS or kinds[i] == "NUMB" or lem in th.stop or ws[i] in th.stop:
            continue
        if len(lem) < 2:
            continue
        out.add(lem)
    return tuple(sorted(out))


def form_key(terms: Sequence[str]) -> str:
    """16 hex digits, equal for equal normalized forms (order and repeats ignored)."""
    joined = " ".join(sorted(set(terms)))
    return hashlib.blake2b(joined.encode("utf-8"), digest_size=8).hexdigest()
