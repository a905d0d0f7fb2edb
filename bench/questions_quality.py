"""How well the question bank groups paraphrases: pairwise precision, recall and F1.

    .venv/bin/python bench/questions_quality.py [--csv bench/data/questions_eval.csv] [--orders 5]
        [--heldout-csv bench/data/questions_eval2.csv bench/data/questions_eval3.csv ...] [--dev-only]

--dev-only prints the dev figures alone (the tune half, questions_eval2.csv and
questions_eval3.csv), for work that must not see the test data (the held-out half and
questions_eval4.csv).

The labeled set (bench/data/questions_eval.csv) holds Russian questions of the kind the
families of mobilized men put to the head of state, in groups that ask the same thing
(columns: group, topic, text). Many groups are hard negatives of each other: they share
most words and ask something else («когда демобилизуют» / «когда дадут отпуск» /
«когда будет ротация»; «выплаты за ранение» / «выплаты семьям погибших»).

A pair of questions is a true positive when the method puts them in one cluster and they
are in one group. Printed: the naive baseline (questions with exactly the same set of
lemmas are one cluster), the method without its domain thesaurus, the method as shipped
(`clustering.recluster`, in file order, and the mean and worst over shuffled orders,
since sequential clustering depended on order), the group pairs most often merged by
mistake, the preview step (`Index.nearest`), noisy near-duplicates, and the two halves
of the set: the engine's thesaurus and constants were tuned looking at the "tune" half
only (groups whose crc32 is even); the "held-out" half is the honest figure.
Targets: precision ≥ 0.9, recall ≥ 0.8.

Since the order-independent re-cluster (see the last section), the dev data is the tune
half AND the whole of questions_eval2.csv (it had been looked at); the held-out half is
the only test data: do not read its rows or its confusions while developing (the "groups
merged by mistake" line covers the full set, so it shows held-out groups too).

Word vectors (navec, from the natasha wheel; clustering.py mixes their cosine into the
score) are used when installed; the "lexical only" lines show the method without them.
The mix (0.7 · lexical + 0.3 · vector cosine; IDF-weighted mean of all content lemmas,
``~`` terms included) was chosen on the tune half, then measured once on the held-out half.

Term weights are IDF over the exemplars (clustering.Index._weight, with a prior of 50
pseudo-exemplars) and JOIN is 0.45 (the best shuffled-order F1 on the tune half; 0.50
was the best with precision ≥ 0.9 there). Measured (file order; mean of 5 shuffled
orders in brackets), `.venv/bin/python bench/questions_quality.py`:

                  before (damping, JOIN 0.50)        IDF, JOIN 0.45 (shipped)
    full set      P 0.779 R 0.717 (0.756 / 0.654)   P 0.753 R 0.769 (0.678 / 0.704)
    tune half     P 0.924 R 0.812 (0.887 / 0.756)   P 0.962 R 0.869 (0.874 / 0.811)
    held-out half P 0.916 R 0.648 (0.874 / 0.596)   P 0.883 R 0.710 (0.829 / 0.683)

Lexical only (IDF, JOIN 0.45): full set P 0.778 R 0.777, held-out half P 0.890 R 0.683.
The targets are met on the tune half only: on the held-out half recall rose by 0.06-0.09
and precision fell by 0.03-0.05; on the full set (twice the groups, so twice the hard
negatives near each cluster) shuffled precision fell most. After the choice of JOIN was
made, the same engine at JOIN 0.50 measured full set P 0.829 R 0.696 (0.791 / 0.682),
held-out P 0.912 R 0.638 (0.888 / 0.618): better than before on every figure but short
of the recall target; not shipped, as that would choose on the held-out half.

Tried and rejected on the tune half: the vectors of the concept tokens (the mean of
their entries; lower precision: they repeat what the concepts already say), a "rescue"
bonus only above a vector cosine of 0.6-0.8, thesaurus entries added from the navec
neighbours of each concept (3-10 a concept; noisy, lower P and R). Measured on pairs of
tune-half questions (recall at pairwise precision 0.9, no clustering;
bench/questions_pairs.py): IDF lifts the lexical cosine from 0.62 to 0.72; a
BERTScore-like soft alignment of lemmas (each lemma's best navec cosine on the other
side, IDF-weighted, symmetrised) mixed with it in place of the mean-vector cosine gives
0.70-0.74 against 0.73-0.75, no gain worth a per-pair matrix product; a logistic
regression (ad hoc script, not kept) over lexical cosine (static weights), vector cosine,
alignment and concept mismatches: 0.63-0.68 against 0.66 for the mix of that time. Clustering, tune
half: with static weights, the ``~`` words matched lexically (weight 0.3-1) and max
linkage; with IDF weights, max linkage, weighted Dice and Jaccard, MISMATCH 0.8 / 0.95,
intent weight 0.5 / 1.5, concept weight 2 / 4, 4 exemplars, EXEMPLAR_BELOW 0.8, vector
share 0.2 / 0.4 (all within ±0.01 shuffled F1, or worse).

Fresh held-out set (bench/data/questions_eval2.csv, `--heldout-csv`): 326 questions in 67
groups over 25 topics, written after the tuning above without reading the engine, its
thesaurus or questions_eval.csv, with more hard negatives per topic (leave: when / how
long / after a wound; missing: search / pay / declared dead; captivity: exchange / lists /
pay) and topics the old set lacks. Never used to choose anything. Same engine (IDF, JOIN 0.45):

    fresh held-out set  P 0.686 R 0.563 F1 0.618 (mean of 5 shuffled orders: P 0.664 R 0.530 F1 0.589)

Both targets are missed by a wide margin there (worst shuffled F1 0.578): lower than the
held-out half above, recall most of all.

Order-independent re-cluster and a thesaurus revised on the dev data. clustering.recluster
no longer places questions one by one in order (shuffled orders scored far below file
order): it is average linkage (UPGMA) over a sparse graph of scored pairs, in rounds —
normalized forms first, then groups compared through their exemplars with the same
similarity — merging the best pair first until no average reaches MERGE = 0.40 (JOIN,
for one new question against a cluster's exemplars, stays 0.45). The thesaurus got
concepts that tell what is asked from the topic (#search out of #missing, #identify out
of #body, #creditholiday, #refund, #parentrights, #queue, #medsupply) and subjects the
fresh set had no concept for (#volunteer, #cohabit, #noanswer; «плата», «гробовые» in
#pay), written from the dev data. The held-out half was measured once for this table
(and once more for the MERGE 0.45 line below); file order, mean of 5 shuffled orders in
brackets (the partition no longer depends on the order; item ids still do, for ties):

                        before (sequential, JOIN 0.45)   after (UPGMA, MERGE 0.40)
    full set            P 0.753 R 0.769 (0.678 / 0.704)  P 0.689 R 0.808 (0.702 / 0.803)
    tune half (dev)     P 0.962 R 0.869 (0.874 / 0.811)  P 0.917 R 0.917 (0.929 / 0.922)
    held-out half (test) P 0.883 R 0.710 (0.829 / 0.683) P 0.872 R 0.771 (0.872 / 0.771)
    eval2 (dev)         P 0.686 R 0.563 (0.664 / 0.530)  P 0.808 R 0.700 (0.823 / 0.703)
    lexical only: full  P 0.778 R 0.777                  P 0.707 R 0.791
    lexical only: held-out P 0.890 R 0.683               P 0.811 R 0.760
    preview hit rate    0.931                            0.938
    near-duplicates     P 0.805 R 0.959                  P 0.727 R 0.967

F1: held-out 0.787 → 0.818 (shuffled mean 0.749 → 0.818), full set 0.761 → 0.744
(shuffled 0.691 → 0.749), tune 0.913 → 0.917 (shuffled 0.841 → 0.925), eval2 0.618 →
0.750 — eval2 is dev data now and thesaurus entries were written from it, so its gain is
not an honest figure; the held-out half is. Neither target is met on the test data:
precision fell by 0.011 there, recall rose by 0.061, and on the full set (twice the
groups, so twice the hard negatives near each cluster) and the noisy near-duplicates the
lower threshold costs much precision.

The steps, on the dev data (file order; tune half | eval2):
* the re-cluster alone, MERGE = JOIN 0.45: P 0.958 R 0.867 | P 0.722 R 0.575 (shuffled
  0.966 / 0.859 | 0.722 / 0.575; sequential placement: 0.857 / 0.809 | 0.661 / 0.528);
* MERGE swept 0.38-0.46 (old thesaurus): 0.40 gave 0.921 / 0.939 | 0.684 / 0.669;
* thesaurus, first batch: MERGE 0.45 0.966 / 0.859 | 0.810 / 0.587, MERGE 0.40 0.927 /
  0.923 | 0.797 / 0.672; second batch, MERGE 0.40: 0.917 / 0.917 | 0.811 / 0.700 (the
  best F1 on both dev sets with precision ≥ 0.9 on the tune half: shipped); a fix
  («без ответа» had made every «ответ» #noanswer): 0.917 / 0.917 | 0.808 / 0.700.
* the incremental path (Index.place in order, final thesaurus): JOIN 0.45 0.961 / 0.855
  | 0.815 / 0.587 (shuffled 0.875 / 0.793 | 0.746 / 0.562); JOIN 0.40 and 0.42 were
  level in shuffled F1 (0.828-0.835 | 0.649-0.655) and less precise: JOIN kept.
Tried and rejected on the dev data: MISMATCH 0.7 / 0.8 with the re-cluster (tune F1 0.925
→ 0.816 / 0.874 at MERGE 0.40: recall falls far more than precision rises); VECTOR_SHARE
0.25 / 0.45 (tune 0.930 / 0.908, eval2 0.696 / 0.687 against 0.925 | 0.729); FLOOR 0.1-0.3
and NEIGHBOURS 8-32 (within ±0.01 F1 at this size); averaging a pair of groups over the
scored pairs only instead of counting unscored pairs 0 (chains: tune precision 0.38-0.80);
a single merge over forms followed by regrouping (fragments at scale: 23k forms of 60k
synthetic questions left 7.6k groups, so the merge goes on in rounds over exemplars); a
heap of candidate pairs (replaced by a nearest-neighbour chain: the same groups, 12.5 →
1.8 s of a 60k profile); np.bincount over a dense array for long walks (no gain over
np.unique). The union of the two dev sets is no measure: the same asks carry different
group names in the two files (precision about 0.5 at any MERGE).

After the held-out measurement, for the record only: MERGE 0.45 measured full set P 0.801
R 0.767 (0.794 / 0.768), tune 0.955 / 0.848, held-out P 0.911 R 0.733 (F1 0.812 against
0.818), eval2 0.833 / 0.613, near-duplicates P 0.807 R 0.959. Level with 0.40 on the
held-out half in F1 but far more precise on the full set and the near-duplicates; not
switched, as that would choose on the held-out half. A new blind set should decide
MERGE (real campaigns have many more groups than these sets, which favours 0.45).

Scale (bench/questions_engine_scale.py --n 300000, same machine, back to back with other
work): recluster() 44.5 s wall, 42.3 s CPU, peak 231 MB, 744 clusters before; 68.2 s
wall, 60.0 s CPU, peak 647 MB, 498 clusters after (80,298 distinct forms both).

A blind test set (bench/data/questions_eval3.csv): 411 questions in 86 groups over 36
topics, written after all of the above by someone who read neither the engine, its
thesaurus nor the earlier sets, with two or three hard negatives in most topics (payments:
late / how much / who receives; leave: how often / how long / refused; missing: search /
pay / declared dead) and colloquial noise («мобики», «скока», Latin look-alikes). MERGE
0.40 was declared the shipped value before this set was first scored. Measured once each
(file order; mean of shuffled orders in brackets):

    shipped (UPGMA, MERGE 0.40)          P 0.390 R 0.621 F1 0.480 (5 orders: 0.402 / 0.627)
    the engine before (dc384d6: placement
      in order, JOIN 0.45, old thesaurus) P 0.426 R 0.608 F1 0.501 (2 orders: 0.408 / 0.578)
    for the record, MERGE 0.45           P 0.451 R 0.596 F1 0.514 (2 orders: 0.435 / 0.596)

On data nobody tuned on, the engine is far from the targets, and this session's changes
(the order-independent re-cluster, the revised thesaurus) are level with the engine before
them (F1 0.480-0.514 for all three): what they gained on the held-out half did not carry
to new wording and new topics. 91 clusters for 86 groups, yet precision 0.39: of 787
wrongly joined pairs, 455 join hard negatives of one topic and 332 join different topics
— lemmas, a hand-written thesaurus and mean word vectors cannot tell "how much is paid"
from "the payment is late". Telling them apart needs a model of what a question asks
(a sentence encoder trained on Russian paraphrase, or a classifier of the ask trained on
labeled questions). It would have to ship inside a registry package, since nothing may be
downloaded at run time (the embedding libraries found, e.g. fastembed, fetch their models);
the previous session found none for Russian, and the eval sets here are too small to train
one and still measure it.

Then the order-independent re-cluster was taken out again (the thesaurus stays): at
--n 3000000 (bench/questions_engine_scale.py) it ran 698 s on one CPU, 626 s with its
scoring forked over both CPUs and 851 s after a change to its linkage step, all past the
issue's 10-minute target (placement in order, the earlier figure: 471 s), and it held
4.4 GB against 0.7 GB. On the blind set it had gained nothing. Shipped now: placement in
order (JOIN 0.45) with the revised thesaurus. This is a fourth scoring of eval3, of a
configuration chosen on scale, not on it (file order; mean of 3 shuffled orders):

    full set            P 0.782 R 0.767 F1 0.774 (0.712 / 0.701)
    tune half (dev)     P 0.961 R 0.855 F1 0.905 (0.864 / 0.791)
    held-out half       P 0.886 R 0.704 F1 0.785 (0.838 / 0.694)
    eval2 (dev)         P 0.815 R 0.587 F1 0.682 (0.735 / 0.554)
    eval3 (blind test)  P 0.450 R 0.597 F1 0.513 (0.436 / 0.580)

Thesaurus entries of function words and one content word («без ноги», «центр э», «принять
нас»): the loader used to drop the function words and tag every question with «нога»,
«центр», «принять»; it now keeps them when one word would be left (text.entry_words),
and each of the 40 such entries was decided on its own (removed where the word was
already an entry of the concept; kept as a phrase where the word alone means something
else; «куда обращаться» out of #hotline). Dev data only (`--dev-only`), file order;
mean of 5 shuffled orders in brackets:

                                      tune half                    eval2
    before                            P 0.961 R 0.855 F1 0.905    P 0.815 R 0.587 F1 0.682
                                      (0.880 / 0.794 / 0.835)     (0.745 / 0.560 / 0.640)
    phrases, entry by entry           P 0.883 R 0.842 F1 0.862    P 0.824 R 0.657 F1 0.731
                                      (0.860 / 0.803 / 0.830)     (0.760 / 0.615 / 0.680)
    «удостоверение» out of #familyid  P 0.911 R 0.846 F1 0.877    P 0.824 R 0.657 F1 0.731
                                      (0.877 / 0.809 / 0.841)     (0.754 / 0.613 / 0.676)
    «платить боевые», «отдых в тылу»  P 0.911 R 0.846 F1 0.877    P 0.826 R 0.669 F1 0.739
                                      (0.877 / 0.809 / 0.841)     (0.757 / 0.625 / 0.685)

Tried before: the same loader rule with the entries as they were, tune 0.862, eval2 0.722;
deleting five of the worst entries, 0.891 / 0.704. The file-order tune loss is the wrong
concepts' accidental separations (#combat on every «боевых действий», #meeting on «примут
закон»); shuffled, the tune half is level or better. Test data not scored for this.

Merge suggestions (clustering.Index.neighbours; each group's page lists them with a merge
button): the other groups scoring at least SUGGEST against it, average linkage over its
exemplars. Placement splits paraphrases more often than it merges hard negatives; the
"merge suggestions" lines count the split pieces a coordinator is offered and the figures
once she has merged every right suggestion. SUGGEST chosen on the dev data (after the
thesaurus fix; right suggestions / suggested pairs, and recall after merging them):

                  tune half                       eval2
    SUGGEST 0.25  14/40 pairs, R 0.846 → 0.949     39/117 pairs, R 0.669 → 0.858
    SUGGEST 0.30  13/23 pairs, R 0.846 → 0.941     32/77 pairs,  R 0.669 → 0.832  (shipped)
    SUGGEST 0.35  12/16 pairs, R 0.846 → 0.935     25/54 pairs,  R 0.669 → 0.799

Also tried on the dev data and not kept: general-language word frequency (wordfreq's
Zipf figures) damping common lemmas (tune F1 0.905 → 0.865-0.892, eval2 0.682 →
0.694-0.714: within noise, and a 58 MB dependency); reading only the sentences that ask
(context sentences dropped or reduced to their concepts: tune F1 0.60-0.85, eval2
0.55-0.65, far worse: the ask sentence often lacks its subject, «Когда вернут?»); flagging
the members least like their group for a split (the wrongly joined questions score no
lower against their group than the right ones: on eval2, 2 of 8 flagged are wrong at 0.45, 9 of 65 at 0.55).

A second blind test set (bench/data/questions_eval4.csv): 624 questions in 122 groups over
50 topics, written by a helper who read nothing of the project (hard negatives in most
topics: leave when / how long / how often / family reasons / travel paid; missing / captive
/ dead, each in three asks; equipment bought / compensated / charged for / taken). What
ships was declared in the commit that added it, before it was scored (0bc6c84: placement
in order, JOIN 0.45, the thesaurus with the phrase fix, SUGGEST 0.3). Scored once
(file order; mean of 3 shuffled orders in brackets; then after merging every right
suggestion):

                        P / R / F1                    shuffled F1   with the suggestions
    full set            0.763 / 0.759 / 0.761         0.722         P 0.768 R 0.810
    tune half (dev)     0.911 / 0.846 / 0.877         0.826         P 0.919 R 0.941
    held-out half       0.885 / 0.694 / 0.778         0.750         P 0.897 R 0.802
    eval2 (dev)         0.826 / 0.669 / 0.739         0.672         P 0.833 R 0.832
    eval3               0.447 / 0.597 / 0.511         0.502         P 0.460 R 0.694
    eval4 (blind test)  0.506 / 0.537 / 0.521         0.496         P 0.530 R 0.635

After the review, entries kept with their function word match as written (only adjectives
and participles between their words, text._find): the same figures but full set P 0.767 R
0.761 F1 0.764 (with the suggestions P 0.772 R 0.812) and eval3 P 0.447 R 0.600 F1 0.513
(0.461 / 0.683); eval4, scored a second time for this, unchanged.

On both blind sets the engine groups at F1 0.51-0.52, far from the targets; the
suggestions find a third to a half of the split pieces and lift recall by 0.1, and do
nothing for precision, which is where blind data fails most. eval3 was then used as a
validation set (so it is dev data now and eval4 the only test set): no setting of the
engine's knobs leaves the frontier it is on (file order; shuffled F1 in brackets):

    JOIN 0.45 (shipped)  P 0.447 R 0.597 F1 0.511 (0.502)
    JOIN 0.50            P 0.465 R 0.528 F1 0.494 (0.486)
    JOIN 0.55            P 0.557 R 0.469 F1 0.509 (0.486)
    JOIN 0.60            P 0.594 R 0.392 F1 0.473 (0.467)
    JOIN 0.70            P 0.709 R 0.303 F1 0.425 (0.402)
    CONCEPT_WEIGHT 2 / 1.5    F1 0.518 / 0.493;   MISMATCH 0.8 / 0.7   F1 0.492 / 0.486
    no word vectors           F1 0.498;           VECTOR_SHARE 0.5     F1 0.518
    INTENT_WEIGHT 0.5         F1 0.520
    a factor 0.9 / 0.8 when both sides have question words and share none: eval3 F1
    0.509 / 0.539 (shuffled 0.505 / 0.504), eval2 0.704 / 0.657 against 0.739 (not kept)

Even at JOIN 0.70 a third of the joined pairs are wrong: the engine sees them as the same
question. Its largest wrong cluster on eval3 holds five asks about the death payment —
who receives it, how much it is, why it is late, whether a partner not married to him
receives it, a mother's monthly pension — all with the same concepts (#death #kin #mob
#pay); what tells them apart is a question word or one plain word («кто», «сумма»,
«гражданская»), which in the dev data varies freely between paraphrases («почему не
дают» / «когда дадут»). Separating them needs a model of what a question asks; see the
note of issue 7 for why none ships here.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import random
import sys
import time
import zlib
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from homeward.questions import clustering, text  # noqa: E402
from homeward.questions.text import lemma, terms, words  # noqa: E402


def load(path: Path) -> tuple[list[str], list[str]]:
    with path.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return [r["text"] for r in rows], [r["group"] for r in rows]


def held_out(group: str) -> bool:
    """The half of the groups not looked at while tuning."""
    return zlib.crc32(group.encode()) % 2 == 1


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
    return [frozenset(lemma(w)[0] for w in words(t)) for t in texts]


def method(texts: list[str], *, concepts: bool = True) -> list:
    labels = clustering.recluster((i, terms(t, concepts=concepts)) for i, t in enumerate(texts))
    return [labels[i][0] for i in range(len(texts))]


def assisted(texts: list[str], truth: list[str], *, limit: int = 5) -> str:
    """What a coordinator gets from the merge suggestions (Index.neighbours, shown on a
    group's page): pieces of one group that placement split apart, and the pairwise
    figures once she has merged every right suggestion (and none of the wrong ones).

    Two clusters are "mergeable" when the same labeled group is the largest in both; a
    suggestion is right when it pairs two mergeable clusters."""
    index = clustering.Index()
    labels = [index.place(terms(t), i).cluster for i, t in enumerate(texts)]
    members: dict[int, list[str]] = {}
    for label, group in zip(labels, truth, strict=True):
        members.setdefault(label, []).append(group)
    major = {c: Counter(groups).most_common(1)[0][0] for c, groups in members.items()}
    mergeable = {frozenset(p) for p in itertools.combinations(members, 2) if major[p[0]] == major[p[1]]}
    offered = {frozenset((c, other)) for c in members for other, _score in index.neighbours(c, limit)}
    right = mergeable & offered
    parent = {c: c for c in members}

    def root(c: int) -> int:
        while parent[c] != c:
            c = parent[c]
        return c

    for pair in right:
        a, b = tuple(pair)
        parent[root(a)] = root(b)
    p, r, f1, *_ = pair_scores([root(c) for c in labels], truth)
    return (
        f"suggested {len(offered)} pairs, {len(right)} right, finding {len(right)}/{len(mergeable)} split pieces; "
        f"after merging the right ones: precision {p:.3f}  recall {r:.3f}  F1 {f1:.3f}"
    )


def line(name: str, scores, seconds: float | None = None) -> str:
    p, r, f1, tp, fp, fn = scores
    took = f"  {seconds * 1000:6.0f} ms" if seconds is not None else ""
    return f"{name:<42} precision {p:.3f}  recall {r:.3f}  F1 {f1:.3f}  (tp {tp}, fp {fp}, fn {fn}){took}"


def shuffled(texts: list[str], truth: list[str], orders: int, seed: int) -> str:
    rng = random.Random(seed)
    runs = []
    for _ in range(orders):
        order = list(range(len(texts)))
        rng.shuffle(order)
        predicted = method([texts[i] for i in order])
        back = [None] * len(texts)
        for pos, i in enumerate(order):
            back[i] = predicted[pos]
        runs.append(pair_scores(back, truth))
    mean = [sum(r[k] for r in runs) / len(runs) for k in range(3)]
    worst = min(runs, key=lambda r: r[2])
    return (
        f"mean precision {mean[0]:.3f}  recall {mean[1]:.3f}  F1 {mean[2]:.3f}; "
        f"worst F1 {worst[2]:.3f} (P {worst[0]:.3f}, R {worst[1]:.3f})"
    )


def suggestions(texts: list[str], truth: list[str], *, limit: int = 5) -> None:
    """The preview step: before she submits, is a question of her group among the similar
    clusters shown (top `limit`, score ≥ SHOW)? Counted over questions whose group already
    has an earlier question — there is something to find."""
    index = clustering.Index()
    members: dict[int, set[str]] = {}
    seen: set[str] = set()
    hits = chances = shown = 0
    for i, (t, g) in enumerate(zip(texts, truth, strict=True)):
        ts = terms(t)
        found = index.nearest(ts, limit=limit)
        shown += len(found)
        if g in seen:
            chances += 1
            hits += any(g in members.get(c, ()) for c, _ in found)
        placed = index.place(ts, i)
        members.setdefault(placed.cluster, set()).add(g)
        seen.add(g)
    print(
        f"{'preview: a same-group cluster in top ' + str(limit):<42} hit rate {hits / max(1, chances):.3f} "
        f"({hits} of {chances} questions; {shown / len(texts):.1f} clusters shown on average)"
    )


def near_duplicates(texts: list[str], truth: list[str], *, seed: int, variants: int = 3) -> None:
    """The bulk of real traffic: the same question re-typed with greetings, context, typos,
    lost punctuation (bench/questions_synth.py). Recall over pairs of variants of one
    question; precision over every pair put together (same group = correct)."""
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
        f"{'near-duplicates (' + str(variants) + ' noisy variants each)':<42} precision {precision:.3f}  "
        f"recall {together_source / same_source:.3f}  ({len(corpus)} questions; group recall "
        f"{pair_scores(predicted, group)[1]:.3f})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--csv", type=Path, default=ROOT / "bench" / "data" / "questions_eval.csv")
    parser.add_argument("--orders", type=int, default=5, help="shuffled orders to try")
    parser.add_argument("--seed", type=int, default=7)
    fresh = [ROOT / "bench" / "data" / f"questions_eval{n}.csv" for n in (2, 3, 4)]
    parser.add_argument(
        "--heldout-csv",
        type=Path,
        nargs="*",
        help="further labeled sets, each scored on its own (default: bench/data/questions_eval2.csv and "
        "questions_eval3.csv, dev data now, and the test set questions_eval4.csv; with --dev-only, "
        "the dev sets alone)",
    )
    parser.add_argument(
        "--dev-only",
        action="store_true",
        help="score the dev data only: the tune half and the further sets given, which may not "
        "include the blind test set (nothing of the held-out half is clustered or printed)",
    )
    args = parser.parse_args()
    if args.heldout_csv is None:
        args.heldout_csv = [path for path in fresh[: 2 if args.dev_only else None] if path.exists()]
    texts, truth = load(args.csv)
    if args.dev_only:
        dev_only(texts, truth, args)
        return
    print(f"{len(texts)} questions in {len(set(truth))} groups ({args.csv.name})")
    print(
        f"JOIN={clustering.JOIN} SHOW={clustering.SHOW} EXEMPLAR_BELOW={clustering.EXEMPLAR_BELOW} "
        f"MAX_EXEMPLARS={clustering.MAX_EXEMPLARS} LINKAGE={clustering.LINKAGE} SIMILARITY={clustering.SIMILARITY}"
    )
    terms("прогрев")  # load pymorphy3, the thesaurus and the word vectors outside the timings
    text.lemma_vector("прогрев")

    t0 = time.perf_counter()
    print(line("baseline: exact lemma-set match", pair_scores(baseline(texts), truth), time.perf_counter() - t0))
    t0 = time.perf_counter()
    print(line("lemmas + cosine, no thesaurus", pair_scores(method(texts, concepts=False), truth)))
    if text.vectors_available():
        clustering.USE_VECTORS = False
        print(line("lexical only (no word vectors), full set", pair_scores(method(texts), truth)))
        idx = [i for i, g in enumerate(truth) if held_out(g)]
        print(
            line("lexical only, held-out half", pair_scores(method([texts[i] for i in idx]), [truth[i] for i in idx]))
        )
        clustering.USE_VECTORS = True
    else:
        print("word vectors: not installed (natasha, navec); the method is lexical only")
    t0 = time.perf_counter()
    shipped = method(texts)
    took = time.perf_counter() - t0
    scores = pair_scores(shipped, truth)
    print(line("shipped, full set (file order)", scores, took))
    print(f"{'  merge suggestions':<42} {assisted(texts, truth)}")
    if args.orders:
        print(
            f"{'shipped, ' + str(args.orders) + ' shuffled orders':<42} {shuffled(texts, truth, args.orders, args.seed)}"
        )

    halves = {name: half(texts, truth, name, args) for name in ("tune half", "held-out half")}

    clusters = Counter(shipped)
    print(
        f"clusters: {len(clusters)} for {len(set(truth))} groups; singletons: {sum(v == 1 for v in clusters.values())}"
    )
    merged: Counter = Counter()
    for i, j in itertools.combinations(range(len(texts)), 2):
        if shipped[i] == shipped[j] and truth[i] != truth[j]:
            merged[tuple(sorted((truth[i], truth[j])))] += 1
    if merged:
        print("groups merged by mistake (pairs):", ", ".join(f"{a}+{b} {n}" for (a, b), n in merged.most_common(12)))
    suggestions(texts, truth)
    near_duplicates(texts, truth, seed=args.seed)
    for name, (p, r, *_rest) in (("full set", scores), *halves.items()):
        print(
            f"targets on the {name}: precision ≥ 0.9 {'met' if p >= 0.9 else 'NOT met'} ({p:.3f}), "
            f"recall ≥ 0.8 {'met' if r >= 0.8 else 'NOT met'} ({r:.3f})"
        )
    for path in args.heldout_csv:
        further_set(path, args.orders, args.seed)


# Written blind and never chosen on (questions_eval3.csv was, until its errors were read: see the docstring).
TEST_SETS = {"questions_eval4.csv"}


def half(texts: list[str], truth: list[str], name: str, args: argparse.Namespace):
    """Score one half of --csv ("tune half" or "held-out half") and print its lines."""
    keep = name == "held-out half"
    idx = [i for i, g in enumerate(truth) if held_out(g) == keep]
    sub_texts, sub_truth = [texts[i] for i in idx], [truth[i] for i in idx]
    scores = pair_scores(method(sub_texts), sub_truth)
    print(line(f"shipped, {name} ({len(set(sub_truth))} groups)", scores))
    print(f"{'  merge suggestions':<42} {assisted(sub_texts, sub_truth)}")
    if args.orders:
        print(
            f"{'  ' + str(args.orders) + ' shuffled orders':<42} {shuffled(sub_texts, sub_truth, args.orders, args.seed)}"
        )
    return scores


def dev_only(texts: list[str], truth: list[str], args: argparse.Namespace) -> None:
    """The tune half of --csv and each further set: the figures a change may be chosen on."""
    blind = [path for path in args.heldout_csv if path.name in TEST_SETS]
    if blind:
        sys.exit(f"--dev-only: {blind[0]} is the blind test set, not dev data")
    terms("прогрев")
    half(texts, truth, "tune half", args)
    for path in args.heldout_csv:
        further_set(path, args.orders, args.seed)


def further_set(path: Path, orders: int, seed: int) -> None:
    """A further labeled set, written without looking at the engine or the sets before it
    (questions_eval2.csv and questions_eval3.csv have been dev data since; questions_eval4.csv
    is the blind test set)."""
    texts, truth = load(path)
    print(f"\nfurther set: {len(texts)} questions in {len(set(truth))} groups ({path.name})")
    print(line("baseline: exact lemma-set match", pair_scores(baseline(texts), truth)))
    t0 = time.perf_counter()
    scores = pair_scores(method(texts), truth)
    print(line(f"shipped, {path.stem} (file order)", scores, time.perf_counter() - t0))
    print(f"{'  merge suggestions':<42} {assisted(texts, truth)}")
    if orders:
        print(f"{'  ' + str(orders) + ' shuffled orders':<42} {shuffled(texts, truth, orders, seed)}")


if __name__ == "__main__":
    main()
