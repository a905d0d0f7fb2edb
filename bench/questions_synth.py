"""Synthetic question campaigns: paraphrase templates, realistic vocabulary and noise.

The cores are the labeled paraphrases of bench/data/questions_eval.csv (101 intents,
five wordings each). A generated question picks an intent by a Zipf-like popularity
(a few topics dominate, as on the Direct Line), one of its wordings, optionally a region
(which makes it a different, regional question), and wraps it the way people write:
a greeting, a line about her husband or son, a closing; then noise — lower case, lost
punctuation, a typo, repeated marks.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Iterator
from pathlib import Path

EVAL = Path(__file__).resolve().parent / "data" / "questions_eval.csv"

REGIONS = [
    "из Курской области", "из Белгородской области", "из Бурятии", "из Тувы", "из Свердловской области",
    "из Челябинской области", "из Башкирии", "из Татарстана", "из Дагестана", "из Якутии",
    "из Красноярского края", "из Иркутской области", "из Новосибирской области", "из Омской области",
    "из Пермского края", "из Самарской области", "из Саратовской области", "из Волгоградской области",
    "из Ростовской области", "из Краснодарского края", "из Ставрополья", "из Воронежской области",
    "из Нижегородской области", "из Ярославской области", "из Тверской области", "из Псковской области",
    "из Мурманской области", "из Архангельской области", "из Коми", "из Удмуртии", "из Чувашии",
    "из Марий Эл", "из Мордовии", "из Пензенской области", "из Тамбовской области", "из Липецкой области",
    "из Брянской области", "из Смоленской области", "из Калужской области", "из Забайкалья",
]  # fmt: skip
GREETINGS = [
    "Владимир Владимирович,", "Уважаемый Владимир Владимирович!", "Здравствуйте!", "Добрый день.",
    "Здравствуйте, Владимир Владимирович.", "Господин президент,",
]  # fmt: skip
CONTEXTS = [
    "Мой муж мобилизован в сентябре 2022 года.", "Сын служит уже больше двух лет.", "Я жена мобилизованного.",
    "Пишу от имени жен и матерей нашего города.", "Мы ждём уже очень долго.", "Муж на передовой с осени 2022.",
    "У нас двое детей, они скучают по папе.", "Я мама мобилизованного.",
]  # fmt: skip
CLOSINGS = ["Ответьте, пожалуйста.", "Спасибо.", "Очень ждём ответа!", "Помогите нам.", "Это очень важно для нас."]


def load_groups(path: Path = EVAL) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = {}
    with path.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            groups.setdefault(row["group"], []).append(row["text"])
    return groups


def typo(word: str, rng: random.Random) -> str:
    if len(word) < 5:
        return word
    i = rng.randrange(1, len(word) - 2)
    kind = rng.random()
    if kind < 0.4:  # swap two neighbours
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind < 0.7:  # a letter lost
        return word[:i] + word[i + 1 :]
    return word[:i] + word[i] + word[i:]  # a letter doubled


def noisy(text: str, rng: random.Random, *, typos: float = 0.25) -> str:
    parts = []
    if rng.random() < 0.45:
        parts.append(rng.choice(GREETINGS))
    if rng.random() < 0.35:
        parts.append(rng.choice(CONTEXTS))
    parts.append(text)
    if rng.random() < 0.25:
        parts.append(rng.choice(CLOSINGS))
    out = " ".join(parts)
    if rng.random() < typos:
        words = out.split()
        j = rng.randrange(len(words))
        words[j] = typo(words[j], rng)
        out = " ".join(words)
    r = rng.random()
    if r < 0.25:
        out = out.lower()
    elif r < 0.35:
        out = out.replace(",", "").replace(".", "").replace("?", "").replace("!", "")
    if rng.random() < 0.1:
        out = out.rstrip("?!. ") + rng.choice(["???", "!!!", "?!"])
    return out


def with_region(core: str, region: str) -> str:
    return core.rstrip("?!. ") + " " + region + "?"


class Campaign:
    """A stream of (intent, text) for a synthetic campaign."""

    def __init__(self, *, seed: int = 1, region_share: float = 0.4, zipf: float = 1.1):
        self.rng = random.Random(seed)
        groups = load_groups()
        names = sorted(groups)
        self.rng.shuffle(names)
        self.groups = [(name, groups[name]) for name in names]
        self.weights = [1 / (rank**zipf) for rank in range(1, len(names) + 1)]
        self.region_share = region_share

    def stream(self, n: int) -> Iterator[tuple[str, str]]:
        rng = self.rng
        picks = rng.choices(range(len(self.groups)), weights=self.weights, k=n)
        for g in picks:
            name, wordings = self.groups[g]
            core = rng.choice(wordings)
            intent = name
            if rng.random() < self.region_share:
                region = rng.choice(REGIONS)
                core = with_region(core, region)
                intent = f"{name}@{region}"
            yield intent, noisy(core, rng)
