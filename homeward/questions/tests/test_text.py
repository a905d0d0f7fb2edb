"""The text side of the question bank: terms() and form_key() (pure Python)."""

from __future__ import annotations

import time

import pytest

from homeward.questions.text import form_key, lemma, terms, thesaurus, vector_lemmas, words


def test_morphology_relates_forms():
    a = terms("Что будет с мобилизованными?")
    b = terms("мобилизованных когда")
    c = terms("мобилизация")
    assert "#mob" in a and "#mob" in b and "#mob" in c


def test_concepts_bridge_paraphrases():
    assert "#demob" in terms("Когда демобилизуют наших мужей?")
    assert "#demob" in terms("когда их вернут домой насовсем")
    assert "#demob" in terms("Когда сына уволят со службы?")
    assert "#demob" in terms("дембель когда уже")
    assert "#leave" in terms("Когда дадут отпуск?")
    assert "#demob" not in terms("Когда дадут отпуск?")


def test_question_word_becomes_intent():
    assert "?when" in terms("Когда закончится война?")
    assert "?why" in terms("Почему не платят?")


def test_greetings_and_address_are_dropped():
    plain = terms("Когда дадут отпуск мобилизованным?")
    polite = terms("Уважаемый Владимир Владимирович, здравствуйте! Когда дадут отпуск мобилизованным? Спасибо.")
    assert plain == polite
    assert form_key(plain) == form_key(polite)


def test_case_punctuation_and_yo_do_not_matter():
    assert terms("КОГДА ВЕРНУТ ДОМОЙ???") == terms("когда вернут домой")
    assert terms("ещё отпуск") == terms("еще отпуск")


@pytest.mark.parametrize(
    "text",
    ["", "   ", "😀🙏🇷🇺", "???!!!", "hello world, when demobilization?", "мобилизoванных", "Когда 2022 mobik отпуск?"],
)
def test_odd_text_does_not_raise(text):
    out = terms(text)
    assert isinstance(out, tuple)
    assert all(isinstance(t, str) and t and " " not in t for t in out)
    assert len(form_key(out)) == 16


def test_empty_text_has_no_terms():
    assert terms("") == ()
    assert terms("😀") == ()
    assert form_key(()) == form_key([])


def test_mixed_script_words_are_read_as_cyrillic():
    # "мобилизoванных" with a Latin "o"
    assert "#mob" in terms("мобилизoванных")


def test_huge_text_is_bounded_and_fast():
    text = "Когда демобилизуют мобилизованных? " * 20000 + "а" * 100000
    started = time.perf_counter()
    out = terms(text)
    assert time.perf_counter() - started < 2
    assert "#demob" in out
    assert len(words(text)) <= 300


def test_terms_are_sorted_unique_and_deterministic():
    t = terms("Отпуск, отпуск и ещё раз отпуск: когда дадут отпуск?")
    assert list(t) == sorted(set(t))
    assert terms("Отпуск, отпуск и ещё раз отпуск: когда дадут отпуск?") == t


def test_form_key_ignores_order_and_repeats():
    assert form_key(["б", "а"]) == form_key(("а", "б", "а"))
    assert form_key(["а"]) != form_key(["б"])
    key = form_key(terms("Когда дадут отпуск?"))
    assert len(key) == 16 and int(key, 16) >= 0


def test_words_a_concept_stands_for_are_kept_for_the_word_vector_only():
    t = terms("Когда демобилизуют мобилизованных?")
    assert t == ("#demob", "#mob", "?when", "~демобилизовать", "~мобилизовать")
    assert vector_lemmas(t) == ["демобилизовать", "мобилизовать"]
    assert vector_lemmas(("#leave", "?when", "~отпуск", "дать")) == ["отпуск", "дать"]


def test_form_key_ignores_vector_only_terms():
    assert form_key(["#demob", "?when", "~дембель"]) == form_key(["#demob", "?when", "~демобилизовать"])
    assert form_key(["#demob", "?when", "~дембель"]) == form_key(["#demob", "?when"])


def test_a_participle_entry_does_not_match_its_verb():
    # pymorphy3 lemmatizes «заключённые» to «заключить»: the thesaurus's «заключённый»
    # (#convicts) must not turn «заключить брак» into a question about convicts
    assert "#convicts" in terms("Почему заключённые служат полгода?")
    assert "#convicts" in terms("заключенным полгода и свобода")
    assert "#convicts" not in terms("Как заключить брак с участником СВО?")
    assert "#missing" not in terms("Может ли жена вести бизнес мужа?")
    assert "#missing" in terms("Муж пропал без вести")


def test_every_thesaurus_entry_matches_as_written():
    for concept, entry in thesaurus().entries:
        assert concept in terms(entry), (concept, entry)


def test_no_thesaurus_entry_collapses_to_one_of_its_words():
    # «без ноги» once became «нога», and every question about a leg was about a prosthesis:
    # a word of a multiword entry brings the concept alone only if it is an entry by itself
    th = thesaurus()
    own: dict[str, set[str]] = {}
    for concept, entry in th.entries:
        if len(words(entry)) == 1:
            own.setdefault(concept, set()).update((words(entry)[0], lemma(words(entry)[0])[0]))
    for concept, entry in th.entries:
        ws = words(entry)
        if len(ws) < 2:
            continue
        for w in ws:
            if w not in own.get(concept, ()) and lemma(w)[0] not in own.get(concept, ()):
                assert concept not in terms(w), (concept, entry, w)


@pytest.mark.parametrize(
    ("text", "concept"),
    [
        ("Муж вернулся с фронта без ноги, когда дадут протез?", "#prosthesis"),
        ("сын остался без правой ноги", "#prosthesis"),  # a word between, as in any phrase
        ("Примите нас лично, мы жёны мобилизованных", "#meeting"),
        ("Почему жён вызывают в центр Э?", "#police"),
        ("Куда звонить, если муж не выходит на связь?", "#hotline"),
    ],
)
def test_an_entry_with_a_function_word_matches_as_a_phrase(text, concept):
    assert concept in terms(text)


@pytest.mark.parametrize(
    ("text", "concept"),
    [
        ("Сына с осколком в ноге отправили обратно на передовую", "#prosthesis"),
        ("Когда примут закон о сроке службы?", "#meeting"),
        ("Будут ли реабилитационные центры для вернувшихся?", "#police"),
        ("Разрешите мобилизованным звонить родным", "#hotline"),
        ("Как перевести мужа в другую часть?", "#fairness"),
        ("Когда прекратятся боевые действия?", "#combat"),
        # such an entry matches as written: nothing but an adjective between its words
        ("Муж остался без денег, ноги болят", "#prosthesis"),
        ("Служат без отпуска, и ноги отморожены", "#prosthesis"),
        ("За что 50 тысяч сняли с довольствия?", "#age"),
        ("Выплатили за 3 месяца 50 тысяч", "#age"),
    ],
)
def test_the_content_word_of_such_an_entry_alone_does_not_bring_the_concept(text, concept):
    assert concept not in terms(text)
