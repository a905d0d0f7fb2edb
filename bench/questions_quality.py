"""How well the question bank groups paraphrases: pairwise precision, recall and F1.

    .venv/bin/python bench/questions_quality.py [--csv bench/data/questions_eval.csv] [--orders 5]

The labeled set (bench/data/questions_eval.csv) holds Russian questions of the kind the
families of mobilized men put to the head of state, in groups that ask the same thing
(columns: group, topic, text). Many groups are hard negatives of each other: they share
most words and ask something else («когда демобилизуют» / «когда дадут отпуск» /
«когда будет ротация»; «выплаты за ранение» / «выплаты семьям погибших»).

A pair of questions is a true positive when the method puts them in one cluster and they
are in one group. Printed: the naive baseline (questions with exactly the same set of
lemmas are one cluster), the method without its domain thesaurus, the method as shipped
(in file order, and the mean and worst over shuffled orders, since leader clustering
depends on order), what blocking loses against comparing with every exemplar, and the
group pairs most often merged by mistake. Targets: precision ≥ 0.9, recall ≥ 0.8.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import os
import random
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "homeward.settings")

from homeward.questions import clustering  # noqa: E402
from homeward.questions.text import _morph, form_key, terms, words  # noqa: E402


def load(path: Path) -> tuple[list[str], list[str]]:
    with path.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return [r["text"] for r in rows], [r["group"] for r in rows]


def pair_scores(predicted: list, truth: list) -> tuple[float, float, float, int, int, int]:
    tp = fp = fn = 0
    for i, j in itertools.combinations(range(len(truth)), 2):
        same_p, same_t = predicted[i] == predicted[j], truth[i] == truth[j]
        tp += same_p and same_t
        fp += same_p and not same_t
        fn += same_t and not same_p
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1, tp, fp, fn


def baseline(texts: list[str]) -> list:
    """Exact lemma-set match: all lemmas (pymorphy3), nothing dropped, no thesaurus."""
    morph = _morph()
    return [frozenset(morph.parse(w)[0].normal_form for w in words(t)) for t in texts]


def method(texts: list[str], *, concepts: bool = True, brute: bool = False) -> list:
    all_terms = [terms(t, concepts=concepts) for t in texts]
    forms = {form_key(t): t for t in all_terms}
    df, n = clustering.document_frequencies(forms.values())
    index = clustering.MemoryIndex(clustering.Weights(df, n))
    if brute:
        index.candidates = lambda _terms, _vec=None: list(index.exemplars)
    return [index.assign(t, form_key(t)) for t in all_terms]


def line(name: str, scores, seconds: float | None = None) -> str:
    p, r, f1, tp, fp, fn = scores
    took = f"  {seconds * 1000:7.0f} ms" if seconds is not None else ""
    return f"{name:<44} precision {p:.3f}  recall {r:.3f}  F1 {f1:.3f}  (tp {tp}, fp {fp}, fn {fn}){took}"


def suggestions(texts: list[str], truth: list[str], *, limit: int = 5) -> None:
    """The preview step: before she submits, is a question of her group among the similar
    groups shown (top `limit`, cosine ≥ SHOW)? Counted over questions whose group already
    has an earlier question — there is something to find."""
    all_terms = [terms(t) for t in texts]
    df, n = clustering.document_frequencies({form_key(t): t for t in all_terms}.values())
    index = clustering.MemoryIndex(clustering.Weights(df, n))
    members: dict[object, set[str]] = {}
    seen: set[str] = set()
    hits = chances = shown = 0
    for t, g in zip(all_terms, truth, strict=True):
        found = index.similar(t, limit=limit)
        shown += len(found)
        if g in seen:
            chances += 1
            hits += any(g in members.get(c, ()) for c, _ in found)
        cluster = index.assign(t, form_key(t))
        members.setdefault(cluster, set()).add(g)
        seen.add(g)
    print(
        f"{'preview: a same-group question among top ' + str(limit):<44} hit rate {hits / max(1, chances):.3f} "
        f"({hits} of {chances} questions; {shown / len(texts):.1f} groups shown on average)"
    )


def near_duplicates(texts: list[str], truth: list[str], *, seed: int, variants: int = 3) -> None:
    """The bulk of real traffic: the same question re-typed with greetings, context, typos,
    lost punctuation (bench/questions_synth.py). Recall over pairs of variants of one
    question; precision over every pair put together (same intent group = correct)."""
    from bench.questions_synth import noisy

    rng = random.Random(seed)
    source, group, corpus = [], [], []
    for i, (t, g) in enumerate(zip(texts, truth, strict=True)):
        for _ in range(variants):
            corpus.append(noisy(t, rng))
            source.append(i)
            group.append(g)
    predicted = method(corpus)
    same_source = together_source = together = correct = 0
    for i, j in itertools.combinations(range(len(corpus)), 2):
        joined = predicted[i] == predicted[j]
        if source[i] == source[j]:
            same_source += 1
            together_source += joined
        if joined:
            together += 1
            correct += group[i] == group[j]
    precision = correct / together if together else 1.0
    print(
        f"{'near-duplicates (' + str(variants) + ' noisy variants each)':<44} precision {precision:.3f}  "
        f"recall {together_source / same_source:.3f}  ({len(corpus)} questions)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--csv", type=Path, default=ROOT / "bench" / "data" / "questions_eval.csv")
    parser.add_argument("--orders", type=int, default=5, help="shuffled orders to try")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    texts, truth = load(args.csv)
    print(f"{len(texts)} questions in {len(set(truth))} groups ({args.csv.relative_to(ROOT)})")
    print(
        f"JOIN={clustering.JOIN} EXEMPLAR_BELOW={clustering.EXEMPLAR_BELOW} QUERY_TOP={clustering.QUERY_TOP} "
        f"INDEX_TOP={clustering.INDEX_TOP}"
    )

    t0 = time.perf_counter()
    print(line("baseline: exact lemma-set match", pair_scores(baseline(texts), truth), time.perf_counter() - t0))
    t0 = time.perf_counter()
    print(line("lemmas + IDF cosine, no thesaurus", pair_scores(method(texts, concepts=False), truth)))
    t0 = time.perf_counter()
    shipped = method(texts)
    took = time.perf_counter() - t0
    scores = pair_scores(shipped, truth)
    print(line("shipped (file order)", scores, took))
    print(line("shipped, no blocking (every exemplar)", pair_scores(method(texts, brute=True), truth)))

    rng = random.Random(args.seed)
    runs = []
    for _ in range(args.orders):
        order = list(range(len(texts)))
        rng.shuffle(order)
        predicted = method([texts[i] for i in order])
        back = [None] * len(texts)
        for pos, i in enumerate(order):
            back[i] = predicted[pos]
        runs.append(pair_scores(back, truth))
    if runs:
        mean = [sum(r[k] for r in runs) / len(runs) for k in range(3)]
        worst = min(runs, key=lambda r: r[2])
        print(
            f"{'shipped, ' + str(len(runs)) + ' shuffled orders':<44} mean precision {mean[0]:.3f}  recall "
            f"{mean[1]:.3f}  F1 {mean[2]:.3f}; worst F1 {worst[2]:.3f} (P {worst[0]:.3f}, R {worst[1]:.3f})"
        )

    clusters = Counter(shipped)
    print(
        f"clusters: {len(clusters)} for {len(set(truth))} groups; singletons: {sum(v == 1 for v in clusters.values())}"
    )
    merged = Counter()
    for i, j in itertools.combinations(range(len(texts)), 2):
        if shipped[i] == shipped[j] and truth[i] != truth[j]:
            merged[tuple(sorted((truth[i], truth[j])))] += 1
    if merged:
        print("groups merged by mistake (pairs):", ", ".join(f"{a}+{b} {n}" for (a, b), n in merged.most_common(8)))
    suggestions(texts, truth)
    near_duplicates(texts, truth, seed=args.seed)
    p, r = scores[0], scores[1]
    print(
        f"targets: precision ≥ 0.9 {'met' if p >= 0.9 else 'NOT met'}, recall ≥ 0.8 {'met' if r >= 0.8 else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
