"""Question text → normalized features (pure Python; no Django).

`terms(text)` turns a question into a sorted tuple of features:

* lemmas of the content words (pymorphy3), with function words, greetings, forms of
  address and filler dropped;
* concept tokens ``#name`` from the domain thesaurus (``data/thesaurus.txt``): many
  lemmas and multiword phrases map to one concept, so that «когда демобилизуют»,
  «когда уволят со службы и вернут домой насовсем» and «дембель когда» share ``#demob``;
* an intent token ``?name`` for the question word («когда» → ``?when``, «почему» → ``?why``);
* ``~lemma`` for a content word a concept stands for (dropped from the lemmas above): not
  matched lexically, only read for the question's word-vector (see `lemma_vector` and
  clustering.py), which is thus derivable from the stored terms.

Lemma look-ups are cached (`lemma`), so a campaign of millions of questions with a
vocabulary of a few hundred thousand word forms costs one pymorphy3 parse per form.
`form_key(terms)` is a 16-hex-digit key equal for questions with the same normalized form
(``~`` tokens aside).

Word vectors: navec's news embeddings (250K words, 300 dimensions, product-quantized),
the file shipped inside the `natasha` wheel, read with the `navec` package. When either
is missing, `lemma_vector` returns None and clustering is lexical only.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
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
_PARTICIPLE = {"PRTF", "PRTS"}


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

    A line ``name: entry, entry, …`` maps each entry to ``#name`` (``name/0.3: …`` also
    gives the concept a weight, see clustering.term_weight). An entry is one word or
    several; every word is lemmatized the same way as question text, so entries may be
    written in any form. A multiword entry matches when its lemmas occur in the question
    in order, with at most `GAP` other words between two of them (function words in
    entries are ignored, unless only one word would be left: see `entry_words`; such an
    entry matches as written, with only adjectives and participles between its words).
    ``!stop:`` lists words to drop, ``!keep:`` lemmas to keep whatever their part of
    speech, ``!intent name:`` question words (→ ``?name``).
    Lines starting with ``#`` are comments.
    """

    def __init__(self, path: Path = _DATA / "thesaurus.txt") -> None:
        self.single: dict[str, tuple[str, ...]] = {}
        # lemma → concepts of participle entries: pymorphy3 gives a participle its verb's
        # lemma («заключённые» → «заключить»), which must not bring the concept to every
        # form of the verb («заключить брак»); matched only when the question's word is a
        # participle too.
        self.participle: dict[str, tuple[str, ...]] = {}
        # first lemma → (the other lemmas, concept, as written: see _find)
        self.phrases: dict[str, list[tuple[tuple[str, ...], str, bool]]] = {}
        self.stop: set[str] = set()
        self.keep: set[str] = set()
        self.intent: dict[str, str] = {}
        self.intent_phrases: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        self.weight: dict[str, float] = {}  # concept token → weight, where the file gives one ("name/0.3:")
        self.entries: list[tuple[str, str]] = []  # (concept token, entry as written), in file order
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
                self.entries.append((token, e))
                ws, written = entry_words(e)
                lemmas = tuple(lemma(w)[0] for w in ws)
                if len(lemmas) == 1:
                    # the form as written, too: slang pymorphy3 does not know
                    keys = [(self.single, ws[0])]
                    keys.append((self.participle if lemma(ws[0])[1] in _PARTICIPLE else self.single, lemmas[0]))
                    for table, key in keys:
                        current = table.get(key, ())
                        if token not in current:
                            table[key] = (*current, token)
                elif lemmas:
                    self.phrases.setdefault(lemmas[0], []).append((lemmas[1:], token, written))


def entry_words(entry: str) -> tuple[list[str], bool]:
    """The words of a concept entry that a question must contain, and whether they are
    the entry as written (see _find).

    Function words are left out of a multiword entry («отпустить в отпуск» matches
    «отпустят ли в отпуск» and «отпуск отпустить»), «не» aside. When that would leave a
    single word, the entry keeps them all and matches as the phrase it is written:
    «без ноги» is about a prosthesis, «нога» is not (a one-word remainder used to tag
    every question with that word). An entry meant as the word alone is written so."""
    ws = words(entry)
    content = [w for w in ws if w == "не" or lemma(w)[1] not in _DROP_POS]
    if len(content) > 1 or len(content) == len(ws):
        return content, False
    return ws, True


@functools.cache
def thesaurus() -> Thesaurus:
    return Thesaurus()


def _find(lemmas: list[str], i: int, rest: tuple[str, ...], kinds: list[str] | None = None) -> list[int] | None:
    """Positions of a phrase's other lemmas after position i, in order, each at most
    `GAP` words after the previous one; or None.

    With `kinds` (the parts of speech of the question's words), the phrase is one kept as
    written (a function word and its word, see `entry_words`): only adjectives and
    participles may stand between its words — «без правой ноги», not «без денег, ноги»."""
    found = []
    at = i
    for r in rest:
        for j in range(at + 1, min(len(lemmas), at + 2 + GAP)):
            if lemmas[j] == r:
                found.append(j)
                at = j
                break
            if kinds is not None and kinds[j] not in _BETWEEN:
                return None
        else:
            return None
    return found


_BETWEEN = {"ADJF", "ADJS", "PRTF", "PRTS"}


GAP = 2  # words allowed between two words of a phrase («вернут наших мужей домой»)
COVERED = "drop"  # what becomes of words a concept stands for: "drop" or "keep"


def terms(text: str, *, concepts: bool = True) -> tuple[str, ...]:
    """Normalized features of a question: sorted, without repeats; deterministic.

    concepts=False leaves out the thesaurus's concepts and intents (for comparison in
    bench/questions_quality.py): lemmas of the content words only.
    """
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
        if token is not None and concepts:
            out.add(token)
        lem, pos = lemma(w)
        lemmas.append(lem)
        kinds.append(pos)
    covered = [False] * len(lemmas)
    for i, lem in enumerate(lemmas):
        if not concepts:
            break
        for rest, tok, written in th.phrases.get(lem, ()):
            where = _find(lemmas, i, rest, kinds if written else None)
            if where is not None:
                out.add(tok)
                covered[i] = True
                for j in where:
                    covered[j] = True
    for i, lem in enumerate(lemmas):
        found = None
        if concepts:
            found = th.single.get(lem) or th.single.get(ws[i])
            if not found and kinds[i] in _PARTICIPLE:
                found = th.participle.get(lem)
        if found:
            out.update(found)
            covered[i] = True
        if lem in th.keep:
            out.add(lem)
            continue
        if kinds[i] in _DROP_POS or kinds[i] == "NUMB" or lem in th.stop or ws[i] in th.stop:
            continue
        if len(lem) < 2:
            continue
        if covered[i] and COVERED == "drop":
            if concepts:
                out.add(VECTOR_ONLY + lem)
            continue
        out.add(lem)
    return tuple(sorted(out))


VECTOR_ONLY = "~"  # prefix of a lemma kept for the word-vector only


def form_key(terms: Sequence[str]) -> str:
    """16 hex digits, equal for equal normalized forms (order, repeats and ``~`` tokens ignored)."""
    joined = " ".join(sorted({t for t in terms if not t.startswith(VECTOR_ONLY)}))
    return hashlib.blake2b(joined.encode("utf-8"), digest_size=8).hexdigest()


def vector_lemmas(terms: Sequence[str]) -> list[str]:
    """The lemmas a question's word-vector is made of: its plain lemmas and ``~`` ones."""
    out = []
    for t in terms:
        if t.startswith(VECTOR_ONLY):
            out.append(t[1:])
        elif t[:1] not in ("#", "?"):
            out.append(t)
    return out


VECTORS = "natasha/data/emb/navec_news_v1_1B_250K_300d_100q.tar"
VECTOR_DIM = 300


@functools.cache
def _navec():
    """The navec embeddings from the natasha wheel, or None when not installed.

    natasha itself is not imported (it pulls in pymorphy2 and its models); only its
    data file is read."""
    try:
        from navec import Navec

        spec = importlib.util.find_spec("natasha")
    except ImportError:
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))).parent / VECTORS
    return Navec.load(str(path)) if path.exists() else None


def vectors_available() -> bool:
    return _navec() is not None


@functools.lru_cache(maxsize=1 << 16)
def lemma_vector(lem: str):
    """A lemma's unit word-vector (numpy float32), or None (unknown word, or no vectors)."""
    nv = _navec()
    if nv is None or lem not in nv:
        return None
    import numpy as np

    v = np.asarray(nv[lem], dtype=np.float32)
    norm = float(np.linalg.norm(v))
    return v / norm if norm else None
