"""Synthetic coverage at any size, for measuring the dashboard (manage.py generate_synthetic).

The data looks like real coverage where it matters to the queries: outlets with their own
habits (tone, topics they tend to leave out, whom they quote, how fast they tag), many
events and one big one (about a fifth of all statements), articles in every tagging
state, statements of every kind attributed to sources of every type, frames from each
event's codebook, publication dates spread over days. Article bodies are made around the
statements, so every statement's offsets point at its text.

Everything comes from one `random.Random(seed)`: the same seed gives the same rows (only
the ids depend on what the database held before). Rows are written in bulk, with COPY on
PostgreSQL, one event per transaction. No audit history is written for these rows.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import connection, models, transaction
from django.utils.text import slugify

from coverage.models import (
    MEDIA_FRAMES_CODEBOOK_SLUG,
    OUTLET_PALETTE,
    Article,
    Codebook,
    Event,
    Frame,
    Outlet,
    Ownership,
    Source,
    SourceType,
    Statement,
    StatementKind,
    StatementStatus,
    TaggingStatus,
    Topic,
    content_hash,
    count_words,
)

SLUG_PREFIX = "syn-"
BIG_EVENT_SHARE = 0.2
BATCH = 5000
RESEARCH_CODEBOOK_SLUG = "syn-research-codebook"
RESEARCH_FRAMES = ["Conflict", "Human interest", "Economic consequences", "Morality", "Responsibility", "Other"]

OUTLET_NAMES = [
    ("Daily Ledger", "US", Ownership.PRIVATE),
    ("Northern Broadcaster", "GB", Ownership.PUBLIC_SERVICE),
    ("State Wire", "RU", Ownership.STATE_FUNDED),
    ("Harbour Times", "AU", Ownership.PRIVATE),
    ("Civic Post", "DE", Ownership.NONPROFIT),
    ("Evening Courier", "IE", Ownership.PRIVATE),
    ("Continental Review", "FR", Ownership.PUBLIC_SERVICE),
    ("Capital Herald", "US", Ownership.PRIVATE),
    ("Eastern Telegraph", "PL", Ownership.STATE_FUNDED),
    ("Open Tribune", "CA", Ownership.NONPROFIT),
    ("Morning Dispatch", "NZ", Ownership.PRIVATE),
    ("World Signal", "IN", Ownership.OTHER),
]
ASPECTS = [
    "Sanctions and trade",
    "Military escalation",
    "Humanitarian aid",
    "Election interference",
    "Energy supplies",
    "Diplomatic talks",
    "Refugees",
    "Cyber attacks",
    "Domestic protests",
    "Court ruling",
    "Public health",
    "Arms deal",
    "Climate pledge",
    "Border dispute",
    "Media freedom",
    "Corruption inquiry",
]
PLACES = ["Geneva", "Vienna", "Ankara", "Seoul", "Nairobi", "Lima", "Oslo", "Hanoi", "Doha", "Riga", "Quito", "Accra"]
HAPPENINGS = ["summit", "phone call", "ceasefire", "vote", "strike", "treaty", "visit", "talks", "report", "ruling"]
FIRST = "Anna Boris Carla David Elena Farid Grace Hugo Ines Jonas Kira Liam Maya Nikolai Olga Pavel Rosa Sami".split()
LAST = (
    "Adler Baker Chen Dorn Evans Fischer Garcia Haddad Ivanov Jensen Kowalski Lund Moreau Novak Okafor Petrov".split()
)
INSTITUTES = ["Institute for Policy Studies", "Centre for Security", "University of Leiden", "Economics Forum"]
SUBJECTS = ["The government", "Officials", "The ministry", "Negotiators", "The delegation", "Critics", "Analysts"]
VERBS = ["warned of", "welcomed", "rejected", "questioned", "called for", "played down", "stressed", "denied"]
OBJECTS = ["new measures", "the agreement", "further talks", "the allegations", "a joint statement", "the deadline"]
TAILS = ["on Monday", "after the meeting", "in a statement", "within weeks", "despite objections", "at the weekend"]
FILLER = [
    "The meeting lasted about an hour.",
    "Details were not immediately available.",
    "Reporters waited outside the building.",
    "The statement was published late in the evening.",
    "Markets reacted calmly.",
    "Earlier this year the two sides met twice.",
    "A spokesperson declined to comment further.",
]
TARGETS = ["the government", "the opposition", "the delegation", "the alliance", "the president", ""]
SOURCE_TYPES = [t.value for t in SourceType]


@dataclass
class OutletHabits:
    """How one outlet covers events: drawn once per outlet from the seed."""

    tone_bias: float
    omission_rate: float
    source_weights: list[float]  # over SOURCE_TYPES, reporter excluded (assertions use the reporter)
    kind_weights: list[float]  # quote, paraphrase, assertion
    frame_bias: list[float]
    volume: float
    coverage_rate: float
    tagging: list[float]  # complete, in progress, not started (per event)
    favourites: list[int] = field(default_factory=list)  # indexes of its favourite sources


@dataclass
class Plan:
    """What generate() writes; totals for the report."""

    statements: int
    events: int
    outlets: int
    counts: dict[str, int] = field(default_factory=dict)


def _split(total: int, weights: list[float]) -> list[int]:
    """`total` shared in proportion to `weights`, in integers that add up exactly (largest remainder)."""
    whole = sum(weights)
    if total == 0 or whole <= 0:
        return [0] * len(weights)
    raw = [total * w / whole for w in weights]
    parts = [math.floor(r) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: (parts[i] - raw[i], i))
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts


class RowWriter:
    """Writes rows (attname → value) of one model: COPY on PostgreSQL, bulk_create elsewhere.

    Ids are taken beforehand (from the sequence on PostgreSQL), so that statements can
    point at articles written in the same batch without reading anything back.
    """

    def __init__(self, model: type[models.Model]):
        self.model = model
        self.fields = [f for f in model._meta.concrete_fields]
        self.columns = [f.attname for f in self.fields]
        self.defaults = {f.attname: f.get_default() for f in self.fields if f.attname != "id"}
        self._next_id: int | None = None

    def take_ids(self, n: int) -> list[int]:
        if n == 0:
            return []
        table = self.model._meta.db_table
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, n]
                )
                return [pk for (pk,) in cursor.fetchall()]
        if self._next_id is None:
            self._next_id = (self.model._default_manager.aggregate(m=models.Max("id"))["m"] or 0) + 1
        first = self._next_id
        self._next_id = first + n
        return list(range(first, first + n))

    def write(self, rows: list[dict]) -> None:
        if not rows:
            return
        if connection.vendor == "postgresql":
            quote = connection.ops.quote_name
            names = ", ".join(quote(c) for c in self.columns)
            with connection.cursor() as cursor:
                with cursor.copy(f"COPY {quote(self.model._meta.db_table)} ({names}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row([row[c] if c in row else self.defaults[c] for c in self.columns])
        else:
            for start in range(0, len(rows), BATCH):
                batch = rows[start : start + BATCH]
                self.model._default_manager.bulk_create([self.model(**{**self.defaults, **row}) for row in batch])


class Generator:
    def __init__(self, statements: int, seed: int, events: int, outlets: int, out: Callable[[str], None]):
        if statements < 0 or events < 1 or outlets < 2:
            raise ValueError("Give at least 0 statements, 1 event and 2 outlets.")
        self.n = statements
        self.rng = random.Random(seed)  # noqa: S311 - reproducible data, not secrets
        self.n_events = events
        self.n_outlets = outlets
        self.out = out
        self.counts = {"outlet": 0, "event": 0, "topic": 0, "source": 0, "article": 0, "statement": 0}
        self.written = 0
        self.started = time.monotonic()
        self.last_report = 0.0

    # -- reference rows ------------------------------------------------------------------

    def _codebooks(self) -> tuple[Codebook, Codebook]:
        default = Codebook.objects.filter(slug=MEDIA_FRAMES_CODEBOOK_SLUG).first()
        if default is None:  # a database whose migration rows were flushed
            default = Codebook.objects.create(name="Synthetic frames", slug="syn-frames")
            Frame.objects.bulk_create(
                Frame(codebook=default, name=f"Frame {i}", slug=f"frame-{i}", number=i) for i in range(1, 16)
            )
        research, created = Codebook.objects.get_or_create(
            slug=RESEARCH_CODEBOOK_SLUG, defaults={"name": "Synthetic research codebook"}
        )
        if created:
            Frame.objects.bulk_create(
                Frame(codebook=research, name=name, slug=slugify(name), number=i)
                for i, name in enumerate(RESEARCH_FRAMES, 1)
            )
        return default, research

    def _outlets(self) -> tuple[list[Outlet], list[OutletHabits]]:
        rng = self.rng
        outlets, habits = [], []
        for i in range(self.n_outlets):
            name, country, ownership = OUTLET_NAMES[i % len(OUTLET_NAMES)]
            if i >= len(OUTLET_NAMES):
                name = f"{name} {i // len(OUTLET_NAMES) + 1}"
            slug = SLUG_PREFIX + slugify(name)
            outlets.append(
                Outlet(
                    name=f"{name} (synthetic)",
                    slug=slug,
                    country=country,
                    language="en",
                    ownership=ownership,
                    website=f"https://{slug}.example",
                    colour=OUTLET_PALETTE[i % len(OUTLET_PALETTE)],
                )
            )
            tagging_lag = rng.choice([0.0, 0.0, 0.1, 0.3])
            habits.append(
                OutletHabits(
                    tone_bias=rng.uniform(-1.2, 1.0),
                    omission_rate=rng.choice([0.05, 0.15, 0.3, 0.5]),
                    source_weights=[rng.uniform(0.2, 3.0) for _ in SOURCE_TYPES[:-1]],
                    kind_weights=[rng.uniform(1, 4), rng.uniform(1, 3), rng.uniform(0.5, 3)],
                    frame_bias=[rng.gammavariate(0.8, 1.0) + 0.05 for _ in range(15)],
                    volume=rng.uniform(0.4, 2.0),
                    coverage_rate=rng.uniform(0.55, 1.0),
                    tagging=[1.0 - tagging_lag, tagging_lag * 0.7 + 0.08, tagging_lag * 0.3 + 0.04],
                )
            )
        Outlet.objects.bulk_create(outlets)
        habit_of = {o.slug: h for o, h in zip(outlets, habits, strict=True)}
        made = {o.slug: o for o in Outlet.objects.filter(slug__in=habit_of)}
        self.counts["outlet"] = len(made)
        return [made[o.slug] for o in outlets], habits

    def _sources(self, outlets: list[Outlet]) -> tuple[dict[str, list[Source]], dict[int, Source]]:
        rng = self.rng
        per_type = max(6, min(800, self.n // 1500))
        sources: list[Source] = []
        for type_ in SOURCE_TYPES[:-1]:
            for i in range(per_type):
                person = f"{FIRST[i % len(FIRST)]} {chr(65 + (i // len(FIRST)) % 26)}. {LAST[(i * 7 + len(type_)) % len(LAST)]}"
                if type_ == SourceType.EXPERT:
                    name, affiliation = person, f"{INSTITUTES[i % len(INSTITUTES)]} {i // len(INSTITUTES) + 1}"
                elif type_ == SourceType.ANONYMOUS:
                    name, affiliation = "A senior official", f"{rng.choice(PLACES)} office {i}"
                elif type_ in (SourceType.ORGANISATION, SourceType.MEDIA):
                    name, affiliation = f"{rng.choice(PLACES)} {type_} {i}", ""
                else:
                    name, affiliation = person, f"{type_.title()} of {PLACES[i % len(PLACES)]} {i}"
                sources.append(Source(name=f"{name} (syn)", type=type_, affiliation=affiliation))
        reporters = [
            Source(name="Staff reporter (syn)", type=SourceType.REPORTER, affiliation=outlet.name) for outlet in outlets
        ]
        Source.objects.bulk_create(sources + reporters)
        made = Source.objects.filter(name__endswith="(syn)").order_by("type", "name", "affiliation")
        by_type: dict[str, list[Source]] = {t: [] for t in SOURCE_TYPES}
        reporter_of: dict[int, Source] = {}
        by_affiliation = {o.name: o.pk for o in outlets}
        for source in made:
            by_type[source.type].append(source)
            if source.type == SourceType.REPORTER and source.affiliation in by_affiliation:
                reporter_of[by_affiliation[source.affiliation]] = source
        self.counts["source"] = len(made)
        return by_type, reporter_of

    def _events(self, default: Codebook, research: Codebook) -> list[Event]:
        rng = self.rng
        first_day = dt.date(2024, 1, 8)
        events = []
        for i in range(self.n_events):
            place, happening = rng.choice(PLACES), rng.choice(HAPPENINGS)
            name = f"{place} {happening} #{i + 1}" if i else f"The {place} {happening} (big event)"
            events.append(
                Event(
                    name=name,
                    slug=f"{SLUG_PREFIX}event-{i + 1:03d}" if i else f"{SLUG_PREFIX}big-event",
                    date=first_day + dt.timedelta(days=int(i * 700 / max(1, self.n_events))),
                    description="Synthetic event for measuring the dashboard.",
                    codebook=research if i % 10 == 9 else default,
                )
            )
        Event.objects.bulk_create(events)
        made = {e.slug: e for e in Event.objects.filter(slug__in=[e.slug for e in events])}
        self.counts["event"] = len(made)
        return [made[e.slug] for e in events]

    def _topics(self, events: list[Event]) -> dict[int, list[Topic]]:
        rng = self.rng
        topics = []
        for event in events:
            for number, aspect in enumerate(rng.sample(ASPECTS, rng.randint(6, 12)), 1):
                topics.append(
                    Topic(event=event, name=aspect, slug=slugify(aspect), number=number, is_key=rng.random() < 0.25)
                )
        Topic.objects.bulk_create(topics)
        by_event: dict[int, list[Topic]] = {}
        for topic in Topic.objects.filter(event__in=events).order_by("event_id", "number"):
            by_event.setdefault(topic.event_id, []).append(topic)
        self.counts["topic"] = len(topics)
        return by_event

    def _taggers(self) -> list:
        User = get_user_model()
        users = []
        for i in range(1, 5):
            user, created = User.objects.get_or_create(username=f"syn-tagger-{i}")
            if created:
                user.set_unusable_password()
                user.save()
            users.append(user)
        return users

    # -- articles and statements ---------------------------------------------------------

    def generate(self) -> dict[str, int]:
        if Outlet.objects.filter(slug__startswith=SLUG_PREFIX).exists():
            raise ValueError("This database already holds synthetic data (outlets named syn-…); use an empty one.")
        with transaction.atomic():
            default, research = self._codebooks()
            outlets, habits = self._outlets()
            sources, reporters = self._sources(outlets)
            events = self._events(default, research)
            topics = self._topics(events)
            taggers = self._taggers()
            frames = {cb.pk: list(Frame.objects.filter(codebook=cb).order_by("number")) for cb in (default, research)}
        rng = self.rng
        for habit in habits:
            habit.favourites = [rng.randrange(len(sources[SourceType.EXPERT])) for _ in range(5)]
        # The big event takes a fifth (more with few events, so that it stays the biggest).
        big_share = max(BIG_EVENT_SHARE, 2 / (self.n_events + 1))
        rest = self.n - round(self.n * big_share) if self.n_events > 1 else 0
        event_budget = [self.n - rest] + _split(rest, [rng.uniform(0.25, 1.75) for _ in events[1:]])
        articles = RowWriter(Article)
        statements = RowWriter(Statement)
        self.out(
            f"Writing {self.n:,} statements: {len(events)} events, {len(outlets)} outlets, "
            f"{self.counts['source']:,} sources"
        )
        for event, budget in zip(events, event_budget, strict=True):
            with transaction.atomic():
                self._event(event, budget, outlets, habits, topics[event.pk], frames[event.codebook_id or 0], sources,
                            reporters, taggers, articles, statements)  # fmt: skip
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for model in (Article, Statement, Source, Topic, Event, Outlet):
                    cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
        self._progress(force=True)
        return self.counts

    def _progress(self, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self.last_report < 2:
            return
        self.last_report = now
        share = self.written / self.n if self.n else 1
        self.out(f"  {self.written:,} / {self.n:,} statements ({share:.0%}), {now - self.started:.1f} s")

    def _event(self, event, budget, outlets, habits, topics, frames, sources, reporters, taggers, articles, statements):
        rng = self.rng
        covering = [i for i, h in enumerate(habits) if rng.random() < h.coverage_rate]
        while len(covering) < 2:
            covering = sorted(set(covering) | {rng.randrange(len(outlets))})
        # Per outlet: how far its tagging got on this event. The big event stays mostly complete.
        state = {}
        for i in covering:
            weights = [8, 1, 0.3] if event.slug.endswith("big-event") else habits[i].tagging
            state[i] = rng.choices(["complete", "in_progress", "not_started"], weights)[0]
        if all(s == "not_started" for s in state.values()):
            state[covering[0]] = "complete"
        tagged = [i for i in covering if state[i] != "not_started"]
        shares = _split(budget, [habits[i].volume * (0.5 if state[i] == "in_progress" else 1) for i in tagged])
        key_topics = [t for t in topics if t.is_key]
        article_rows, statement_rows = [], []
        for i in covering:
            outlet, habit = outlets[i], habits[i]
            n = shares[tagged.index(i)] if i in tagged else 0
            # Topics this outlet covers on this event: its habit of leaving some out.
            covered = [t for t in topics if rng.random() >= habit.omission_rate] or [rng.choice(topics)]
            per_article = rng.randint(12, 45)
            n_articles = max(1, math.ceil(n / per_article)) if n else rng.randint(1, 2)
            counts = _split(n, [rng.uniform(0.6, 1.4) for _ in range(n_articles)])
            ids = articles.take_ids(n_articles)
            shift = rng.gauss(0, 0.3)
            for k, (pk, count) in enumerate(zip(ids, counts, strict=True)):
                status = TaggingStatus.COMPLETE
                if state[i] == "not_started":
                    status = TaggingStatus.NOT_STARTED
                elif state[i] == "in_progress" and (k == 0 or rng.random() < 0.4):
                    status = TaggingStatus.IN_PROGRESS
                published = dt.datetime.combine(event.date, dt.time(6), tzinfo=dt.UTC) + dt.timedelta(
                    days=min(12, int(rng.expovariate(0.5))), minutes=rng.randrange(16 * 60)
                )
                spans = [
                    self._statement(rng, habit, outlet, covered, key_topics, frames, sources, reporters, shift)
                    for _ in range(count)
                ]
                body, placed = self._body(rng, spans, f"{outlet.name} on the {event.name}, report {k + 1}.")
                article_rows.append(
                    {
                        "id": pk,
                        "event_id": event.pk,
                        "outlet_id": outlet.pk,
                        "headline": f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} in {event.name}",
                        "url": f"{outlet.website}/{event.slug}/{k + 1}",
                        "published_at": published,
                        "byline": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                        "body": body,
                        "body_hash": content_hash(body),
                        "words": count_words(body),
                        "tagging_status": status,
                        "created_at": published + dt.timedelta(hours=2),
                    }
                )
                for span, (start, text) in zip(spans, placed, strict=True):
                    tagger = rng.choice(taggers)
                    status_roll = rng.random()
                    statement_rows.append(
                        {
                            **span,
                            "article_id": pk,
                            "start": start,
                            "end": start + len(text),
                            "text": text,
                            "status": StatementStatus.ACCEPTED
                            if status_roll < 0.96
                            else StatementStatus.SUGGESTED
                            if status_roll < 0.985
                            else StatementStatus.REJECTED,
                            "tagged_by_id": tagger.pk if status_roll < 0.96 else None,
                            "tagged_at": published
                            + dt.timedelta(days=1 + rng.randrange(20), minutes=rng.randrange(600)),
                        }
                    )
        statement_ids = statements.take_ids(len(statement_rows))
        for row, pk in zip(statement_rows, statement_ids, strict=True):
            row["id"] = pk
        articles.write(article_rows)
        for start in range(0, len(statement_rows), BATCH):
            statements.write(statement_rows[start : start + BATCH])
            self.written += len(statement_rows[start : start + BATCH])
            self._progress()
        self.counts["article"] += len(article_rows)
        self.counts["statement"] += len(statement_rows)

    @staticmethod
    def _statement(rng, habit, outlet, covered, key_topics, frames, sources, reporters, shift) -> dict:
        kind = rng.choices([StatementKind.DIRECT_QUOTE, StatementKind.PARAPHRASE, StatementKind.ASSERTION],
                           habit.kind_weights)[0]  # fmt: skip
        if kind == StatementKind.ASSERTION:
            source = reporters[outlet.pk]
        else:
            type_ = rng.choices(SOURCE_TYPES[:-1], habit.source_weights)[0]
            pool = sources[type_]
            if type_ == SourceType.EXPERT and rng.random() < 0.6:
                source = pool[rng.choice(habit.favourites) % len(pool)]
            else:
                source = (
                    pool[min(len(pool) - 1, int(rng.paretovariate(1.2)) - 1)]
                    if rng.random() < 0.5
                    else rng.choice(pool)
                )
        roll = rng.random()
        topic = None if roll < 0.03 else rng.choice(key_topics) if roll < 0.2 and key_topics else rng.choice(covered)
        frame = None if rng.random() < 0.03 else rng.choices(frames, habit.frame_bias[: len(frames)])[0]
        tone = max(-2, min(2, round(habit.tone_bias + shift + rng.gauss(0, 0.8))))
        text = f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(TAILS)}"
        if topic is not None:
            text += f", over {topic.name.lower()}"
        return {
            "kind": kind,
            "source_id": source.pk,
            "topic_id": topic.pk if topic else None,
            "frame_id": frame.pk if frame else None,
            "tone": tone,
            "target": rng.choice(TARGETS) if tone else "",
            "_speaker": source.name.removesuffix(" (syn)"),
            "text": text,
        }

    @staticmethod
    def _body(rng, spans: list[dict], lead: str) -> tuple[str, list[tuple[int, str]]]:
        """An article body around the statements' texts; returns it and each text's offset."""
        parts = [lead]
        length = len(lead)
        placed = []

        def put(piece: str) -> None:
            nonlocal length
            parts.append(piece)
            length += len(piece)

        for span in spans:
            put(" ")
            if rng.random() < 0.5:
                put(rng.choice(FILLER) + " ")
            speaker = span.pop("_speaker")
            text = span.pop("text")
            if span["kind"] == StatementKind.DIRECT_QUOTE:
                put(f"{speaker} said: “")
                placed.append((length, text))
                put(text + ".”")
            elif span["kind"] == StatementKind.PARAPHRASE:
                put(f"According to {speaker}, ")
                placed.append((length, text))
                put(text + ".")
            else:
                placed.append((length, text))
                put(text + ".")
        return "".join(parts), placed


def generate(
    statements: int, seed: int, events: int, outlets: int, out: Callable[[str], None] = print
) -> dict[str, int]:
    """Write synthetic coverage with `statements` statements; returns the counts written."""
    return Generator(statements, seed, events, outlets, out).generate()


def default_events(statements: int) -> int:
    """Events when none is asked for: a few for small runs, 200 at a million."""
    return max(3, min(200, statements // 5000))
