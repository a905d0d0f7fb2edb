"""Pair scores of the question bank, without clustering: which features rank same-group pairs first.

    .venv/bin/python bench/questions_pairs.py [--half tune|held-out|full]

Every pair of questions of the chosen half of bench/data/questions_eval.csv (the tune
half by default: the one features are chosen on, see questions_quality.py) is scored by
each feature alone and by mixes of them; printed for each: the recall at pairwise
precision 0.9 (the share of same-group pairs ranked above the point where 10% of the
pairs taken are wrong) and the average precision. Clustering adds transitivity and order
effects on top; a feature that does not rank pairs better here did not cluster better
either. Features:

* lex: cosine of the static term weights (clustering.term_weight), ``~`` terms left out;
* lex_idf: the same times IDF over the questions of the half, normalized as in
  clustering.Index._weight (with its prior);
* vec: cosine of the IDF-weighted mean navec vectors (plain and ``~`` lemmas);
* align: soft alignment, BERTScore-like: for each lemma of one side, its best cosine to
  the other side's lemmas, IDF-weighted, averaged both ways;
* mixes: (1 - share) · lex_idf + share · (vec or align), times MISMATCH per strong
  concept only one side has (as the engine does).
"""

from __future__ import annotations

import argparse
import itertools
import math
import sys
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.questions_quality import held_out, load  # noqa: E402
from homeward.questions import clustering, text  # noqa: E402
from homeward.questions.text import terms, vector_lemmas  # noqa: E402


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    shared = sum(w * b[t] for t, w in a.items() if t in b)
    na, nb = math.sqrt(sum(w * w for w in a.values())), math.sqrt(sum(w * w for w in b.values()))
    return shared / (na * nb) if na and nb else 0.0


def ranking(scores: np.ndarray, same: np.ndarray, target: float = 0.9) -> tuple[float, float]:
    """(recall at pairwise precision ≥ target, average precision)."""
    order = np.argsort(-scores, kind="stable")
    hits = same[order]
    tp = np.cumsum(hits)
    precision = tp / np.arange(1, len(hits) + 1)
    recall = tp / same.sum()
    ok = precision >= target
    return (float(recall[ok].max()) if ok.any() else 0.0), float((precision * hits).sum() / same.sum())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--csv", type=Path, default=ROOT / "bench" / "data" / "questions_eval.csv")
    parser.add_argument("--half", choices=("tune", "held-out", "full"), default="tune")
    args = parser.parse_args()
    texts, truth = load(args.csv)
    keep = [i for i, g in enumerate(truth) if args.half == "full" or held_out(g) == (args.half == "held-out")]
    ts = [terms(texts[i]) for i in keep]
    groups = [truth[i] for i in keep]
    n = len(ts)
    df = Counter(t for q in ts for t in set(q))
    n_idf = n + clustering.IDF_PRIOR

    def idf(t: str) -> float:
        base = clustering.IDF_BASE
        return (math.log((n_idf + 1) / (df[t] + 1)) + base) / (math.log(n_idf + 1) + base)

    lex = [{t: clustering.term_weight(t) for t in q if not t.startswith(text.VECTOR_ONLY)} for q in ts]
    lex_idf = [{t: w * idf(t) for t, w in q.items()} for q in lex]
    strong = [{t for t in q if clustering._is_strong(t)} for q in ts]
    mats = []
    for q in ts:
        found = [lem for lem in sorted(set(vector_lemmas(q))) if text.lemma_vector(lem) is not None]
        m = np.array([text.lemma_vector(lem) for lem in found]).reshape(len(found), text.VECTOR_DIM)
        w = np.array([idf(text.VECTOR_ONLY + lem) if df[text.VECTOR_ONLY + lem] else idf(lem) for lem in found])
        mean = (w[:, None] * m).sum(0) if found else np.zeros(text.VECTOR_DIM)
        norm = np.linalg.norm(mean)
        mats.append((m, w, mean / norm if norm else mean))

    cols: dict[str, list[float]] = {k: [] for k in ("lex", "lex_idf", "vec", "align", "mismatch")}
    same = []
    for i, j in itertools.combinations(range(n), 2):
        same.append(groups[i] == groups[j])
        cols["lex"].append(cosine(lex[i], lex[j]))
        cols["lex_idf"].append(cosine(lex_idf[i], lex_idf[j]))
        (ma, wa, va), (mb, wb, vb) = mats[i], mats[j]
        cols["vec"].append(float(va @ vb))
        if len(wa) and len(wb):
            s = ma @ mb.T
            cols["align"].append(float(((s.max(1) * wa).sum() / wa.sum() + (s.max(0) * wb).sum() / wb.sum()) / 2))
        else:
            cols["align"].append(0.0)
        cols["mismatch"].append(len(strong[i] ^ strong[j]))
    y = np.array(same, dtype=float)
    c = {k: np.array(v) for k, v in cols.items()}
    factor = clustering.MISMATCH ** c["mismatch"]
    print(f"{args.half}: {n} questions, {int(y.sum())} same-group pairs of {len(y)}")
    rows = [(k, c[k]) for k in ("lex", "lex_idf", "vec", "align")]
    rows += [("lex · mismatch", c["lex"] * factor), ("lex_idf · mismatch", c["lex_idf"] * factor)]
    for share in (0.2, 0.3, 0.4):
        for other in ("vec", "align"):
            rows.append(
                (
                    f"({1 - share:.1f} lex_idf + {share:.1f} {other}) · mismatch",
                    ((1 - share) * c["lex_idf"] + share * c[other]) * factor,
                )
            )
    for name, scores in rows:
        r, ap = ranking(scores, y)
        print(f"{name:<42} recall at P 0.9 {r:.3f}  average precision {ap:.3f}")


if __name__ == "__main__":
    main()
