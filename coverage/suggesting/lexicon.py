"""Words the suggester reads attribution by, per language ("en", "de").

Every list is written down here so that a tagger can see why a sentence was, or was not,
read as reported speech. Verbs are finite forms as news text prints them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

LANGUAGES = ("en", "de")


@dataclass(frozen=True)
class Lexicon:
    # Verbs that attribute a quote; `claim_verbs` (a subset) also make a sentence a paraphrase.
    verbs: frozenset[str]
    claim_verbs: frozenset[str]
    # Verbs whose meaning needs a particle later in the clause ("teilte … mit").
    particle_verbs: dict[str, tuple[str, ...]]
    # "according to X", "laut X": the speaker follows.
    speaker_follows: frozenset[str]
    # "X zufolge": the speaker precedes.
    speaker_precedes: frozenset[str]
    pronouns: frozenset[str]
    determiners: frozenset[str]
    # Words that end a noun phrase (prepositions, conjunctions, adverbs, relative pronouns).
    stop_words: frozenset[str]
    # Words that start a subordinate clause: a subject never reaches back past them.
    clause_words: frozenset[str]
    titles: frozenset[str]
    title_suffixes: tuple[str, ...]
    # Nouns that stand for a statement: "the statement said" points back to its issuer.
    document_nouns: frozenset[str]
    # Determiners of a definite description ("the agency", "die Partei"), which points back.
    definite: frozenset[str]
    # "hailed by the state media": a past participle's speaker follows "by".
    passive_by: bool
    # German main clauses put the finite verb second, so its subject may follow it.
    verb_second: bool


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


ENGLISH = Lexicon(
    verbs=_words(
        "said says saying told tells added adds noted notes stated states explained explains wrote writes "
        "warned warns insisted insists argued argues claimed claims declared declares announced announces "
        "confirmed confirms denied denies reported reports suggested suggests urged urges urging stressed "
        "stresses emphasised emphasized promised pledged vowed conceded admitted acknowledged predicted "
        "called calls described describes describing condemned hailed tweeted posted recalled estimated "
        "asked replied answered responded cautioned complained referred"
    ),
    claim_verbs=_words(
        "said says told tells added adds noted notes stated states explained explains wrote writes warned "
        "warns insisted insists argued argues claimed claims declared declares announced announces confirmed "
        "confirms denied denies reported reports suggested suggests urged urges stressed stresses emphasised "
        "emphasized promised pledged vowed conceded admitted acknowledged predicted condemned hailed estimated "
        "referred"
    ),
    particle_verbs={},
    speaker_follows=frozenset({"according to"}),
    speaker_precedes=frozenset(),
    pronouns=_words("he she it they we i"),
    determiners=_words("the a an this that its his her their"),
    stop_words=_words(
        "on in at to as of for from with by after before during while when who which whose that "
        "and or but if because than then also later again yesterday today tonight reporters journalists "
        "it is was were be been has had have will would could should may might shortly"
    ),
    clause_words=_words("that because while when although though if as whether after before since where"),
    titles=_words(
        "president prime minister secretary secretary-general chancellor governor mayor king queen prince "
        "princess senator ambassador commander chairman chairwoman chair chief director spokesman spokeswoman "
        "spokesperson general judge pope leader head editor mr mrs ms dr sir lord lady foreign defence defense "
        "interior finance vice deputy acting first executive u.s. us un u.n. french german russian british "
        "american egyptian thai dutch scottish european former"
    ),
    title_suffixes=(),
    document_nouns=_words("statement communique communiqué release letter report"),
    definite=_words("the"),
    passive_by=True,
    verb_second=False,
)

GERMAN = Lexicon(
    verbs=_words(
        "sagte sagten sagt erklärte erklärten erklärt betonte betonten betont meinte meint ergänzte "
        "erläuterte unterstrich bekräftigte versicherte versprach warnte warnt forderte forderten fordert "
        "kritisierte kritisierten kritisiert lobte bestätigte bestätigt dementierte berichtete berichteten "
        "berichtet schrieb schreibt twitterte verkündete nannte nennt bezeichnete bezeichnet beklagte "
        "begrüßte räumte wies teilte teilten teilt fügte kündigte kündigt sicherte mahnte stellte gab "
        "sprach spricht hieß heißt antwortete entgegnete"
    ),
    claim_verbs=_words(
        "sagte sagten sagt erklärte erklärten erklärt betonte betonten betont meinte meint ergänzte "
        "erläuterte unterstrich bekräftigte versicherte versprach warnte warnt forderte forderten fordert "
        "bestätigte bestätigt dementierte berichtete berichteten berichtet schrieb schreibt verkündete "
        "räumte wies teilte teilten teilt fügte kündigte kündigt sicherte mahnte stellte gab sprach spricht hieß heißt"
    ),
    particle_verbs={
        "teilte": ("mit",),
        "teilten": ("mit",),
        "teilt": ("mit",),
        "fügte": ("hinzu", "an"),
        "kündigte": ("an",),
        "kündigt": ("an",),
        "sicherte": ("zu",),
        "räumte": ("ein",),
        "wies": ("zurück", "hin"),
        "stellte": ("klar",),
        "gab": ("an", "bekannt", "zu"),
        "sprach": ("von", "aus"),
        "spricht": ("von", "aus"),
        "hieß": ("es",),
        "heißt": ("es",),
    },
    speaker_follows=frozenset({"laut", "nach angaben von", "nach angaben des", "nach angaben der", "so"}),
    speaker_precedes=frozenset({"zufolge"}),
    pronouns=_words("er sie es man wir ich"),
    determiners=_words("der die das den dem des ein eine einer eines einem einen"),
    stop_words=_words(
        "am im in an auf aus bei vor nach mit gegenüber über für von vom zum zur um durch seit bis "
        "und oder aber sondern denn doch dass ob wenn weil als wie so noch schon bereits auch zudem "
        "dann danach zuvor zugleich dazu daher deshalb nun jetzt heute gestern morgen hier dort es "
        "ist war sei hat habe hatte wurde wird werde mehr weiter erneut allerdings jedoch außerdem "
        "unterdessen inzwischen trotzdem"
    ),
    clause_words=_words("dass weil wenn ob als wie nachdem bevor obwohl während da damit"),
    titles=_words(
        "bundeskanzler bundeskanzlerin kanzler kanzlerin präsident präsidentin bundespräsident "
        "ministerpräsident ministerpräsidentin minister ministerin sprecher sprecherin chef chefin "
        "vorsitzende vorsitzender bürgermeister bürgermeisterin vizekanzler staatssekretär botschafter "
        "direktor direktorin generalsekretär regierungssprecher herr frau dr. prof."
    ),
    title_suffixes=(
        "minister",
        "ministerin",
        "kanzler",
        "kanzlerin",
        "präsident",
        "präsidentin",
        "sprecher",
        "sprecherin",
        "chef",
        "chefin",
        "vorsitzende",
        "vorsitzender",
        "politiker",
        "politikerin",
        "bürgermeister",
        "bürgermeisterin",
        "direktor",
        "direktorin",
        "geschäftsführer",
        "geschäftsführerin",
        "sekretär",
        "sekretärin",
        "leiter",
        "leiterin",
        "gründer",
        "gründerin",
        "beauftragte",
        "beauftragter",
    ),
    document_nouns=_words("mitteilung erklärung stellungnahme pressemitteilung schreiben"),
    definite=_words("der die das den dem des"),
    passive_by=False,
    verb_second=True,
)

LEXICONS = {"en": ENGLISH, "de": GERMAN}


def is_title(word: str, lexicon: Lexicon) -> bool:
    """ "Minister", "Bundesverkehrsminister", "VDV-Hauptgeschäftsführer": a title, not a name."""
    lowered = word.lower().rstrip(".,")
    if lowered in ENGLISH.titles or lowered in GERMAN.titles:
        return True
    tail = lowered.rsplit("-", 1)[-1]
    return any(tail.endswith(suffix) for suffix in GERMAN.title_suffixes) and len(tail) > 3


def verb_pattern(lexicon: Lexicon) -> re.Pattern[str]:
    """One regex for every attribution word of `lexicon`, longest first."""
    words = sorted(lexicon.verbs | lexicon.speaker_follows | lexicon.speaker_precedes, key=len, reverse=True)
    return re.compile(
        r"(?<![\w-])(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words) + r")(?![\w-])", re.IGNORECASE
    )
