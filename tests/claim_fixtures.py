"""Hand-labelled claims for the statement matching (docs/alignment.md), kept as a test fixture.

Three events:

- the demo event (its two seed articles and their hand tagging in `coverage/demo/tagging.py`),
  whose matching claims are labelled in `DEMO_CLAIMS` below;
- `EVER_GIVEN`: four short articles, by fictional outlets, on a public event, the refloating of
  the container ship Ever Given in the Suez Canal on 29 March 2021;
- `ARTEMIS`: three short articles, by fictional outlets, on the launch of NASA's Artemis I
  mission on 16 November 2022.

The articles of the last two were written for this fixture: outlets, analysts and the wording
of every quote are invented (the facts follow the public record). Each statement carries the
label of the claim it reports. The labelling is complete: two statements of different outlets
match when they carry the same claim label, and every other pair of statements of different
outlets is a labelled non-match. Demo statements not named in `DEMO_CLAIMS` carry a claim of
their own.

Split (how the threshold is kept off the test): the demo event and Ever Given are the tuning
set; Artemis is the held-out test set, never looked at while choosing the method or the threshold.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from coverage.alignment import Match, StatementText, group_claims, match_statements
from coverage.demo import tagging as demo_tagging


@dataclass(frozen=True)
class FixtureStatement:
    article: str  # key of the article in its event
    text: str  # exactly as it stands in the body
    kind: str  # quote | paraphrase | assertion
    source: str
    topic: str
    claim: str  # the claim label: same label, same claim


@dataclass(frozen=True)
class FixtureArticle:
    key: str
    outlet: str
    headline: str
    body: str


@dataclass(frozen=True)
class FixtureEvent:
    slug: str
    name: str
    date: str
    articles: list[FixtureArticle]
    statements: list[FixtureStatement]
    sources: dict[str, str] = field(default_factory=dict)  # name -> source type


# ---------------------------------------------------------------- Ever Given, 29 March 2021

_EG_LEDGER = (
    "The container ship Ever Given was refloated on Monday and the Suez Canal reopened to traffic, six days "
    "after the 400-metre vessel ran aground and blocked one of the world's busiest waterways. "
    "The Suez Canal Authority said tugboats and dredgers had freed the ship with the help of a spring high tide. "
    "“We have managed to refloat the vessel, and navigation will resume once the channel has been inspected,” "
    "the authority said in a statement. "
    "More than 360 ships were waiting to pass through the canal at both ends, according to the authority. "
    "Lena Markovic, a maritime analyst at Harbourline Research, said the backlog would take at least three days to clear. "
    "“Every day of closure holds up roughly nine billion dollars of goods,” she said. "
    "The ship's Japanese owner, Shoei Kisen, apologised for the disruption. "
    "The authority said an investigation into the cause of the grounding would begin once the ship reached "
    "the Great Bitter Lake."
)

_EG_DISPATCH = (
    "Salvage crews freed the Ever Given on Monday, ending a blockage of the Suez Canal that had disrupted "
    "global trade for almost a week. "
    "“We have managed to refloat the vessel,” the Suez Canal Authority said. "
    "The ship was towed to the Great Bitter Lake, where it will be inspected. "
    "A spokesperson for the salvage team said the operation had succeeded because of the high tide and the "
    "removal of about 30,000 cubic metres of sand from around the bow. "
    "“The tide gave us the extra push we needed,” the spokesperson said. "
    "Analysts warned that the disruption would ripple through supply chains for weeks. "
    "Roughly 12 per cent of global trade passes through the canal. "
    "Egypt's president praised the workers who freed the ship."
)

_EG_NILE = (
    "Egypt's Suez Canal Authority announced on Monday that the Ever Given had been refloated and that traffic "
    "through the canal had resumed. "
    "The authority said it had refloated the vessel and that navigation would resume once the channel had been inspected. "
    "The authority's chairman said the blockage had cost Egypt between 12 and 15 million dollars in lost revenue every day. "
    "He said Egypt would seek compensation from the ship's owners. "
    "More than 360 vessels had been queuing at both ends of the canal, the authority said. "
    "The chairman blamed strong winds and a sandstorm for the grounding, but said human error could not be ruled out. "
    "Pilots and tug crews worked around the clock, he said."
)

_EG_REVIEW = (
    "The Suez Canal reopened on Monday after the Ever Given was freed, but shipping companies warned of "
    "knock-on delays. "
    "Lena Markovic of Harbourline Research said clearing the queue of vessels would take at least three days. "
    "“Every day of closure holds up goods worth about nine billion dollars,” Markovic said. "
    "Container freight rates had already risen during the week-long blockage. "
    "Some carriers had rerouted ships around the Cape of Good Hope, adding about two weeks to voyages. "
    "Insurers expect large claims from cargo owners whose goods were delayed."
)


def _eg(article: str, text: str, kind: str, source: str, topic: str, claim: str) -> FixtureStatement:
    return FixtureStatement(article, text, kind, source, topic, claim)


EVER_GIVEN = FixtureEvent(
    slug="ever-given-refloated-2021-03-29",
    name="Ever Given refloated in the Suez Canal, 29 March 2021",
    date="2021-03-29",
    sources={
        "Suez Canal Authority": "organisation",
        "Suez Canal Authority chairman": "official",
        "Lena Markovic": "expert",
        "Salvage team spokesperson": "organisation",
        "Analysts": "expert",
        "Shipping companies": "organisation",
        "Reporter": "reporter",
    },
    articles=[
        FixtureArticle(
            "ledger", "Harbour Ledger", "Ever Given refloated after six days, Suez traffic resumes", _EG_LEDGER
        ),
        FixtureArticle("dispatch", "The Morning Dispatch", "Giant ship freed in Suez Canal", _EG_DISPATCH),
        FixtureArticle(
            "nile", "Nile Coast Times", "Canal authority hails salvage success, eyes compensation", _EG_NILE
        ),
        FixtureArticle(
            "review", "Continental Business Review", "Suez reopening eases pressure, but delays will linger", _EG_REVIEW
        ),
    ],
    statements=[
        # -------- Harbour Ledger
        _eg(
            "ledger",
            "The container ship Ever Given was refloated on Monday and the Suez Canal reopened to traffic, six days after the 400-metre vessel ran aground and blocked one of the world's busiest waterways.",
            "assertion",
            "Reporter",
            "refloating",
            "refloated",
        ),
        _eg(
            "ledger",
            "The Suez Canal Authority said tugboats and dredgers had freed the ship with the help of a spring high tide.",
            "paraphrase",
            "Suez Canal Authority",
            "salvage",
            "tide",
        ),
        _eg(
            "ledger",
            "We have managed to refloat the vessel, and navigation will resume once the channel has been inspected",
            "quote",
            "Suez Canal Authority",
            "refloating",
            "refloated",
        ),
        _eg(
            "ledger",
            "More than 360 ships were waiting to pass through the canal at both ends, according to the authority.",
            "paraphrase",
            "Suez Canal Authority",
            "backlog",
            "queue-360",
        ),
        _eg(
            "ledger",
            "Lena Markovic, a maritime analyst at Harbourline Research, said the backlog would take at least three days to clear.",
            "paraphrase",
            "Lena Markovic",
            "backlog",
            "three-days",
        ),
        _eg(
            "ledger",
            "Every day of closure holds up roughly nine billion dollars of goods",
            "quote",
            "Lena Markovic",
            "trade",
            "nine-billion",
        ),
        _eg(
            "ledger",
            "The ship's Japanese owner, Shoei Kisen, apologised for the disruption.",
            "paraphrase",
            "Reporter",
            "compensation",
            "owner-apology",
        ),
        _eg(
            "ledger",
            "The authority said an investigation into the cause of the grounding would begin once the ship reached the Great Bitter Lake.",
            "paraphrase",
            "Suez Canal Authority",
            "cause",
            "investigation",
        ),
        # -------- The Morning Dispatch
        _eg(
            "dispatch",
            "Salvage crews freed the Ever Given on Monday, ending a blockage of the Suez Canal that had disrupted global trade for almost a week.",
            "assertion",
            "Reporter",
            "refloating",
            "refloated",
        ),
        _eg(
            "dispatch",
            "We have managed to refloat the vessel",
            "quote",
            "Suez Canal Authority",
            "refloating",
            "refloated",
        ),
        _eg(
            "dispatch",
            "The ship was towed to the Great Bitter Lake, where it will be inspected.",
            "assertion",
            "Reporter",
            "cause",
            "towed-to-lake",
        ),
        _eg(
            "dispatch",
            "A spokesperson for the salvage team said the operation had succeeded because of the high tide and the removal of about 30,000 cubic metres of sand from around the bow.",
            "paraphrase",
            "Salvage team spokesperson",
            "salvage",
            "tide",
        ),
        _eg(
            "dispatch",
            "The tide gave us the extra push we needed",
            "quote",
            "Salvage team spokesperson",
            "salvage",
            "tide",
        ),
        _eg(
            "dispatch",
            "Analysts warned that the disruption would ripple through supply chains for weeks.",
            "paraphrase",
            "Analysts",
            "trade",
            "lasting-delays",
        ),
        _eg(
            "dispatch",
            "Roughly 12 per cent of global trade passes through the canal.",
            "assertion",
            "Reporter",
            "trade",
            "twelve-percent",
        ),
        _eg(
            "dispatch",
            "Egypt's president praised the workers who freed the ship.",
            "paraphrase",
            "Reporter",
            "salvage",
            "president-praise",
        ),
        # -------- Nile Coast Times
        _eg(
            "nile",
            "Egypt's Suez Canal Authority announced on Monday that the Ever Given had been refloated and that traffic through the canal had resumed.",
            "paraphrase",
            "Suez Canal Authority",
            "refloating",
            "refloated",
        ),
        _eg(
            "nile",
            "The authority said it had refloated the vessel and that navigation would resume once the channel had been inspected.",
            "paraphrase",
            "Suez Canal Authority",
            "refloating",
            "refloated",
        ),
        _eg(
            "nile",
            "The authority's chairman said the blockage had cost Egypt between 12 and 15 million dollars in lost revenue every day.",
            "paraphrase",
            "Suez Canal Authority chairman",
            "compensation",
            "lost-revenue",
        ),
        _eg(
            "nile",
            "He said Egypt would seek compensation from the ship's owners.",
            "paraphrase",
            "Suez Canal Authority chairman",
            "compensation",
            "seek-compensation",
        ),
        _eg(
            "nile",
            "More than 360 vessels had been queuing at both ends of the canal, the authority said.",
            "paraphrase",
            "Suez Canal Authority",
            "backlog",
            "queue-360",
        ),
        _eg(
            "nile",
            "The chairman blamed strong winds and a sandstorm for the grounding, but said human error could not be ruled out.",
            "paraphrase",
            "Suez Canal Authority chairman",
            "cause",
            "wind-blamed",
        ),
        _eg(
            "nile",
            "Pilots and tug crews worked around the clock, he said.",
            "paraphrase",
            "Suez Canal Authority chairman",
            "salvage",
            "round-the-clock",
        ),
        # -------- Continental Business Review
        _eg(
            "review",
            "The Suez Canal reopened on Monday after the Ever Given was freed",
            "assertion",
            "Reporter",
            "refloating",
            "refloated",
        ),
        _eg(
            "review",
            "shipping companies warned of knock-on delays",
            "paraphrase",
            "Shipping companies",
            "trade",
            "lasting-delays",
        ),
        _eg(
            "review",
            "Lena Markovic of Harbourline Research said clearing the queue of vessels would take at least three days.",
            "paraphrase",
            "Lena Markovic",
            "backlog",
            "three-days",
        ),
        _eg(
            "review",
            "Every day of closure holds up goods worth about nine billion dollars",
            "quote",
            "Lena Markovic",
            "trade",
            "nine-billion",
        ),
        _eg(
            "review",
            "Container freight rates had already risen during the week-long blockage.",
            "assertion",
            "Reporter",
            "trade",
            "freight-rates",
        ),
        _eg(
            "review",
            "Some carriers had rerouted ships around the Cape of Good Hope, adding about two weeks to voyages.",
            "assertion",
            "Reporter",
            "trade",
            "cape-reroute",
        ),
        _eg(
            "review",
            "Insurers expect large claims from cargo owners whose goods were delayed.",
            "assertion",
            "Reporter",
            "compensation",
            "insurance-claims",
        ),
    ],
)

# ---------------------------------------------------------------- Artemis I, 16 November 2022

_AR_ORBIT = (
    "NASA's Space Launch System rocket lifted off from the Kennedy Space Center in Florida early on Wednesday, "
    "sending the uncrewed Orion capsule towards the Moon. "
    "The launch came after two earlier attempts were called off because of an engine sensor problem and a hydrogen leak. "
    "“This is the first step towards returning astronauts to the lunar surface,” a NASA mission manager said. "
    "The Orion capsule is expected to fly around the Moon and return to Earth in about 25 days. "
    "The rocket is the most powerful NASA has ever launched. "
    "The programme has cost more than 40 billion dollars, according to the agency's inspector general."
)

_AR_COURIER = (
    "After months of delays, NASA's giant moon rocket took off from Florida on Wednesday with no one on board. "
    "Two previous launch attempts had been scrubbed over a faulty engine sensor and a fuel leak. "
    "“This is the first step towards returning astronauts to the lunar surface, and it will not be the last,” "
    "the mission manager told reporters. "
    "Critics have questioned the cost of the rocket, which is not reusable. "
    "The capsule will splash down in the Pacific Ocean on 11 December if all goes to plan."
)

_AR_PACIFIC = (
    "The Orion spacecraft is on its way to the Moon after a successful launch on Wednesday aboard the Space "
    "Launch System. "
    "A NASA mission manager said the flight was the first step towards sending astronauts back to the Moon. "
    "Orion will spend about 25 days in space before returning to Earth. "
    "The agency's inspector general has estimated that each launch will cost about four billion dollars. "
    "Engineers will study how the capsule's heat shield copes with re-entry."
)

ARTEMIS = FixtureEvent(
    slug="artemis-i-launch-2022-11-16",
    name="Artemis I launch, 16 November 2022",
    date="2022-11-16",
    sources={
        "NASA mission manager": "official",
        "NASA inspector general": "official",
        "Critics": "anonymous",
        "Reporter": "reporter",
    },
    articles=[
        FixtureArticle(
            "orbit", "Orbit Weekly", "Artemis I lifts off on first flight of NASA's new moon rocket", _AR_ORBIT
        ),
        FixtureArticle(
            "courier", "The Evening Courier", "Moon rocket finally launches after months of delays", _AR_COURIER
        ),
        FixtureArticle("pacific", "Pacific Science Review", "Orion heads for the Moon", _AR_PACIFIC),
    ],
    statements=[
        FixtureStatement(
            "orbit",
            "NASA's Space Launch System rocket lifted off from the Kennedy Space Center in Florida early on Wednesday, sending the uncrewed Orion capsule towards the Moon.",
            "assertion",
            "Reporter",
            "launch",
            "launch",
        ),
        FixtureStatement(
            "orbit",
            "The launch came after two earlier attempts were called off because of an engine sensor problem and a hydrogen leak.",
            "assertion",
            "Reporter",
            "launch",
            "scrubs",
        ),
        FixtureStatement(
            "orbit",
            "This is the first step towards returning astronauts to the lunar surface",
            "quote",
            "NASA mission manager",
            "programme",
            "first-step",
        ),
        FixtureStatement(
            "orbit",
            "The Orion capsule is expected to fly around the Moon and return to Earth in about 25 days.",
            "assertion",
            "Reporter",
            "mission",
            "25-days",
        ),
        FixtureStatement(
            "orbit",
            "The rocket is the most powerful NASA has ever launched.",
            "assertion",
            "Reporter",
            "launch",
            "most-powerful",
        ),
        FixtureStatement(
            "orbit",
            "The programme has cost more than 40 billion dollars, according to the agency's inspector general.",
            "paraphrase",
            "NASA inspector general",
            "cost",
            "programme-cost",
        ),
        FixtureStatement(
            "courier",
            "After months of delays, NASA's giant moon rocket took off from Florida on Wednesday with no one on board.",
            "assertion",
            "Reporter",
            "launch",
            "launch",
        ),
        FixtureStatement(
            "courier",
            "Two previous launch attempts had been scrubbed over a faulty engine sensor and a fuel leak.",
            "assertion",
            "Reporter",
            "launch",
            "scrubs",
        ),
        FixtureStatement(
            "courier",
            "This is the first step towards returning astronauts to the lunar surface, and it will not be the last",
            "quote",
            "NASA mission manager",
            "programme",
            "first-step",
        ),
        FixtureStatement(
            "courier",
            "Critics have questioned the cost of the rocket, which is not reusable.",
            "paraphrase",
            "Critics",
            "cost",
            "cost-criticised",
        ),
        FixtureStatement(
            "courier",
            "The capsule will splash down in the Pacific Ocean on 11 December if all goes to plan.",
            "assertion",
            "Reporter",
            "mission",
            "splashdown",
        ),
        FixtureStatement(
            "pacific",
            "The Orion spacecraft is on its way to the Moon after a successful launch on Wednesday aboard the Space Launch System.",
            "assertion",
            "Reporter",
            "launch",
            "launch",
        ),
        FixtureStatement(
            "pacific",
            "A NASA mission manager said the flight was the first step towards sending astronauts back to the Moon.",
            "paraphrase",
            "NASA mission manager",
            "programme",
            "first-step",
        ),
        FixtureStatement(
            "pacific",
            "Orion will spend about 25 days in space before returning to Earth.",
            "assertion",
            "Reporter",
            "mission",
            "25-days",
        ),
        FixtureStatement(
            "pacific",
            "The agency's inspector general has estimated that each launch will cost about four billion dollars.",
            "paraphrase",
            "NASA inspector general",
            "cost",
            "launch-cost",
        ),
        FixtureStatement(
            "pacific",
            "Engineers will study how the capsule's heat shield copes with re-entry.",
            "assertion",
            "Reporter",
            "mission",
            "heat-shield",
        ),
    ],
)

# ---------------------------------------------------------------- the demo event

# Claims reported by both seeds, each statement named by its article and the start of its text.
# Near misses left apart on purpose: RT's "coordinating ... against terrorism in Syria" and
# OV's "also talked about Syria, although ... chemical weapons ... was not discussed" (one is
# about counter-terrorism, the other about what the call left out); the Kremlin's "activate
# the dialogue ... ceasefire" and the White House's "safe, or de-escalation zones" (different
# proposals); RT's US missile strike on Shayrat and OV's "first time ... since the U.S.
# launched a Tomahawk missile strike" (the second is about the call, not the strike).
DEMO_CLAIMS: dict[str, list[tuple[str, str]]] = {
    "agreed-to-cooperate-on-korea": [
        ("rt", "Russian President Vladimir Putin and his US counterpart"),
        ("rt", "It has been agreed to work jointly on a diplomatic solution"),
        ("ov", "President Donald Trump and Russian President Vladimir Putin spoke by telephone"),
    ],
    "first-talk-since-missile-strike": [
        ("rt", "This is the first time that Trump and Putin have talked"),
        ("ov", "The call between the two leaders was the first time"),
    ],
}

DEMO_OUTLETS = {"rt": "RT", "ov": "Opposing Views"}


def demo_event() -> FixtureEvent:
    """The demo's hand tagging as a fixture event, each statement with its claim label."""
    labels: dict[tuple[str, str], str] = {}
    for label, members in DEMO_CLAIMS.items():
        for article, prefix in members:
            found = [
                s["text"] for s in demo_tagging.STATEMENTS if s["article"] == article and s["text"].startswith(prefix)
            ]
            if len(found) != 1:
                raise ValueError(f"DEMO_CLAIMS: {article} “{prefix}” names {len(found)} statements, not one")
            labels[(article, found[0])] = label
    statements = [
        FixtureStatement(
            s["article"],
            s["text"],
            s["kind"],
            s["source"],
            s["topic"],
            labels.get((s["article"], s["text"]), f"{s['article']}-{n}"),
        )
        for n, s in enumerate(demo_tagging.STATEMENTS)
    ]
    return FixtureEvent(
        slug="demo",
        name="demo",
        date="2017-05-02",
        articles=[FixtureArticle(key, name, "", "") for key, name in DEMO_OUTLETS.items()],
        statements=statements,
    )


TUNING_EVENTS = ("demo", "ever-given")
TEST_EVENTS = ("artemis",)


def fixture_events() -> dict[str, FixtureEvent]:
    return {"demo": demo_event(), "ever-given": EVER_GIVEN, "artemis": ARTEMIS}


# ---------------------------------------------------------------- evaluation


@dataclass(frozen=True)
class Scores:
    """Precision, recall and F1 over the pairs of statements of different outlets."""

    true_positives: int
    false_positives: int
    false_negatives: int

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        wanted = self.true_positives + self.false_negatives
        return self.true_positives / wanted if wanted else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: Scores) -> Scores:
        return Scores(
            self.true_positives + other.true_positives,
            self.false_positives + other.false_positives,
            self.false_negatives + other.false_negatives,
        )


def statement_rows(event: FixtureEvent) -> list[tuple[StatementText, str]]:
    """The event's statements as the matching sees them (ids are positions), each with its claim label.

    A reporter is the outlet's own voice, so "Reporter" is a different source in each outlet
    (as the demo has "RT reporter" and "Opposing Views reporter").
    """
    outlets = {a.key: n for n, a in enumerate(event.articles)}
    sources: dict[str, int] = {}
    topics: dict[str, int] = {}
    rows = []
    for n, s in enumerate(event.statements):
        source = f"{s.article} reporter" if s.source == "Reporter" else s.source
        rows.append(
            (
                StatementText(
                    n,
                    outlets[s.article],
                    s.text,
                    s.kind,
                    sources.setdefault(source, len(sources)),
                    topics.setdefault(s.topic, len(topics)),
                ),
                s.claim,
            )
        )
    return rows


def evaluate(event: FixtureEvent, threshold: float, matches: list[Match] | None = None) -> tuple[Scores, Scores]:
    """(direct matches, claims) scored against the labels: a pair counts as found when the two
    statements are matched directly, and, for claims, when they end up in the same claim.

    `matches`, when given, are the event's matches at a lower threshold, to be cut at this one.
    """
    rows = statement_rows(event)
    label = {s.id: claim for s, claim in rows}
    outlet = {s.id: s.outlet_id for s, _ in rows}
    if matches is None:
        matches = match_statements([s for s, _ in rows], threshold)
    else:
        matches = [m for m in matches if m.score >= threshold or m.contained]
    matched = {(m.a, m.b) for m in matches}
    claim_of = {i: n for n, claim in enumerate(group_claims(label, matches)) for i in claim}
    direct = grouped = Scores(0, 0, 0)
    ids = sorted(label)
    for x, a in enumerate(ids):
        for b in ids[x + 1 :]:
            if outlet[a] == outlet[b]:
                continue
            same = label[a] == label[b]
            direct += _count((a, b) in matched, same)
            grouped += _count(claim_of[a] == claim_of[b], same)
    return direct, grouped


def _count(found: bool, same: bool) -> Scores:
    return Scores(int(found and same), int(found and not same), int(same and not found))


def sweep(names: tuple[str, ...], thresholds: list[float]) -> dict[float, tuple[Scores, Scores]]:
    """`evaluate_all` for each threshold, matching each event once (at the lowest threshold)."""
    events = fixture_events()
    lowest = {name: match_statements([s for s, _ in statement_rows(events[name])], min(thresholds)) for name in names}
    result = {}
    for threshold in thresholds:
        direct = grouped = Scores(0, 0, 0)
        for name in names:
            d, g = evaluate(events[name], threshold, lowest[name])
            direct, grouped = direct + d, grouped + g
        result[threshold] = (direct, grouped)
    return result


def evaluate_all(names: tuple[str, ...], threshold: float) -> tuple[Scores, Scores]:
    events = fixture_events()
    direct = grouped = Scores(0, 0, 0)
    for name in names:
        d, g = evaluate(events[name], threshold)
        direct, grouped = direct + d, grouped + g
    return direct, grouped


# ---------------------------------------------------------------- in the database


def load_fixture_event(fixture: FixtureEvent, tagging_status: str = "complete") -> dict:
    """Save a fixture event (outlets, articles, topics, sources, accepted statements).

    Returns {"event", "outlets" (by article key), "articles" (by key), "statements" (in
    fixture order)}. The statements are created without matching: the caller runs it.
    """
    from coverage.models import Source

    from .conftest import make_article, make_event, make_outlet, make_statement, make_topic

    event = make_event(name=fixture.name, slug=fixture.slug)
    topics = {
        slug: make_topic(event, name=slug, slug=slug) for slug in dict.fromkeys(s.topic for s in fixture.statements)
    }
    outlets, articles, sources = {}, {}, {}
    for a in fixture.articles:
        outlets[a.key] = make_outlet(name=a.outlet, slug=a.key)
        articles[a.key] = make_article(
            event, outlets[a.key], headline=a.headline, body=a.body, tagging_status=tagging_status
        )
    statements = []
    for s in fixture.statements:
        name = f"{outlets[s.article].name} reporter" if s.source == "Reporter" else s.source
        if name not in sources:
            kind = "reporter" if s.source == "Reporter" else fixture.sources.get(s.source, "official")
            sources[name] = Source.objects.create(name=name, type=kind)
        statements.append(
            make_statement(articles[s.article], s.text, kind=s.kind, source=sources[name], topic=topics[s.topic])
        )
    return {"event": event, "outlets": outlets, "articles": articles, "statements": statements}
