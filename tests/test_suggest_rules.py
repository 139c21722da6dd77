"""The suggester's rules one by one (coverage/suggesting/): pure functions, no database."""

from __future__ import annotations

import pytest

from coverage.suggesting import choose_language, detect_language, find_proposals
from coverage.suggesting.language import normalise_language
from coverage.suggesting.scoring import NamedSource


def quotes(body: str, sources=(), language: str | None = None) -> list[tuple[str, str]]:
    """(quoted words, speaker) of every quote proposal."""
    return [
        (body[p.start : p.end], p.source.name if p.source else p.proposed_source_name)
        for p in find_proposals(body, sources, language)
        if p.kind == "quote"
    ]


def paraphrases(body: str, sources=(), language: str | None = None) -> list[tuple[str, str]]:
    return [
        (body[p.start : p.end], p.source.name if p.source else p.proposed_source_name)
        for p in find_proposals(body, sources, language)
        if p.kind == "paraphrase"
    ]


# ---------------------------------------------------------------- quotation marks


@pytest.mark.parametrize(
    ("body", "language", "quoted"),
    [
        ("“We will rebuild it,” Macron said.", "en", "We will rebuild it"),
        ('"We will rebuild it," Macron said.', "en", "We will rebuild it"),
        ("‘We will rebuild it,’ Macron said.", "en", "We will rebuild it"),
        ("''We will rebuild it,'' Macron said.", "en", "We will rebuild it"),
        ("„Wir bauen sie wieder auf“, sagte Macron.", "de", "Wir bauen sie wieder auf"),
        ("„Wir bauen sie wieder auf”, sagte Macron.", "de", "Wir bauen sie wieder auf"),
        ("»Wir bauen sie wieder auf«, sagte Macron.", "de", "Wir bauen sie wieder auf"),
        ("«Wir bauen sie wieder auf», sagte Macron.", "de", "Wir bauen sie wieder auf"),
        ("« Wir bauen sie wieder auf », sagte Macron.", "de", "Wir bauen sie wieder auf"),
        ("‚Wir bauen sie wieder auf‘, sagte Macron.", "de", "Wir bauen sie wieder auf"),
        ("‹Wir bauen sie wieder auf›, sagte Macron.", "de", "Wir bauen sie wieder auf"),
        ("›Wir bauen sie wieder auf‹, sagte Macron.", "de", "Wir bauen sie wieder auf"),
    ],
)
def test_it_reads_each_typography_of_quotation_marks(body, language, quoted):
    assert quotes(body, language=language) == [(quoted, "Macron")]


def test_an_apostrophe_inside_single_quotes_does_not_close_them():
    body = "‘I’m very proud, and we don’t look back,’ Mr Cameron added."
    assert quotes(body, language="en") == [("I’m very proud, and we don’t look back", "Cameron")]


def test_a_nested_quote_stays_inside_the_outer_one():
    body = "„Das haben wir im ‚Stresstest‘ gesehen“, betonte Habeck."
    assert quotes(body, language="de") == [("Das haben wir im ‚Stresstest‘ gesehen", "Habeck")]


def test_quoted_names_of_newspapers_are_not_statements():
    body = "„Ich bin zuversichtlich“, sagte er gegenüber „heise online“. Das berichtete der «Spiegel» am Abend."
    assert [text for text, _ in quotes(body, language="de")] == ["Ich bin zuversichtlich"]


def test_a_short_scare_quote_without_a_speaker_is_not_a_statement():
    body = "“We will act,” the minister said.\n\nThe spire, known as the “needle”, fell at 7pm. It was “old”."
    assert [text for text, _ in quotes(body, language="en")] == ["We will act"]


# ---------------------------------------------------------------- English attribution


@pytest.mark.parametrize(
    ("body", "speaker"),
    [
        ("“The ship is free,” said Peter Berdowski, chief executive of Boskalis.", "Peter Berdowski"),
        ("“The ship is free,” Peter Berdowski, chief executive of Boskalis, said.", "Peter Berdowski"),
        ("Peter Berdowski told reporters: “The ship is free.”", "Peter Berdowski"),
        ("“The ship is free,” according to Peter Berdowski.", "Peter Berdowski"),
        ("“The ship is free,” the Governor, Mark Carney, said in a statement.", "Mark Carney"),
        ("“The ship is free,” Greenpeace executive director Kumi Naidoo said.", "Kumi Naidoo"),
    ],
)
def test_the_speaker_is_the_source_of_the_reporting_verb(body, speaker):
    assert [(text.rstrip("."), who) for text, who in quotes(body, language="en")] == [("The ship is free", speaker)]


def test_the_press_service_that_reported_is_the_speaker_not_the_person_the_sentence_is_about():
    putin, kremlin = NamedSource("Vladimir Putin", ("Putin",)), NamedSource("Kremlin", ("the Kremlin",))
    body = "Putin held talks with the prime minister on energy, the Kremlin press service reported."
    assert paraphrases(body, [putin, kremlin], "en") == [(body, "Kremlin")]


def test_the_statement_said_points_to_its_issuer_and_the_next_quote_follows_it():
    palace, king = NamedSource("Buckingham Palace", ("the palace",)), NamedSource("King Charles III", ("the King",))
    body = (
        "The palace said the Queen died peacefully.\n\n"
        "In a statement, the King said he was deeply saddened.\n\n"
        "“We mourn profoundly the passing of a cherished Sovereign,” the statement said. "
        "“I know her loss will be deeply felt.”"
    )
    assert [speaker for _, speaker in quotes(body, [palace, king], "en")] == ["King Charles III", "King Charles III"]


def test_a_pronoun_points_to_the_subject_of_the_previous_sentence():
    body = "Commander Jean-Claude Gallet told reporters the fire was out.\n\nPresident Emmanuel Macron arrived at midnight. “We will rebuild,” he said."
    assert quotes(body, language="en") == [("We will rebuild", "Emmanuel Macron")]


def test_a_quote_that_opens_its_sentence_goes_on_from_the_previous_speaker_but_not_far():
    body = "“It was agreed,” the minister Anna Berg said.\n\n“The work starts now.”\n\nOne.\n\nTwo.\n\n“Unrelated words here.”"
    assert quotes(body, language="en") == [
        ("It was agreed", "Anna Berg"),
        ("The work starts now.", "Anna Berg"),
        ("Unrelated words here.", ""),
    ]


def test_reported_speech_without_quote_marks_is_a_paraphrase():
    body = "Speaking in London, Mr Cameron said the people had made a clear decision. The pound fell."
    assert paraphrases(body, language="en") == [
        ("Speaking in London, Mr Cameron said the people had made a clear decision.", "Cameron")
    ]


def test_a_verb_that_only_attributes_a_quote_makes_no_paraphrase():
    body = "The Ukip leader, Nigel Farage, who campaigned for two decades, told supporters in London: ‘Let June 23 be our independence day!’"
    assert paraphrases(body, language="en") == []
    assert quotes(body, language="en") == [("Let June 23 be our independence day!", "Nigel Farage")]


# ---------------------------------------------------------------- German attribution


@pytest.mark.parametrize(
    ("body", "speaker"),
    [
        ("„Wir schaffen das“, sagte Merkel am Montag in Berlin.", "Merkel"),
        ("„Wir schaffen das“, erklärte Bundeskanzlerin Angela Merkel (CDU).", "Angela Merkel"),
        ("„Wir schaffen das“, betonte Merkel.", "Merkel"),
        ("„Wir schaffen das“, so Merkel.", "Merkel"),
        ("„Wir schaffen das“, teilte die Regierungssprecherin Ulrike Demmer mit.", "Ulrike Demmer"),
        ("„Wir schaffen das“, hieß es von Greenpeace.", "Greenpeace"),
        ("Merkel sagte: „Wir schaffen das.“", "Merkel"),
        ("Laut Merkel „schaffen wir das“ auch.", "Merkel"),
    ],
)
def test_german_reporting_verbs_name_the_speaker(body, speaker):
    assert [s for _, s in quotes(body, language="de")] == [speaker]


@pytest.mark.parametrize(
    ("body", "speaker"),
    [
        ("Die Versorgung sei gesichert, sagte Wirtschaftsminister Robert Habeck.", "Robert Habeck"),
        ("Der Betreiber PreussenElektra teilte mit, das Kraftwerk sei abgeschaltet worden.", "PreussenElektra"),
        ("Laut dem Wetterdienst Meteo Nord ist keine neue Unwetterlage zu erwarten.", "Meteo Nord"),
        ("Dem Verband VDV zufolge sind darunter 750.000 Neukunden.", "VDV"),
        ("Zugleich kündigte Merkel an, die Verfahren sollten beschleunigt werden.", "Merkel"),
    ],
)
def test_german_reported_speech_is_a_paraphrase(body, speaker):
    assert paraphrases(body, language="de") == [(body, speaker)]


def test_teilte_without_mit_is_no_attribution():
    assert paraphrases("Die Stadt teilte das Gelände in zwei Zonen.", language="de") == []


def test_a_title_points_back_to_the_person_named_with_it():
    body = (
        "Bundespräsident Alexander Van der Bellen empfing Kurz.\n\n"
        "Kanzler Sebastian Kurz sprach danach.\n\n"
        "«So sind wir nicht», sagte der Bundespräsident."
    )
    assert quotes(body, language="de") == [("So sind wir nicht", "Alexander Van der Bellen")]


def test_reported_speech_in_the_konjunktiv_goes_on_from_its_speaker():
    body = "Der Fahrgastverband Pro Bahn mahnte einen Ausbau an. Wer nur einen Bus habe, dem nütze das Ticket wenig."
    found = paraphrases(body, language="de")
    assert [speaker for _, speaker in found] == ["Pro Bahn", "Pro Bahn"]


def test_a_headline_names_its_speaker_before_the_colon():
    body = "Strache tritt zurück – Kurz: «Genug ist genug»\n\nText."
    assert quotes(body, language="de") == [("Genug ist genug", "Kurz")]


# ---------------------------------------------------------------- language


def test_the_language_is_detected_by_stop_words():
    assert detect_language("Die Kanzlerin sagte, dass sie nicht mit dem Ergebnis zufrieden sei.") == "de"
    assert detect_language("The chancellor said that she was not happy with the result.") == "en"
    assert detect_language("") == "en"


def test_the_outlets_language_wins_over_detection_when_the_suggester_knows_it():
    german = "Die Kanzlerin sagte, dass sie nicht mit dem Ergebnis zufrieden sei."
    assert choose_language("en", german) == "en"
    assert choose_language("de-AT", "The chancellor said so.") == "de"
    assert choose_language("fr", german) == "de", "a language without rules falls back to detection"
    assert normalise_language("DEU") == "de" and normalise_language("") is None


def test_german_verbs_are_read_only_in_german_text():
    body = "„Wir schaffen das“, sagte Merkel."
    assert quotes(body, language="de") == [("Wir schaffen das", "Merkel")]
    assert quotes(body, language="en") == [], "“sagte” is no English reporting verb, and a short quote needs one"


def test_the_rules_import_neither_django_nor_the_models():
    import ast
    from pathlib import Path

    import coverage.suggesting

    for path in Path(coverage.suggesting.__file__).parent.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
        names += [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
        assert not [n for n in names if n.startswith("django") or n.endswith("models")], path.name
