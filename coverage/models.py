"""Framescope's domain: outlets, events, articles, topics, sources, frames, statements.

The words are those of the product brief: a statement is a tagged span of an article's
body, stored with exact character offsets so that `article.body[start:end] == text`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from .versioning import Versioned

TONE_MIN, TONE_MAX = -2, 2


class Ownership(models.TextChoices):
    STATE_FUNDED = "state_funded", "State-funded"
    PRIVATE = "private", "Private"
    PUBLIC_SERVICE = "public_service", "Public service"
    NONPROFIT = "nonprofit", "Non-profit"
    OTHER = "other", "Other"


# Okabe–Ito: eight colours that stay distinct under the common colour-vision deficiencies.
# Black is last because text and axes are dark too.
OUTLET_PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]


def next_outlet_colour() -> str:
    """The palette colour fewest outlets have yet, so outlets differ as long as they can."""
    used = dict(Outlet.objects.values_list("colour").annotate(n=models.Count("id")))
    return min(OUTLET_PALETTE, key=lambda colour: (used.get(colour, 0), OUTLET_PALETTE.index(colour)))


class Outlet(models.Model):
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    country = models.CharField(max_length=100, blank=True, help_text="Country of publication.")
    language = models.CharField(max_length=20, blank=True, help_text="Language code, e.g. en.")
    ownership = models.CharField(max_length=20, choices=Ownership, default=Ownership.OTHER)
    website = models.URLField(blank=True)
    colour = models.CharField(
        max_length=7,
        blank=True,
        validators=[RegexValidator(r"^#[0-9A-Fa-f]{6}$", "Give a hex colour like #0072B2.")],
        help_text="Hex colour of this outlet in every chart and in the matrix; chosen from a "
        "colour-blind-safe palette when left empty.",
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(colour__startswith="#"), name="outlet_colour_hex"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        if not self.colour:
            self.colour = next_outlet_colour()
        super().save(*args, **kwargs)

    def clean(self) -> None:
        # Admin validates the `outlet_colour_hex` constraint before save() runs: an empty
        # colour is filled here, as the help text promises.
        if not self.colour:
            self.colour = next_outlet_colour()


class Codebook(models.Model):
    """A set of frame categories; events choose one to code their statements."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Frame(models.Model):
    codebook = models.ForeignKey(Codebook, on_delete=models.CASCADE, related_name="frames")
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100)
    number = models.PositiveSmallIntegerField(default=0, help_text="Position in the codebook.")
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["codebook", "number", "name"]
        constraints = [
            models.UniqueConstraint(fields=["codebook", "slug"], name="frame_unique_slug_per_codebook"),
        ]

    def __str__(self) -> str:
        return self.name


def default_codebook_id() -> int | None:
    return Codebook.objects.filter(slug=MEDIA_FRAMES_CODEBOOK_SLUG).values_list("id", flat=True).first()


MEDIA_FRAMES_CODEBOOK_SLUG = "media-frames-corpus"


class Event(models.Model):
    name = models.CharField(max_length=300)
    slug = models.SlugField(max_length=100, unique=True)
    date = models.DateField(help_text="The day the event happened.")
    description = models.TextField(blank=True)
    codebook = models.ForeignKey(
        Codebook,
        on_delete=models.PROTECT,
        related_name="events",
        default=default_codebook_id,
        help_text="Frames for this event's statements come from this codebook.",
    )

    class Meta:
        ordering = ["-date", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("coverage:event_detail", args=[self.slug])


class Topic(models.Model):
    """An aspect of one event that coverage may include or leave out."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="topics")
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100)
    is_key = models.BooleanField(
        "key topic",
        default=False,
        help_text="An outlet that does not cover a key topic counts as omitting it.",
    )
    description = models.TextField(blank=True)
    number = models.PositiveSmallIntegerField(default=0, help_text="Position in the event's topic list.")

    class Meta:
        ordering = ["event", "number", "name"]
        constraints = [
            models.UniqueConstraint(fields=["event", "slug"], name="topic_unique_slug_per_event"),
        ]

    def __str__(self) -> str:
        return self.name


class SourceType(models.TextChoices):
    OFFICIAL = "official", "Official"
    POLITICIAN = "politician", "Politician"
    EXPERT = "expert", "Expert"
    MEDIA = "media", "Media"
    ORGANISATION = "organisation", "Organisation or document"
    ANONYMOUS = "anonymous", "Anonymous"
    REPORTER = "reporter", "Reporter"


class Source(Versioned):
    """Who a statement is attributed to: a person, an organisation, a document or the reporter."""

    name = models.CharField(max_length=200)
    type = models.CharField(max_length=20, choices=SourceType)
    affiliation = models.CharField(max_length=200, blank=True)
    aliases = models.TextField(blank=True, help_text="Other names for this source, one per line.")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "affiliation"], name="source_unique_name_affiliation"),
        ]
        indexes = [
            # Serves the admin statement list's "source type" filter (statements joined to sources by type).
            models.Index(fields=["type", "name"], name="source_type_name_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.affiliation})" if self.affiliation else self.name

    def alias_list(self) -> list[str]:
        return [line.strip() for line in self.aliases.splitlines() if line.strip()]


class TaggingStatus(models.TextChoices):
    """How far taggers have got with an article. Set by taggers; machine suggestions never change it.

    Omissions are claimed against an outlet only when every one of its articles on the event
    is complete (coverage/omissions.py).
    """

    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETE = "complete", "Complete"


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def count_words(text: str) -> int:
    return len(text.split())


class Article(Versioned):
    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="articles")
    outlet = models.ForeignKey(Outlet, on_delete=models.PROTECT, related_name="articles")
    headline = models.CharField(max_length=500)
    # NULL, not "", when unknown: the URL is unique among articles that have one.
    url = models.URLField(max_length=1000, null=True, blank=True, help_text="Leave empty when unknown.")  # noqa: DJ001
    published_at = models.DateTimeField(null=True, blank=True, help_text="Empty when the text gives no date.")
    byline = models.CharField(max_length=300, blank=True)
    body = models.TextField(help_text="Article text, cleaned of page furniture. Statements point into it.")
    body_hash = models.CharField(max_length=64, editable=False, help_text="SHA-256 of the body.")
    original_text = models.TextField(blank=True, help_text="The text as imported, before cleaning.")
    tagging_status = models.CharField(
        max_length=20,
        choices=TaggingStatus,
        default=TaggingStatus.NOT_STARTED,
        help_text="Set to complete once every quote and claim of the article is tagged: only then can "
        "the dashboard say what its outlet left out.",
    )
    # Stored so that lists never read the body to show a word count.
    words = models.PositiveIntegerField(default=0, editable=False, help_text="Words in the body.")
    # A default, not auto_now_add, so that an imported bundle can keep the original time.
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["event", "outlet__name", "published_at"]
        constraints = [
            models.UniqueConstraint(fields=["url"], name="article_unique_url", condition=Q(url__isnull=False)),
            # Natural key for articles imported without a URL.
            models.UniqueConstraint(
                fields=["event", "outlet", "body_hash"], name="article_unique_body_per_outlet_event"
            ),
        ]
        indexes = [
            # Serves the event page and the matrix: articles of one event by outlet.
            models.Index(fields=["event", "outlet"], name="article_event_outlet_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.outlet}: {self.headline}"

    def save(self, *args, **kwargs) -> None:
        if self.url == "":
            self.url = None
        self.body_hash = content_hash(self.body)
        self.words = count_words(self.body)
        if kwargs.get("update_fields") is not None and "body" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "body_hash", "words"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("coverage:article_detail", args=[self.pk])

    def clean(self) -> None:
        if self.url == "":
            self.url = None
        if self.pk:
            stale = [s for s in self.statements.only("start", "end", "text") if self.body[s.start : s.end] != s.text]
            if stale:
                raise ValidationError(
                    {
                        "body": f"This change would move {len(stale)} tagged statement(s) off their text; "
                        "edit or delete those statements first."
                    }
                )


class StatementKind(models.TextChoices):
    DIRECT_QUOTE = "quote", "Direct quote"
    PARAPHRASE = "paraphrase", "Attributed paraphrase"
    ASSERTION = "assertion", "Reporter's assertion"


class Tone(models.IntegerChoices):
    VERY_NEGATIVE = -2, "−2 very negative"
    NEGATIVE = -1, "−1 negative"
    NEUTRAL = 0, "0 neutral"
    POSITIVE = 1, "+1 positive"
    VERY_POSITIVE = 2, "+2 very positive"


class StatementStatus(models.TextChoices):
    ACCEPTED = "accepted", "Accepted"
    SUGGESTED = "suggested", "Suggested (machine guess)"
    REJECTED = "rejected", "Rejected suggestion"


class StatementQuerySet(models.QuerySet):
    def accepted(self) -> StatementQuerySet:
        """Statements the dashboard may show: never a machine guess that no tagger accepted."""
        return self.filter(status=StatementStatus.ACCEPTED)

    def for_event(self, event: Event) -> StatementQuerySet:
        return self.filter(article__event=event)


class Statement(Versioned):
    _change_reason: str  # read by django-simple-history when the next save writes the history row
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="statements")
    start = models.PositiveIntegerField(help_text="Offset of the first character in the article body.")
    end = models.PositiveIntegerField(help_text="Offset just past the last character.")
    text = models.TextField(help_text="Exactly the body between start and end.")
    kind = models.CharField(max_length=20, choices=StatementKind)
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="statements", null=True, blank=True)
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="statements", null=True, blank=True)
    frame = models.ForeignKey(Frame, on_delete=models.PROTECT, related_name="statements", null=True, blank=True)
    tone = models.SmallIntegerField(choices=Tone, default=Tone.NEUTRAL)
    target = models.CharField(max_length=200, blank=True, help_text="Whom or what the tone is about.")
    status = models.CharField(max_length=20, choices=StatementStatus, default=StatementStatus.ACCEPTED)
    tagged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # A default, not auto_now_add, so that an imported bundle can keep when it was tagged.
    tagged_at = models.DateTimeField(default=timezone.now, editable=False)
    # Tagging (issue 5): a suggestion whose speaker matched no existing source keeps the
    # name the suggester read, so that the tagger can create or pick the source.
    proposed_source_name = models.CharField(
        max_length=200, blank=True, help_text="Speaker named in the text that matched no source (suggestions only)."
    )
    # History keeps the version too: the edit-conflict message names versions, and the
    # importers copy statements into their history column for column.
    history = HistoricalRecords()

    objects = StatementQuerySet.as_manager()

    class Meta:
        ordering = ["article", "start", "end"]
        constraints = [
            models.CheckConstraint(
                condition=Q(tone__gte=TONE_MIN) & Q(tone__lte=TONE_MAX), name="statement_tone_range"
            ),
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="statement_end_after_start"),
            # The database cannot see the article body here, but it can hold the length to the offsets.
            models.CheckConstraint(
                condition=Q(end=F("start") + models.functions.Length("text")), name="statement_text_length_matches"
            ),
            models.UniqueConstraint(fields=["article", "start", "end"], name="statement_unique_span"),
        ]
        indexes = [
            # Serves the matrix and the charts: an event's accepted statements grouped by topic.
            models.Index(fields=["status", "topic"], name="statement_status_topic_idx"),
            # Tagging admin (issue 5). Serves the statement list's "status" and "kind" filters,
            # e.g. WHERE status = 'suggested' AND kind = 'quote'.
            models.Index(fields=["status", "kind"], name="statement_status_kind_idx"),
            # Serves the statement list's "tone" filter: WHERE status = ... AND tone = ...
            models.Index(fields=["status", "tone"], name="statement_status_tone_idx"),
            # Serves an article's suggestions (tagging panel, suggest_for_article) and the
            # event/outlet filters, which become article_id IN (...) AND status = ...
            models.Index(fields=["article", "status"], name="statement_article_status_idx"),
            # Serves the "tagger" filter ordered like the list: WHERE tagged_by_id = ... ORDER BY tagged_at.
            models.Index(fields=["tagged_by", "tagged_at"], name="statement_tagger_date_idx"),
            # Serves the admin statement list's ordering, newest first: ORDER BY tagged_at DESC, id DESC
            # LIMIT 100 reads this index backwards. (Trigram indexes for its search: migration 0014.)
            models.Index(fields=["tagged_at", "id"], name="statement_tagged_at_idx"),
        ]

    def __str__(self) -> str:
        excerpt = self.text if len(self.text) <= 60 else self.text[:57] + "…"
        return f"“{excerpt}”"

    def save(self, *args, **kwargs) -> None:
        # Offsets are checked on every save, not only in forms: nothing may point off its text.
        errors = self.offset_errors()
        if errors:
            raise ValidationError(errors)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return f"{self.article.get_absolute_url()}#statement-{self.pk}"

    def offset_errors(self) -> dict[str, str]:
        """Why start/end/text do not point at the article body, by field; empty when they do."""
        body = self.article.body if self.article_id else ""
        if self.start is None or self.end is None:
            return {}
        if self.end <= self.start:
            return {"end": f"End ({self.end}) must be greater than start ({self.start})."}
        if self.end > len(body):
            return {"end": f"End ({self.end}) is past the end of the article body ({len(body)} characters)."}
        if body[self.start : self.end] != self.text:
            return {
                "text": f"The text does not match the article body at {self.start}–{self.end}, "
                f"which reads “{body[self.start : self.end][:80]}”."
            }
        return {}

    def clean(self) -> None:
        errors = self.offset_errors()
        if self.article_id:
            if self.topic is not None and self.topic.event_id != self.article.event_id:
                errors["topic"] = "This topic belongs to another event."
            if self.frame is not None and self.frame.codebook_id != self.article.event.codebook_id:
                errors["frame"] = "This frame is not in the event's codebook."
        if self.tone is not None and not TONE_MIN <= self.tone <= TONE_MAX:
            errors["tone"] = f"Tone must be between {TONE_MIN} and {TONE_MAX}."
        if errors:
            raise ValidationError(errors)


# Public share links for one chart (issue 4). The token is shown once to its creator; only
# its SHA-256 is stored, so a database leak does not leak working links.

SHARE_LINK_DEFAULT_DAYS = 30
SHARE_LINK_MAX_DAYS = 90
SHARE_LINK_QUERYSTRING_MAX = 2000


class ChartKind(models.TextChoices):
    TOPIC_COVERAGE = "topic-coverage", "Topic coverage"
    TONE = "tone", "Tone by outlet and topic"
    SOURCES = "sources", "Who is quoted"
    FRAMES = "frames", "Frames per outlet"
    TONE_OVER_TIME = "tone-over-time", "Mean tone over time"

    @classmethod
    def per_event(cls) -> list[ChartKind]:
        """The charts of one event, in the order the event page shows them."""
        return [cls.TOPIC_COVERAGE, cls.TONE, cls.SOURCES, cls.FRAMES]


def hash_share_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _creator_may_still_share() -> Q:
    """The link's creator is active and may still make share links (a superuser, or holding
    coverage.add_sharelink through a group such as Editors, or directly)."""
    may_share = Permission.objects.filter(content_type__app_label="coverage", codename="add_sharelink")
    return Q(created_by__is_active=True) & (
        Q(created_by__is_superuser=True)
        | Exists(may_share.filter(group__user=OuterRef("created_by")))
        | Exists(may_share.filter(user=OuterRef("created_by")))
    )


class ShareLinkQuerySet(models.QuerySet):
    def active(self, now: dt.datetime | None = None) -> ShareLinkQuerySet:
        """Links that open: not revoked, not yet expired, and made by someone who is still
        allowed to make them (a deactivated user's links, or those of a user who left the
        Editors, stop opening; they open again if the user gets the role back)."""
        return self.filter(_creator_may_still_share(), revoked_at=None, expires_at__gt=now or timezone.now())

    def for_token(self, token: str) -> ShareLinkQuerySet:
        return self.filter(token_hash=hash_share_token(token))


class ShareLink(models.Model):
    """A public, read-only link to one chart with its filters frozen at creation."""

    kind = models.CharField(max_length=20, choices=ChartKind)
    event = models.ForeignKey(
        Event,
        on_delete=models.CASCADE,
        related_name="share_links",
        null=True,
        blank=True,
        help_text="Empty for charts across events (every chart kind has both).",
    )
    querystring = models.CharField(
        max_length=SHARE_LINK_QUERYSTRING_MAX,
        blank=True,
        editable=False,
        help_text="Canonical filter parameters, frozen at creation.",
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False, help_text="SHA-256 of the token.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="share_links")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ShareLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # Serves "My share links": one user's links, newest first.
            models.Index(fields=["created_by", "-created_at"], name="sharelink_creator_idx"),
        ]

    def __str__(self) -> str:
        where = f" of {self.event}" if self.event_id else ""
        return f"{self.get_kind_display()}{where} by {self.created_by}"

    @classmethod
    def create_for(cls, *, kind: str, event: Event | None, querystring: str, user, days: int) -> tuple[ShareLink, str]:
        """Make a link; returns it and its token, which is shown once and never stored."""
        token = secrets.token_urlsafe(32)  # 256 bits
        link = cls.objects.create(
            kind=kind,
            event=event,
            querystring=querystring,
            token_hash=hash_share_token(token),
            created_by=user,
            expires_at=timezone.now() + dt.timedelta(days=days),
        )
        return link, token

    @staticmethod
    def canonical_querystring(querystring: str) -> str:
        """The query string with each repeated value kept once (`tone=1&tone=1` → `tone=1`)."""
        query = QueryDict(querystring, mutable=True)
        for name in list(query):
            query.setlist(name, list(dict.fromkeys(query.getlist(name))))
        return query.urlencode()

    @staticmethod
    def querystring_problem(querystring: str) -> str | None:
        """Why these filters cannot be frozen in a link, or None when they can."""
        if len(querystring) <= SHARE_LINK_QUERYSTRING_MAX:
            return None
        return (
            f"These filters come to {len(querystring):,} characters once written out; a share link holds at most "
            f"{SHARE_LINK_QUERYSTRING_MAX:,}. Choose fewer values (outlets, topics, frames, sources), or send "
            "logged-in colleagues the chart's own address instead."
        )

    @property
    def status(self) -> str:
        if self.revoked_at:
            return "revoked"
        return "active" if self.expires_at > timezone.now() else "expired"

    def revoke(self) -> None:
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])


# Background jobs live in their own module (coverage/jobs/), summary tables kept on write in
# coverage/tallies.py; loading them here registers them.
from coverage import tallies  # noqa: E402, F401 - registers the tally models and their signal receivers
from coverage.jobs.models import Job, JobFile  # noqa: E402, F401 - imported to register the models

from . import claim_models  # noqa: E402, F401 - claims across outlets (issue 13) live in their own module
