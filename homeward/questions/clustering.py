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

The full re-cluster (`recluster`) does not place the questions one by one: placing them
in order made the partition depend on the order (on the labeled set, shuffled orders
scored far below file order). It is average linkage (UPGMA) over a sparse graph of scored
pairs — normalized forms first, then groups compared through their exemplars, with the
same similarity — merging the best pair first until no pair's average reaches `MERGE`;
the result depends on the set of questions only. It returns exemplars for every cluster,
so that the incremental path (an Index rebuilt from them with `add`, then `place`) goes on
from it: a question joins the best existing cluster scoring at least JOIN.
"""

from __future__ import annotations

import bisect
import heapq
import math
import multiprocessing
import os
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import islice, repeat
from operator import mul, truediv

from homeward.questions import text
from homeward.questions.text import thesaurus

SHOW = 0.35  # a cluster scoring this much is shown to a draft as similar
JOIN = 0.45  # a new question joins the best cluster scoring this much
EXEMPLAR_BELOW = 0.9  # a member scoring less than this against its cluster's exemplars becomes one
MAX_EXEMPLARS = 8
WALK_BUDGET = 5_000  # posting entries walked per query, rarest terms first …
WALK_MIN_WEIGHT = 0.6  # … of those weighing this much (weak and very common terms find too much)
NUMPY_WALK = 512  # walks longer than this many posting entries are summed with numpy
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
# The full re-cluster (recluster): average linkage over a sparse graph of scored pairs.
# Two groups merge while their average similarity is at least this: below JOIN, since an
# average over all pairs of two groups is a steadier figure than one question's score
# against a cluster's exemplars (chosen on the dev data of bench/questions_quality.py:
# the best F1 on both dev sets, with precision ≥ 0.9 on the tune half; 0.45, measured
# after, is more precise on the full set: see that bench's docstring).
MERGE = 0.40
FLOOR = 0.2  # pairs scoring less are left out of the graph (count as 0)
NEIGHBOURS = 16  # candidate forms scored for each form
ROUNDS = 12  # at most this many rounds of scoring and merging
CHOOSE_AMONG = 16  # a merged group's exemplars are chosen among its parts' this many largest
USE_VECTORS = True  # False: lexical only (for comparison in the bench)
# Scoring a re-cluster's round in forked processes (see _scored_links): only for rounds
# with more groups to score than this (small campaigns stay in one process), this many
# processes (0: one per CPU), groups handed out this many at a time.
PARALLEL_ABOVE = 1_000
RECLUSTER_PROCESSES = int(os.environ.get("QUESTIONS_RECLUSTER_PROCESSES", "0"))
PARALLEL_CHUNK = 2_000


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

    def _set_vectors(self, lemma_lists: list[list[str]]) -> None:
        """Vectors of all exemplars at once (exemplar number = position), IDF over all of
        them: for an index filled with vectors off (see recluster)."""
        import numpy as np

        self._vectors = True
        self._vlem = [tuple(set(lemmas)) for lemmas in lemma_lists]
        vdf: dict[str, int] = {}
        for held in self._vlem:
            for lem in held:
                vdf[lem] = vdf.get(lem, 0) + 1
        self._vdf = vdf
        self._vec = np.zeros((max(1024, len(lemma_lists)), text.VECTOR_DIM), dtype=np.float32)
        for number, lemmas in enumerate(lemma_lists):
            v = self._vector(lemmas)
            if v is not None:
                self._vec[number] = v

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

    def _query(self, uniq: list[str]) -> tuple[dict[int, float], float, set[int]]:
        """A query's (term id → weight, its size, its strong concepts), as _similarity reads them."""
        q = self._term_ids(uniq, create=False)
        weights = {t: self._weight(t, term_weight(s)) for t, s in zip(q, uniq, strict=True)}
        strong = {t for t, s in zip(q, uniq, strict=True) if _is_strong(s)}
        if SIMILARITY == "cosine":
            q_size = math.sqrt(sum(w * w for w in weights.values()))
        else:
            q_size = sum(weights.values())
        return weights, q_size, strong

    def _walk(self, weights: dict[int, float]) -> list[int]:
        """The best `CANDIDATES` exemplar numbers by shared weight, best first (ties: lower
        number): the postings of the query's terms walked rarest first, within WALK_BUDGET
        entries (a common term's posting is cut to its oldest part: the earliest, most asked
        clusters). Long walks are summed with numpy, in the same order (the same sums)."""
        budget = WALK_BUDGET
        postings = self._postings
        walk = [t for t, w in weights.items() if t >= 0 and w >= WALK_MIN_WEIGHT]
        if not walk:
            walk = [t for t in weights if t >= 0]
        parts: list[tuple[array, float]] = []
        total = 0
        for t in sorted(walk, key=lambda x: (len(postings[x]), x)):
            posting = postings[t]
            if len(posting) > budget:
                posting = posting[:budget]  # the oldest exemplars: the earliest, most asked clusters
            parts.append((posting, weights[t]))
            total += len(posting)
            budget -= len(posting)
            if budget <= 0:
                break
        if total > NUMPY_WALK:
            import numpy as np

            numbers = np.concatenate([np.frombuffer(p, dtype=np.int64) for p, _ in parts])
            shares = np.concatenate([np.full(len(p), w) for p, w in parts])
            found, inverse = np.unique(numbers, return_inverse=True)
            sums = np.bincount(inverse, weights=shares)
            best = np.lexsort((found, -sums))[:CANDIDATES]
            return found[best].tolist()
        acc: dict[int, float] = {}
        get = acc.get
        for posting, w in parts:
            for number in posting:
                acc[number] = get(number, 0.0) + w
        if len(acc) > CANDIDATES:
            return [k for _, k in heapq.nsmallest(CANDIDATES, ((-v, k) for k, v in acc.items()))]
        return [k for _, k in sorted((-v, k) for k, v in acc.items())]

    def _scores(
        self, uniq: list[str], vector=None, clusters: int = CANDIDATE_CLUSTERS, query=None
    ) -> tuple[dict[int, float], dict[int, float]]:
        """(cluster → score, exemplar number → similarity) for the candidate clusters.

        `vector`: the query's word-vector (see _vector; None: none of its lemmas has one);
        `query`: _query(uniq), when the caller has it."""
        if not uniq or not self._live:
            return {}, {}
        weights, q_size, strong = query or self._query(uniq)
        if q_size == 0:
            return {}, {}
        top = self._walk(weights)
        ex_cluster = self._ex_cluster
        chosen: list[int] = []
        seen: set[int] = set()
        for number in top:
            cluster = ex_cluster[number]
            if cluster < 0 or cluster in seen:
                continue
            if len(chosen) >= clusters:
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

    def _cluster_score(self, query, vector, cluster: int) -> float:
        """A query's (see _query) score against one cluster (the mean over its exemplars),
        as _scores gives it for the clusters it finds."""
        weights, q_size, strong = query
        if q_size == 0:
            return 0.0
        numbers = self._clusters[cluster]
        if not self._vectors:
            vsims = [None] * len(numbers)
        elif vector is None:
            vsims = [0.0] * len(numbers)
        else:
            vsims = (self._vec[numbers] @ vector).tolist()
        sims = [self._similarity(weights, q_size, strong, n, v) for n, v in zip(numbers, vsims, strict=True)]
        if LINKAGE == "max":
            return max(sims)
        if LINKAGE == "mean":
            return sum(sims) / len(sims)
        sims.sort(reverse=True)
        return sum(sims[:2]) / len(sims[:2])

    def nearest(self, terms: Sequence[str], limit: int = 5) -> list[tuple[int, float]]:
        """Clusters scoring at least SHOW, best first."""
        uniq, vec_only = _split(terms)
        by_cluster, _ = self._scores(uniq, self._query_vector(uniq, vec_only))
        found = [(c, s) for c, s in by_cluster.items() if s >= SHOW]
        found.sort(key=lambda cs: (-cs[1], cs[0]))
        return [(c, round(s, 4)) for c, s in found[:limit]]

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

    Order-independent average linkage (UPGMA) over a sparse graph, in rounds. Questions of
    one normalized form are one node, weighing their number; each group of questions has
    exemplars, as in the incremental index (at first every form is a group and its own
    exemplar). A round builds an Index of all groups' exemplars (IDF over them) and scores
    every group that is new since the last round: each of its exemplars against its
    `NEIGHBOURS` best candidates; two groups link with the mean score of one's exemplars
    against the other (a pair below `FLOOR`, or never a candidate, counts as 0). Then the two
    groups with the highest average link (weighted by their sizes, so that merged groups
    keep the average over all their questions) merge, best first, until none reaches
    `MERGE`. A merged group's exemplars are chosen among its parts' (the most central
    first, then the ones least like those: at most MAX_EXEMPLARS), and the next round
    scores it afresh. Rounds end when nothing merges (at most `ROUNDS`).

    The partition depends on the set of items, not on the order they come in (ties are
    broken by the first item of each form). The exemplars returned are the groups' last
    ones, so that the app's Index, rebuilt from them, places the questions of a cluster
    in that cluster (tests/test_clustering.py checks both).
    """
    first, stored, count, item_form = _forms(items)
    split = [_split(t) for t in stored]
    del stored
    n = len(first)
    ex: dict[int, list[int]] = {f: [f] for f in range(n)}  # group (its first form) → exemplar forms
    members: dict[int, list[int]] = {f: [f] for f in range(n)}  # group → its forms
    size: dict[int, int] = dict(enumerate(count))  # group → questions
    links: dict[int, dict[int, float]] = {}  # group → group → link (symmetric)
    fresh = list(range(n))
    for _round in range(ROUNDS):
        index, where = _exemplar_index(ex, split)
        for a, b, link in _scored_links(index, where, ex, split, fresh):
            weight = link * size[a] * size[b]  # kept as the sum over their pairs of questions
            mine = links.setdefault(a, {})
            if weight > mine.get(b, -1.0):  # the higher of a→b and b→a: the same in any order
                mine[b] = weight
                links.setdefault(b, {})[a] = weight
        for g in ex:
            links.setdefault(g, {})
        parent = _average_linkage(dict(size), links, MERGE)
        joined: dict[int, list[int]] = {}
        for g in sorted(ex):
            joined.setdefault(_find_root(parent, g), []).append(g)
        fresh = []
        touched: set[int] = set()
        for parts in joined.values():
            if len(parts) == 1:
                continue
            parts.sort()
            group = parts[0]
            shares = [(f, size[g] / len(ex[g])) for g in parts for f in ex[g]]
            chosen = _exemplars(shares, index, where, split)
            for g in parts:
                for b in links.pop(g, {}):
                    other = links.get(b)
                    if other is not None:
                        other.pop(g, None)
                        touched.add(b)  # it linked to a part: it is scored again
            size[group] = sum(size.pop(g) for g in parts)
            members[group] = sorted(f for g in parts for f in members.pop(g))
            for g in parts:
                del ex[g]
            ex[group] = chosen
            fresh.append(group)
        del index, where
        if not fresh:
            break
        fresh = sorted(set(fresh) | {b for b in touched if b in ex})
    label_of = [0] * n
    is_exemplar = bytearray(n)
    for group, forms in members.items():
        label = first[group]  # forms are numbered by their first item
        for f in forms:
            label_of[f] = label
        for f in ex[group]:
            is_exemplar[f] = 1
    return {item: (label_of[f], bool(is_exemplar[f]) and item == first[f]) for item, f in item_form.items()}


def _links_of(index: Index, where: dict[int, int], ex: dict[int, list[int]], split: list, groups: Sequence[int]):
    """(a, b, link) for each group a of `groups` and each group b among the candidates of
    its exemplars: the mean over a's exemplars of their score against b (see recluster);
    only links of at least FLOOR. Reads the index, changes nothing."""
    out_a, out_b, out_link = array("q"), array("q"), array("d")
    for a in groups:
        found = []
        wanted: set[int] = set()
        for f in ex[a]:
            uniq = split[f][0]
            if not uniq:
                continue
            vector = index._vec[where[f]] if index._vectors else None
            query = index._query(uniq)
            by_cluster, _ = index._scores(uniq, vector, NEIGHBOURS + 1, query)
            found.append((query, vector, by_cluster))
            wanted.update(by_cluster)
        wanted.discard(a)
        for b in sorted(wanted):
            total = 0.0
            for query, vector, by_cluster in found:
                score = by_cluster.get(b)
                total += index._cluster_score(query, vector, b) if score is None else score
            link = total / len(ex[a])
            if link >= FLOOR:
                out_a.append(a)
                out_b.append(b)
                out_link.append(link)
    return out_a, out_b, out_link


#: What the forked scorers read (see _scored_links): set in the parent just before the fork.
_SHARED: tuple = ()


def _links_of_chunk(chunk: Sequence[int]):
    index, where, ex, split = _SHARED
    return _links_of(index, where, ex, split, chunk)


def _scored_links(index: Index, where: dict[int, int], ex: dict[int, list[int]], split: list, fresh: list[int]):
    """Every (a, b, link) of the groups in `fresh` (see _links_of), in order.

    Scoring is most of a large re-cluster's time and each group is scored on its own, so
    with more than PARALLEL_ABOVE groups to score it runs on RECLUSTER_PROCESSES forked
    processes (default: one per CPU), which read the index the parent built (shared,
    copy-on-write) and send back plain arrays. The links are the same either way (the
    caller keeps the higher of a→b and b→a, which does not depend on the order)."""
    processes = RECLUSTER_PROCESSES or os.cpu_count() or 1
    if processes < 2 or len(fresh) <= PARALLEL_ABOVE or "fork" not in multiprocessing.get_all_start_methods():
        yield from zip(*_links_of(index, where, ex, split, fresh), strict=True)
        return
    global _SHARED
    _SHARED = (index, where, ex, split)
    step = max(1, min(PARALLEL_CHUNK, -(-len(fresh) // processes)))
    chunks = [fresh[i : i + step] for i in range(0, len(fresh), step)]
    try:
        with multiprocessing.get_context("fork").Pool(processes) as pool:
            for part in pool.imap(_links_of_chunk, chunks):
                yield from zip(*part, strict=True)
    finally:
        _SHARED = ()


def _forms(items: Iterable[tuple[int, Sequence[str]]]) -> tuple[list[int], list, list[int], dict[int, int]]:
    """(first item, its terms, number of items) of each normalized form, the forms numbered
    by their first item; and item → form. Items without lexical terms are forms of their own."""
    by_key: dict[str, int] = {}
    first: list[int] = []
    stored: list[Sequence[str]] = []
    count: list[int] = []
    item_form: dict[int, int] = {}
    for item, terms in items:
        uniq, _ = _split(terms)
        key = " ".join(uniq) if uniq else None
        f = by_key.get(key) if key is not None else None
        if f is None:
            f = len(first)
            if key is not None:
                by_key[key] = f
            first.append(item)
            stored.append(terms)
            count.append(0)
        elif item < first[f]:
            first[f], stored[f] = item, terms
        count[f] += 1
        item_form[item] = f
    del by_key
    order = sorted(range(len(first)), key=first.__getitem__)
    rank = [0] * len(order)
    for number, f in enumerate(order):
        rank[f] = number
    for item, f in item_form.items():
        item_form[item] = rank[f]
    return [first[f] for f in order], [stored[f] for f in order], [count[f] for f in order], item_form


def _exemplar_index(ex: dict[int, list[int]], split: list) -> tuple[Index, dict[int, int]]:
    """An Index of the groups' exemplars (IDF and word-vector IDF over all of them, as
    if added at once); and exemplar form → its number there."""
    index = Index()
    vectors = index._vectors
    index._vectors = False
    where: dict[int, int] = {}
    numbered: list[int] = []
    for group in sorted(ex):
        for f in ex[group]:
            where[f] = len(numbered)
            numbered.append(f)
            index._add_exemplar(group, index._term_ids(split[f][0], create=True))
    if vectors:
        index._set_vectors([text.vector_lemmas((*split[f][0], *split[f][1])) for f in numbered])
    return index, where


def _find_root(parent: dict[int, int], x: int) -> int:
    while parent[x] != x:
        parent[x] = parent[parent[x]]
        x = parent[x]
    return x


def _average_linkage(size: dict[int, int], links: dict[int, dict[int, float]], stop: float) -> dict[int, int]:
    """UPGMA over a sparse graph, cut at `stop`. Nodes are the keys of `size` (questions in
    each); links[a][b] is the sum of the similarities of all pairs of questions of a and b
    (pairs without an edge count 0), symmetric, and their average link that sum / (size a ·
    size b). Returns union-find parents (see _find_root) of the groups merged while some
    pair's average reached `stop`. Both arguments are changed: a merged node's links are
    those of the group it heads.

    Nearest-neighbour chain: follow each node's best neighbour (ties: the lower number,
    and the previous node in the chain first) until two nodes are each other's best, merge
    them. Average linkage is reducible (a merged group's average to a third is a weighted
    mean of its parts'), so this gives the same groups as merging the best pair first,
    without a heap of stale pairs; a node whose best average is below `stop` is final."""
    parent = {a: a for a in size}
    done: set[int] = set()

    def best(a: int, prefer: int) -> int:
        # The highest average link, if it reaches stop; ties: prefer, then the lowest number.
        # Computed with map() (a merged group can link to thousands of groups, and this runs
        # at every step of the chain), with the same arithmetic as total / (size a · size c).
        mine = links[a]
        if not mine:
            return -1
        avgs = list(map(truediv, mine.values(), map(mul, repeat(size[a]), map(size.__getitem__, mine))))
        top = max(avgs)
        if top < stop:
            return -1
        if avgs.count(top) == 1:
            return next(islice(mine, avgs.index(top), None))
        tied = [c for c, avg in zip(mine, avgs, strict=True) if avg == top]
        return prefer if prefer in tied else min(tied)

    pending = sorted(size, reverse=True)  # a stack: lowest numbers first, merged nodes again
    while pending:
        start = pending.pop()
        if start in done or parent[start] != start:
            continue
        chain = [start]
        while chain:
            a = chain[-1]
            prev = chain[-2] if len(chain) > 1 else -1
            b = best(a, prev)
            if b < 0:
                done.add(a)  # nothing reaches stop now, and merges elsewhere cannot raise it
                chain.pop()
                continue
            if b != prev:
                chain.append(b)
                continue
            chain.pop()
            chain.pop()
            if len(links[a]) < len(links[b]):
                a, b = b, a  # the node with more links survives: fewer entries move
            parent[b] = a
            la, lb = links[a], links[b]
            del la[b]
            del lb[a]
            for c, wc in lb.items():
                lc = links[c]
                del lc[b]
                total = la.get(c, 0.0) + wc
                la[c] = lc[a] = total
            links[b] = {}
            size[a] += size[b]
            pending.append(a)
    return parent


def _exemplars(shares: list[tuple[int, float]], index: Index, where: dict[int, int], split: list) -> list[int]:
    """A merged group's exemplars, among its parts' (form, share of the group's questions it
    stands for): the most central (share-weighted similarity to the others, plus its own
    share), then, most central first, those scoring less than EXEMPLAR_BELOW against every
    exemplar chosen; at most MAX_EXEMPLARS, from the CHOOSE_AMONG largest shares."""
    shares = sorted(shares, key=lambda fs: (-fs[1], fs[0]))[:CHOOSE_AMONG]
    if len(shares) == 1:
        return [shares[0][0]]
    forms = [f for f, _ in shares]
    vectors = index._vec[[where[f] for f in forms]] if index._vectors else None
    cross = vectors @ vectors.T if vectors is not None else None
    sim: dict[tuple[int, int], float] = {}
    for i, f in enumerate(forms):
        uniq = split[f][0]
        if not uniq:
            continue
        weights, q_size, strong = index._query(uniq)
        if q_size == 0:
            continue
        for j in range(i + 1, len(forms)):
            g = forms[j]
            vsim = float(cross[i, j]) if cross is not None else None
            sim[i, j] = sim[j, i] = index._similarity(weights, q_size, strong, where[g], vsim)
    central = []
    for i, (f, share) in enumerate(shares):
        total = share + sum(sim.get((i, j), 0.0) * other for j, (_, other) in enumerate(shares) if j != i)
        central.append((-total, f, i))
    central.sort()
    chosen: list[tuple[int, int]] = []
    for _total, f, i in central:
        if all(sim.get((i, j), 0.0) < EXEMPLAR_BELOW for _, j in chosen):
            chosen.append((f, i))
            if len(chosen) >= MAX_EXEMPLARS:
                break
    return [f for f, _ in chosen]
