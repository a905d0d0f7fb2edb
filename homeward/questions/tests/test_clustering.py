"""Clustering of questions: incremental placement, lookup, full re-cluster (pure Python)."""

from __future__ import annotations

import itertools
import random

import pytest

from homeward.questions import clustering
from homeward.questions.clustering import JOIN, SHOW, Index, Placement, recluster
from homeward.questions.text import terms

# Hand-made groups (not from the evaluation set). Groups in one block share words and ask
# different things: they must not be merged.
GROUPS = {
    "demob": [
        "Когда демобилизуют мобилизованных?",
        "Когда наших мужей вернут домой насовсем?",
        "Когда будет демобилизация? Мужья служат уже третий год.",
        "когда мобиков уволят со службы и отпустят домой",
    ],
    "leave": [
        "Когда мобилизованным дадут отпуск?",
        "Мужа не отпускают в отпуск больше года, когда дадут отпуск?",
        "Когда мобилизованные поедут в отпуск?",
    ],
    "pay_delay": [
        "Почему задерживают выплаты мобилизованным?",
        "Мужу третий месяц задерживают зарплату, почему?",
        "Почему выплаты мобилизованным приходят с задержкой?",
    ],
    "pay_death": [
        "Когда семьям погибших выплатят компенсацию?",
        "Какую компенсацию получит семья погибшего мобилизованного?",
        "Выплаты семьям погибших мобилизованных: когда их получат?",
    ],
    "gas": [
        "Когда проведут газ в дома семей мобилизованных бесплатно?",
        "Будет ли бесплатная газификация для семей мобилизованных?",
    ],
}


def _labels(texts):
    return recluster(enumerate(terms(t) for t in texts))


def test_constants_are_ordered():
    assert 0 < SHOW <= JOIN < 1


@pytest.mark.parametrize("group", sorted(GROUPS))
def test_must_link(group):
    texts = GROUPS[group]
    labels = _labels(texts)
    assert len({labels[i][0] for i in range(len(texts))}) == 1, group


def test_cannot_link():
    texts, truth = [], []
    for name, group in GROUPS.items():
        texts += group
        truth += [name] * len(group)
    labels = _labels(texts)
    for i, j in itertools.combinations(range(len(texts)), 2):
        if truth[i] != truth[j]:
            assert labels[i][0] != labels[j][0], (texts[i], texts[j])


def test_place_joins_or_opens():
    index = Index()
    p = index.place(terms("Когда демобилизуют мобилизованных?"), 10)
    assert p == Placement(10, True, True)
    assert len(index) == 1
    p = index.place(terms("Когда наших мужей вернут домой насовсем?"), 11)
    assert p.cluster == 10 and not p.created
    p = index.place(terms("Почему задерживают выплаты мобилизованным?"), 12)
    assert p == Placement(12, True, True)
    assert len(index) == 2
    # the same normalized form joins at once, and is not another exemplar
    p = index.place(terms("Владимир Владимирович, когда демобилизуют мобилизованных?"), 13)
    assert p == Placement(10, False, False)


def test_nearest_lists_similar_clusters_best_first():
    index = Index()
    index.add(1, terms("Когда демобилизуют мобилизованных?"))
    index.add(2, terms("Когда мобилизованным дадут отпуск?"))
    index.add(3, terms("Будет ли газификация для семей мобилизованных?"))
    found = index.nearest(terms("когда мобилизованных вернут домой насовсем"))
    assert found and found[0][0] == 1
    assert all(s >= SHOW for _, s in found)
    assert [s for _, s in found] == sorted((s for _, s in found), reverse=True)
    assert len(index.nearest(terms("Когда демобилизуют?"), limit=1)) <= 1
    assert index.nearest(()) == []
    assert index.nearest(terms("hello world")) == []


def test_neighbours_offer_a_split_paraphrase_to_merge_and_not_another_ask():
    index = Index()
    index.add(1, terms("Когда демобилизуют мобилизованных?"))
    index.add(1, terms("Когда наших мужей вернут домой насовсем?"))
    index.add(2, terms("когда мобиков уволят со службы и отпустят домой"))  # the same ask, split apart
    index.add(3, terms("Почему задерживают выплаты мобилизованным?"))
    index.add(4, terms("Будет ли газификация для семей мобилизованных?"))
    found = index.neighbours(1)
    assert [c for c, _ in found][:1] == [2]
    assert all(c not in (1, 3, 4) for c, _ in found)
    assert all(s >= clustering.SUGGEST for _, s in found)
    assert [s for _, s in found] == sorted((s for _, s in found), reverse=True)
    assert 1 in [c for c, _ in index.neighbours(2)]
    assert index.neighbours(1, limit=0) == []
    assert index.neighbours(99) == []
    index.discard(2)
    assert all(c != 2 for c, _ in index.neighbours(1))


def test_neighbours_of_a_group_with_many_exemplars_still_find_the_split_paraphrase():
    # a group a coordinator merged may hold more exemplars than placement gives one
    index = Index()
    for text in GROUPS["demob"][:3] * 70:
        index.add(1, terms(text))
    index.add(2, terms(GROUPS["demob"][3]))
    index.add(3, terms("Почему задерживают выплаты мобилизованным?"))
    assert [c for c, _ in index.neighbours(1)][:1] == [2]


def test_discard_forgets_a_cluster():
    index = Index()
    index.add(1, terms("Когда демобилизуют мобилизованных?"))
    index.add(1, terms("Когда наших мужей вернут домой насовсем?"))
    index.add(2, terms("Когда мобилизованным дадут отпуск?"))
    assert len(index) == 2
    index.discard(1)
    assert len(index) == 1
    assert all(c != 1 for c, _ in index.nearest(terms("Когда демобилизуют мобилизованных?")))
    p = index.place(terms("Когда демобилизуют мобилизованных?"), 5)
    assert p == Placement(5, True, True)
    index.discard(99)  # unknown: nothing happens


def test_empty_terms_still_place():
    index = Index()
    p = index.place((), 1)
    assert p.created and p.cluster == 1
    q = index.place((), 2)
    assert q.created and q.cluster == 2
    assert index.place(terms("Когда дадут отпуск?"), 3).created
    assert index.nearest(()) == []


@pytest.mark.parametrize("text", ["", "😀", "hello", "мобилизoванных", "а" * 100000, "Когда? " * 5000])
def test_odd_text_places(text):
    index = Index()
    index.add(1, terms("Когда демобилизуют мобилизованных?"))
    assert isinstance(index.place(terms(text), 2), Placement)
    index.nearest(terms(text))


def _corpus():
    texts = [t for group in GROUPS.values() for t in group]
    texts += ["Когда закончится война?", "Когда будет ротация?", "", "😀", "hello"]
    rng = random.Random(3)
    out = []
    for _ in range(4):
        batch = texts[:]
        rng.shuffle(batch)
        out += batch
    return out


def test_recluster_agrees_with_incremental_placement():
    items = [(100 + i, terms(t)) for i, t in enumerate(_corpus())]
    full = recluster(items)
    index = Index()
    incremental = {}
    for item, ts in items:
        p = index.place(ts, item)
        incremental[item] = (p.cluster, p.exemplar)
    assert full == incremental
    # labels are the id of an item of the cluster, its first
    for item, (label, _) in full.items():
        assert full[label][0] == label
        assert label <= item
    # deterministic for the same input order
    assert recluster(items) == full


def test_restored_index_places_like_the_live_one():
    """After a restart the app replays exemplars with add(): placement goes on the same."""
    items = [(i, terms(t)) for i, t in enumerate(_corpus())]
    half = len(items) // 2
    live = Index()
    placed = {}
    for item, ts in items[:half]:
        placed[item] = live.place(ts, item)
    restored = Index()
    for item, ts in items[:half]:
        if placed[item].exemplar:
            restored.add(placed[item].cluster, ts)
    assert len(restored) == len(live)
    for item, ts in items[half:]:
        a, b = live.place(ts, item), restored.place(ts, item)
        assert a.cluster == b.cluster and a.created == b.created


def test_every_cluster_has_an_exemplar():
    full = recluster((i, terms(t)) for i, t in enumerate(_corpus()))
    labels = {label for label, _ in full.values()}
    with_exemplar = {label for label, ex in full.values() if ex}
    assert labels == with_exemplar


def test_exemplars_are_capped():
    index = Index()
    base = "Когда мобилизованным дадут отпуск"
    extra = ["летом", "зимой", "весной", "осенью", "наконец", "положенный", "долгожданный", "обещанный", "очередной"]
    kept = 1
    index.place(terms(base), 1)
    for i, word in enumerate(extra * 2):
        p = index.place(terms(f"{base} {word} {extra[(i + 1) % len(extra)]}"), 100 + i)
        kept += p.exemplar
    assert kept <= clustering.MAX_EXEMPLARS


def test_vector_only_terms_are_not_matched_lexically():
    assert clustering._split(["~б", "а", "#x", "?w", "~a", "zz"]) == (["#x", "?w", "zz", "а"], ["~a", "~б"])
    index = Index()
    index.add(1, ["#leave", "?when", "~отпуск"])
    # same lexical form, other words behind the concept: the form joins at once
    assert index.place(["#leave", "?when", "~побывка"], 2) == Placement(1, False, False)
    # nothing shared but a vector-only term: no candidate
    assert index.nearest(["#gas", "~отпуск"]) == []


def test_without_word_vectors_the_score_is_lexical(monkeypatch):
    texts = [t for group in GROUPS.values() for t in group]
    with_vectors = _labels(texts)
    monkeypatch.setattr(clustering, "USE_VECTORS", False)
    lexical = _labels(texts)
    index = Index()
    assert index._vectors is False
    if not clustering.text.vectors_available():
        assert lexical == with_vectors


@pytest.mark.skipif(not clustering.text.vectors_available(), reason="natasha/navec not installed")
def test_word_vectors_are_restored_from_the_stored_terms():
    texts = [t for group in GROUPS.values() for t in group]
    live = Index()
    exemplars = []
    for i, t in enumerate(texts):
        ts = terms(t)
        p = live.place(ts, i)
        if p.exemplar:
            exemplars.append((p.cluster, " ".join(ts)))
    restored = Index()
    for cluster, stored in exemplars:
        restored.add(cluster, stored.split())
    n = len(exemplars)
    assert (live._vec[:n] == restored._vec[:n]).all()
    assert live._vdf == restored._vdf
    before = dict(restored._vdf)
    restored.add(10_000, terms("Когда дадут отпуск мобилизованным?"))
    restored.discard(10_000)
    assert {k: v for k, v in restored._vdf.items() if v} == {k: v for k, v in before.items() if v}


def test_terms_most_exemplars_hold_weigh_less():
    """Inverse document frequency: a term every cluster holds says little about which one
    a question belongs to; a term one cluster holds weighs (nearly) its static weight."""
    index = Index()
    for i in range(300):
        index.add(i, ["общий", f"редкий{i}"])
    common, rare = index._term_ids(["общий", "редкий7"], create=False)
    assert index._weight(rare) > 0.85
    assert index._weight(common) < 0.25
    assert index._weight(-1, 1.0) == 1.0  # unknown to the index: the static weight
    # a small index leans on the prior: a term its only exemplar holds still weighs most of its weight
    small = Index()
    small.add(1, ["общий"])
    assert small._weight(small._term_ids(["общий"], create=False)[0]) > 0.8
