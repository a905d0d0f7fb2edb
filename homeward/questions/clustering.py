"""Question clusters: incremental placement and the full re-cluster (pure Python; no Django).

A cluster is represented in the index by a few *exemplars*: its first question and
later members that differ enough from the exemplars it already has (at most
`MAX_EXEMPLARS`). A question's score against a cluster is the mean of its similarities
to the cluster's exemplars (average linkage). The similarity is the cosine of weighted
term vectors, times `MISMATCH` for each strong concept only one side has. A term's
weight is static by kind — concept tokens (``#…``, see text.py; the thesaurus may give
its own weight: #mob, #kin are weak), intent tokens (``?…``), plain lemmas — and damped
by its inverse document frequency among the exemplars (`_weight`): a term most clusters
hold says little about which one a question belongs to.

Candidates come from an inverted index (term id → exemplar numbers, `array`s): the
postings of the query's terms are walked rarest first, within `WALK_BUDGET` entries
(a common term's posting is cut to its oldest part: the earliest, most asked clusters),
accumulating the shared weight; the clusters of the best `CANDIDATES` exemplars are then
scored exactly. Questions of a normalized form already placed join the same
cluster at once (`form_key`), which is what makes a re-cluster of millions of questions —
most of them re-typed duplicates — fast.

Word vectors (when installed, see text.lemma_vector): each exemplar also keeps a unit
vector, the IDF-weighted mean of its lemmas' vectors (plain and ``~`` terms; IDF over the
exemplars in the index when it was added), and the similarity becomes
``min(1, LEX_SHARE · cosine + VECTOR_SHARE · vector cosine)`` before the MISMATCH
factors. Candidates still come from shared terms only. A paraphrase in other words of the
same concepts scores higher, and two questions sharing concepts but asking about
different things (their remaining words far apart) lower. Without vectors the score is
the lexical one exactly.

`recluster(items)` is `Index.place` over the items in order, so incremental placement and
the full re-cluster agree by construction.
"""

from __future__ import annotations

import bisect
import heapq
import math
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from homeward.questions import text
from homeward.questions.text import thesaurus

SHOW = 0.35  # a cluster scoring this much is shown to a draft as similar
SUGGEST = 0.3  # another cluster this close is offered to coordinators to merge (Index.neighbours)
JOIN = 0.45  # a new question joins the best cluster scoring this much
EXEMPLAR_BELOW = 0.9  # a member scoring less than this against its cluster's exemplars becomes one
MAX_EXEMPLARS = 8
WALK_BUDGET = 5_000  # posting entries walked per query, rarest terms first …
WALK_MIN_WEIGHT = 0.6  # … of those weighing this much (weak and very common terms find too much)
CANDIDATES = 64  # best exemplars by shared weight …
CANDIDATE_CLUSTERS = 16  # … whose first this many clusters are scored in full
CONCEPT_WEIGHT = 3.0
INTENT_WEIGHT = 1.0
LEMMA_WEIGHT = 1.0
MISMATCH = 0.9  # factor for each strong concept only one side has
# Measured alternatives are kept switchable for bench/questions_quality.py experiments:
SIMILARITY = "cosine"  # "cosine", "jaccard" (weighted) or "dice" (weighted)
LINKAGE = "mean"  # a cluster's score from its exemplars' similarities: "mean", "max" or "top2"
COVERED_WEIGHT = 0.5  # a lemma that a concept token already stands for
IDF_BASE = 1.0  # a term's weight × (ln((n+1)/(df+1)) + IDF_BASE) / (ln(n+1) + IDF_BASE), see _weight
IDF_PRIOR = 50  # pseudo-exemplars holding no term, see _weight
EXACT_BELOW = 200  # below this many exemplars weights follow every change of n; above it, 2% steps
# Word vectors: measured in bench/questions_quality.py as 0.7 · cosine + 0.3 · vector cosine
# against a threshold of 0.45, written here rescaled so that JOIN and SHOW keep their meaning.
LEX_SHARE = 0.7 / 0.9
VECTOR_SHARE = 0.3 / 0.9
USE_VECTORS = True  # False: lexical only (for comparison in the bench)


@dataclass(frozen=True)
class Placement:
    cluster: int
    created: bool
    exemplar: bool


def term_weight(term: str) -> float:
    """The static weight of a term: by kind, and the thesaurus's own weight for a concept."""
    th = thesaurus()
    if term.startswith("#"):
        return th.weight.get(term, CONCEPT_WEIGHT)
    if term.startswith("?"):
        return INTENT_WEIGHT
    if term in th.single:
        return COVERED_WEIGHT
    return LEMMA_WEIGHT


class Index:
    """Exemplars of clusters, for incremental placement and similar-question lookup."""

    def __init__(self) -> None:
        self._ids: dict[str, int] = {}  # term → term id
        self._names: list[str] = []  # term id → term
        self._kind: array = array("f")  # term id → kind factor
        self._strong = bytearray()  # term id → 1 for a strong concept (see _similarity)
        self._df: array = array("l")  # term id → number of live exemplars holding it
        self._postings: list[array] = []  # term id → exemplar numbers (may hold dead ones)
        self._ex_terms: list[array] = []  # exemplar number → term ids (empty array once dead)
        self._ex_cluster: array = array("q")  # exemplar number → cluster (-1 once dead)
        self._clusters: dict[int, list[int]] = {}  # cluster → its exemplar numbers
        self._forms: dict[int, int] = {}  # hash of a normalized form → cluster it joined
        self._live = 0  # live exemplars
        self._step, self._step_n = -1, 0  # see _weight
        self._w: array = array("d")  # term id → cached weight …
        self._w_step: array = array("l")  # … computed at this step …
        self._w_df: array = array("l")  # … and this count
        self._vectors = USE_VECTORS and text.vectors_available()
        self._vec = None  # exemplar number → unit word-vector (numpy rows; zero when none)
        self._vdf: dict[str, int] = {}  # lemma → live exemplars whose vector holds it
        self._vlem: list[tuple[str, ...]] = []  # exemplar number → those lemmas (empty once dead)

    # -- terms and weights

    def _term_ids(self, terms: Sequence[str], *, create: bool) -> list[int]:
        """Ids of the (unique, sorted) terms; unknown ones get negative ids unless created."""
        out = []
        ids = self._ids
        for t in terms:
            i = ids.get(t)
            if i is None:
                if not create:
                    out.append(-1 - len(out))  # unknown term: matches nothing, still counts in the norm
                    continue
                i = len(self._postings)
                ids[t] = i
                self._names.append(t)
                self._kind.append(term_weight(t))
                self._strong.append(_is_strong(t))
                self._w.append(0.0)
                self._w_step.append(-(10**9))
                self._w_df.append(-1)
                self._df.append(0)
                self._postings.append(array("l"))
            out.append(i)
        return out

    def _weight(self, term_id: int, unknown: float = LEMMA_WEIGHT) -> float:
        """A term's weight: its static weight times its normalized inverse document frequency
        among the live exemplars, (ln((n+1)/(df+1)) + IDF_BASE) / (ln(n+1) + IDF_BASE) with
        n = exemplars + IDF_PRIOR: 1 for a term no exemplar holds, less the more hold it. The
        prior keeps a small index from discounting every term its few exemplars hold.

        This replaces a damping of terms held by more than 2% of the exemplars that only
        started at 200 exemplars (so never on the labeled set). Measured on the tune half of
        bench/questions_quality.py it was the one pair feature that ranked same-group pairs
        clearly better (recall at pairwise precision 0.9: 0.61 → 0.72 for the lexical cosine
        alone): the concepts most questions share stop outweighing the rarer words that tell
        two questions on one topic apart.

        n is the number of live exemplars rounded down to a 2% step (exact below
        EXACT_BELOW), so that weights can be cached (recomputed when that step or the
        term's count changes) and stay a function of the index's content alone."""
        if term_id < 0:
            return unknown
        df = self._df[term_id]
        if self._w_step[term_id] == self._step and self._w_df[term_id] == df:
            return self._w[term_id]
        w = self._kind[term_id]
        n = self._step_n + IDF_PRIOR
        w *= (math.log((n + 1) / (df + 1)) + IDF_BASE) / (math.log(n + 1) + IDF_BASE)
        self._w[term_id] = w
        self._w_step[term_id] = self._step
        self._w_df[term_id] = df
        return w

    def _count(self, delta: int) -> None:
        self._live += delta
        n = self._live
        if n < EXACT_BELOW:
            self._step, self._step_n = -n - 1, n
        else:
            step = int(math.log(n) / math.log(1.02))
            if step != self._step:
                self._step, self._step_n = step, max(EXACT_BELOW, int(1.02**step))

    # -- exemplars

    def _vector(self, lemmas: list[str]):
        """A question's unit word-vector: IDF-weighted (over the live exemplars) mean of its
        lemmas' vectors; None when none of them has one."""
        import numpy as np

        acc = np.zeros(text.VECTOR_DIM, dtype=np.float32)
        n = self._live + 1
        found = False
        for lem in lemmas:
            v = text.lemma_vector(lem)
            if v is None:
                continue
            acc += (math.log(n / (self._vdf.get(lem, 0) + 1)) + 0.1) * v
            found = True
        norm = float(np.linalg.norm(acc)) if found else 0.0
        return acc / norm if norm else None

    def _query_vector(self, uniq: list[str], vec_only: list[str]):
        if not self._vectors or not uniq:
            return None
        return self._vector(text.vector_lemmas((*uniq, *vec_only)))

    def _store_vector(self, number: int, vector, lemmas: list[str]) -> None:
        import numpy as np

        if self._vec is None:
            self._vec = np.zeros((1024, text.VECTOR_DIM), dtype=np.float32)
        while number >= len(self._vec):
            grown = np.zeros((2 * len(self._vec), text.VECTOR_DIM), dtype=np.float32)
            grown[: len(self._vec)] = self._vec
            self._vec = grown
        if vector is not None:
            self._vec[number] = vector
        held = tuple(set(lemmas))
        self._vlem.append(held)
        vdf = self._vdf
        for lem in held:
            vdf[lem] = vdf.get(lem, 0) + 1

    def _add_exemplar(self, cluster: int, term_ids: list[int], terms: Sequence[str] = (), vector=None) -> None:
        number = len(self._ex_terms)
        if self._vectors:
            lemmas = text.vector_lemmas(terms)
            self._store_vector(number, self._vector(lemmas) if vector is None else vector, lemmas)
        ids = array("l", sorted(t for t in term_ids if t >= 0))
        self._ex_terms.append(ids)
        self._ex_cluster.append(cluster)
        for t in ids:
            self._postings[t].append(number)
            self._df[t] += 1
        self._clusters.setdefault(cluster, []).append(number)
        self._count(1)

    def add(self, cluster: int, terms: Sequence[str]) -> None:
        """Restore (or add) an exemplar of a cluster."""
        uniq, vec_only = _split(terms)
        self._add_exemplar(cluster, self._term_ids(uniq, create=True), (*uniq, *vec_only))
        if uniq:
            self._forms.setdefault(_form_hash(uniq), cluster)

    def discard(self, cluster: int) -> None:
        """Forget a cluster: its exemplars no longer match anything."""
        numbers = self._clusters.pop(cluster, None)
        if not numbers:
            return
        for number in numbers:
            for t in self._ex_terms[number]:
                self._df[t] -= 1
            if self._vectors:
                for lem in self._vlem[number]:
                    self._vdf[lem] -= 1
                self._vlem[number] = ()
            self._ex_terms[number] = array("l")
            self._ex_cluster[number] = -1
            self._count(-1)
        # postings and the form map keep dead entries; they are skipped (cluster -1, unknown cluster)

    def __len__(self) -> int:
        return len(self._clusters)

    # -- scoring

    def _similarity(
        self, weights: dict[int, float], q_size: float, strong: set[int], number: int, vsim: float | None = None
    ) -> float:
        """Similarity of the query (term id → weight; its size; its strong concepts) to an exemplar.

        Cosine of the weighted vectors — mixed with the word-vectors' cosine `vsim` when
        given — times MISMATCH for every strong concept that only one side has: «выплаты»
        and «выплаты семьям погибших» share most of their weight but not what they ask about."""
        shared = 0.0
        size = 0.0
        cosine = SIMILARITY == "cosine"
        is_strong = self._strong
        matched = 0
        unmatched = 0
        cached, cached_step, cached_df, df, step = self._w, self._w_step, self._w_df, self._df, self._step
        for t in self._ex_terms[number]:
            if cached_step[t] == step and cached_df[t] == df[t]:
                w = cached[t]
            else:
                w = self._weight(t)
            inside = t in weights
            if is_strong[t]:
                if inside:
                    matched += 1
                else:
                    unmatched += 1
            if cosine:
                size += w * w
                if inside:
                    shared += w * weights[t]
            else:
                size += w
                if inside:
                    shared += min(w, weights[t])
        if size == 0:
            return 0.0
        if cosine:
            sim = shared / (q_size * math.sqrt(size))
        elif SIMILARITY == "dice":
            sim = 2 * shared / (q_size + size)
        else:
            sim = shared / (q_size + size - shared)
        if vsim is not None:
            sim = min(1.0, LEX_SHARE * sim + VECTOR_SHARE * vsim)
        unmatched += len(strong) - matched
        return sim * MISMATCH**unmatched if unmatched else sim

    def _scores(
        self, uniq: list[str], vector=None, exclude: int | None = None
    ) -> tuple[dict[int, float], dict[int, float]]:
        """(cluster → score, exemplar number → similarity) for the candidate clusters.

        `vector`: the query's word-vector (see _vector; None: none of its lemmas has one).
        `exclude`: a cluster left out of the candidates (its exemplars take no place)."""
        if not uniq or not self._live:
            return {}, {}
        q = self._term_ids(uniq, create=False)
        weights = {t: self._weight(t, term_weight(s)) for t, s in zip(q, uniq, strict=True)}
        strong = {t for t, s in zip(q, uniq, strict=True) if _is_strong(s)}
        if SIMILARITY == "cosine":
            q_size = math.sqrt(sum(w * w for w in weights.values()))
        else:
            q_size = sum(weights.values())
        if q_size == 0:
            return {}, {}
        acc: dict[int, float] = {}
        budget = WALK_BUDGET
        postings = self._postings
        walk = [t for t, w in weights.items() if t >= 0 and w >= WALK_MIN_WEIGHT]
        if not walk:
            walk = [t for t in weights if t >= 0]
        for t in sorted(walk, key=lambda x: (len(postings[x]), x)):
            posting = postings[t]
            if len(posting) > budget:
                posting = posting[:budget]  # the oldest exemplars: the earliest, most asked clusters
            w = weights[t]
            get = acc.get
            for number in posting:
                acc[number] = get(number, 0.0) + w
            budget -= len(posting)
            if budget <= 0:
                break
        if exclude is not None:
            ex_of = self._ex_cluster
            acc = {number: v for number, v in acc.items() if ex_of[number] != exclude}
        if len(acc) > CANDIDATES:
            top = [k for _, k in heapq.nsmallest(CANDIDATES, ((-v, k) for k, v in acc.items()))]
        else:
            top = [k for _, k in sorted((-v, k) for k, v in acc.items())]
        ex_cluster = self._ex_cluster
        chosen: list[int] = []
        seen: set[int] = set()
        for number in top:
            cluster = ex_cluster[number]
            if cluster < 0 or cluster in seen:
                continue
            if len(chosen) >= CANDIDATE_CLUSTERS:
                break
            chosen.append(cluster)
            seen.add(cluster)
        vsims: dict[int, float] = {}
        if self._vectors and chosen:
            numbers = [n for c in chosen for n in self._clusters[c]]
            if vector is None:
                vsims = dict.fromkeys(numbers, 0.0)
            else:
                vsims = dict(zip(numbers, (self._vec[numbers] @ vector).tolist(), strict=True))
        by_ex: dict[int, float] = {}
        by_cluster: dict[int, float] = {}
        for cluster in chosen:
            sims = []
            for other in self._clusters[cluster]:
                sim = self._similarity(weights, q_size, strong, other, vsims.get(other))
                by_ex[other] = sim
                sims.append(sim)
            if LINKAGE == "max":
                by_cluster[cluster] = max(sims)
            elif LINKAGE == "mean":
                by_cluster[cluster] = sum(sims) / len(sims)
            else:  # "top2": mean of the two best
                sims.sort(reverse=True)
                by_cluster[cluster] = sum(sims[:2]) / len(sims[:2])
        return by_cluster, by_ex

    def nearest(self, terms: Sequence[str], limit: int = 5) -> list[tuple[int, float]]:
        """Clusters scoring at least SHOW, best first."""
        uniq, vec_only = _split(terms)
        by_cluster, _ = self._scores(uniq, self._query_vector(uniq, vec_only))
        return _ranked(by_cluster, SHOW, limit)

    def neighbours(self, cluster: int, limit: int = 5) -> list[tuple[int, float]]:
        """Other clusters that may ask the same as this one, best first, for a coordinator to
        merge: average linkage between the two clusters (each exemplar of this one scored
        against the other's exemplars as a new question would be, the mean over this one's
        exemplars, a missing score counting 0), at least SUGGEST.

        Placement joins a question to one cluster or opens another; a paraphrase scoring
        just under JOIN opens a cluster of its own, and these near misses are what this
        finds (measured in bench/questions_quality.py)."""
        numbers = self._clusters.get(cluster)
        if not numbers or limit <= 0:
            return []
        if len(numbers) > MAX_EXEMPLARS:  # a merged group may hold more: an even sample of them
            step = len(numbers) / MAX_EXEMPLARS
            numbers = [numbers[int(k * step)] for k in range(MAX_EXEMPLARS)]
        names = self._names
        total: dict[int, float] = {}
        for number in numbers:
            uniq = [names[t] for t in self._ex_terms[number]]
            vector = self._vec[number] if self._vectors and self._vec is not None else None
            by_cluster, _ = self._scores(uniq, vector, exclude=cluster)
            for other, score in by_cluster.items():
                total[other] = total.get(other, 0.0) + score
        return _ranked({c: s / len(numbers) for c, s in total.items()}, SUGGEST, limit)

    def place(self, terms: Sequence[str], new_cluster: int) -> Placement:
        """Join the best cluster scoring at least JOIN, or open new_cluster."""
        uniq, vec_only = _split(terms)
        key = _form_hash(uniq)
        if uniq:
            known = self._forms.get(key)
            if known is not None and known in self._clusters:
                return Placement(known, False, False)
        vector = self._query_vector(uniq, vec_only)
        by_cluster, by_ex = self._scores(uniq, vector)
        best, best_score = None, -1.0
        for c, s in by_cluster.items():
            if s > best_score or (s == best_score and best is not None and c < best):
                best, best_score = c, s
        if best is not None and best_score >= JOIN:
            numbers = self._clusters[best]
            closest = max(by_ex[n] for n in numbers)
            exemplar = len(numbers) < MAX_EXEMPLARS and closest < EXEMPLAR_BELOW
            if exemplar:
                self._add_exemplar(best, self._term_ids(uniq, create=True), (*uniq, *vec_only), vector)
            if uniq:
                self._forms[key] = best
            return Placement(best, False, exemplar)
        self._add_exemplar(new_cluster, self._term_ids(uniq, create=True), (*uniq, *vec_only), vector)
        if uniq:
            self._forms[key] = new_cluster
        return Placement(new_cluster, True, True)


def _ranked(scores: dict[int, float], floor: float, limit: int) -> list[tuple[int, float]]:
    """The clusters scoring at least `floor`, best first (ties: lower id), at most `limit`."""
    found = [(c, s) for c, s in scores.items() if s >= floor]
    found.sort(key=lambda cs: (-cs[1], cs[0]))
    return [(c, round(s, 4)) for c, s in found[:limit]]


def _is_strong(term: str) -> bool:
    return term.startswith("#") and term_weight(term) >= 1.0


def _uniq(terms: Sequence[str]) -> list[str]:
    return sorted(set(terms))


def _split(terms: Sequence[str]) -> tuple[list[str], list[str]]:
    """(lexical terms, ``~`` terms read for the word-vector only), each sorted and unique."""
    uniq = _uniq(terms)
    lo = bisect.bisect_left(uniq, text.VECTOR_ONLY)  # they sort together: one prefix character
    hi = bisect.bisect_left(uniq, chr(ord(text.VECTOR_ONLY) + 1), lo)
    if lo == hi:
        return uniq, []
    return uniq[:lo] + uniq[hi:], uniq[lo:hi]


def _form_hash(uniq: list[str]) -> int:
    return hash(" ".join(uniq))


def recluster(items: Iterable[tuple[int, Sequence[str]]]) -> dict[int, tuple[int, bool]]:
    """Full re-cluster: item id → (label, exemplar); a label is the id of the cluster's first item.

    Exactly `Index.place` over the items in the given order, so replaying them through a
    fresh Index gives the same partition.
    """
    index = Index()
    out: dict[int, tuple[int, bool]] = {}
    for item, terms in items:
        p = index.place(terms, item)
        out[item] = (p.cluster, p.exemplar)
    return out
