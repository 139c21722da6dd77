"""Filter forms. Their GET parameters are the dashboard's shareable state.

Every page that shows statements (matrix, drill-down, charts, share links) reads the same
`StatementFilterForm`, so a URL means the same selection everywhere.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any, cast

from django import forms
from django.http import QueryDict

from .models import SHARE_LINK_DEFAULT_DAYS, SHARE_LINK_MAX_DAYS, SourceType, StatementKind, Tone
from .readmodel import Dimensions, source_choices, topic_names
from .rows import StatementFilters


class FilterError(ValueError):
    """A filter parameter was invalid; `errors` maps each parameter to what was wrong."""

    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        super().__init__("; ".join(f"{name}: {' '.join(messages)}" for name, messages in errors.items()))


MAX_VALUES = 200  # values of one filter parameter; more is a mistake or a probe, never a selection
MAX_ID = 2**63 - 1  # the largest id a database column holds


class StatementFilterForm(forms.Form):
    """Narrows statements: by outlet, topic, frame, source type, source, tone, kind, date.

    Empty fields filter nothing. The choices are the scope's dimensions (`readmodel.Dimensions`),
    read before validation, so that validating a filter costs no query (but for sources, which
    are looked up only when given): on an event page an outlet or topic of another event is an
    invalid value, not an empty result. `filters()` gives the plain values the read model takes.
    """

    outlet = forms.MultipleChoiceField(required=False)
    topic = forms.MultipleChoiceField(required=False)
    frame = forms.MultipleChoiceField(required=False)
    source_type = forms.MultipleChoiceField(choices=SourceType.choices, required=False, label="Source type")
    source = forms.MultipleChoiceField(required=False)
    tone = forms.TypedMultipleChoiceField(choices=Tone.choices, coerce=int, required=False)
    kind = forms.MultipleChoiceField(choices=StatementKind.choices, required=False, label="Statement kind")
    date_from = forms.DateField(required=False, label="Published from", widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(required=False, label="Published to", widget=forms.DateInput(attrs={"type": "date"}))

    # Parameter order in canonical URLs.
    FIELDS = ["outlet", "topic", "frame", "source_type", "source", "tone", "kind", "date_from", "date_to"]

    def __init__(self, data: QueryDict | dict | None = None, *, dims: Dimensions, **kwargs):
        super().__init__(data if data is not None else {}, **kwargs)
        self.dims = dims
        _choice(self, "outlet").choices = [(o.slug, o.name) for o in dims.outlets]
        self._frame_ids: dict[str, set[int]] = {}
        for frame in dims.frames:
            self._frame_ids.setdefault(frame.slug, set()).add(frame.id)
        frame_names = {f.slug: f.name for f in dims.frames}
        _choice(self, "frame").choices = list(frame_names.items())
        if dims.event is not None:
            _choice(self, "topic").choices = [(t.slug, t.name) for t in dims.topics]
        else:
            # Topic slugs repeat across events; across events topics are chosen by id.
            self.fields["topic"].validators.append(_ids_validator("topic"))
            _choice(self, "topic").valid_value = lambda value: True  # type: ignore[method-assign]  # checked in clean_topic
        _choice(self, "source").valid_value = lambda value: True  # type: ignore[method-assign]  # checked in clean_source
        self._source_names: dict[int, str] = {}
        self._topic_names: dict[int, str] = {}

    def _capped(self, name: str) -> list:
        values = list(dict.fromkeys(self.cleaned_data.get(name) or []))
        if len(values) > MAX_VALUES:
            raise forms.ValidationError(f"At most {MAX_VALUES} values, got {len(values)}.")
        return values

    def clean_outlet(self) -> list:
        return self._capped("outlet")

    def clean_frame(self) -> list:
        return self._capped("frame")

    def clean_source_type(self) -> list:
        return self._capped("source_type")

    def clean_tone(self) -> list:
        return self._capped("tone")

    def clean_kind(self) -> list:
        return self._capped("kind")

    def clean_topic(self) -> list:
        values = self._capped("topic")
        if self.dims.event is None and values:
            self._topic_names = topic_names(_parse_ids(values))
            unknown = [v for v in values if int(v) not in self._topic_names]
            if unknown:
                raise forms.ValidationError(f"No topic has the id {', '.join(unknown)}.")
        return values

    def clean_source(self) -> list:
        values = self._capped("source")
        if not values:
            return values
        _ids_validator("source")(values)
        self._source_names = source_choices(_parse_ids(values), self.dims.event.id if self.dims.event else None)
        unknown = [v for v in values if int(v) not in self._source_names]
        if unknown:
            where = "quoted on this event" if self.dims.event else "known"
            raise forms.ValidationError(f"No source {where} has the id {', '.join(unknown)}.")
        return values

    def clean(self) -> dict:
        data = cast(dict[str, Any], super().clean())  # Django's clean() returns cleaned_data
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", f"“Published to” ({end}) is before “Published from” ({start}).")
        return data

    def filters(self) -> StatementFilters:
        """The cleaned filters as plain ids and values. Call only when valid."""
        data = self.cleaned_data
        outlet_ids = {o.slug: o.id for o in self.dims.outlets}
        topic_ids = {t.slug: t.id for t in self.dims.topics}
        return StatementFilters(
            outlets=frozenset(outlet_ids[slug] for slug in data.get("outlet") or ()),
            topics=frozenset(topic_ids[v] if self.dims.event is not None else int(v) for v in data.get("topic") or ()),
            frames=frozenset(i for slug in data.get("frame") or () for i in self._frame_ids[slug]),
            source_types=frozenset(data.get("source_type") or ()),
            sources=frozenset(int(v) for v in data.get("source") or ()),
            tones=frozenset(data.get("tone") or ()),
            kinds=frozenset(data.get("kind") or ()),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )

    def is_active(self) -> bool:
        return self.is_valid() and any(self.cleaned_data.get(name) for name in self.FIELDS)

    def query_params(self) -> dict[str, list[str]]:
        """The valid filters as GET parameters, in a fixed order: a canonical, shareable state."""
        params: dict[str, list[str]] = {}
        for name in self.FIELDS:
            value = self.cleaned_data.get(name)
            if not value:
                continue
            if name in ("date_from", "date_to"):
                params[name] = [value.isoformat()]
            elif name in ("tone", "source") or (name == "topic" and self.dims.event is None):
                params[name] = [str(v) for v in sorted({int(v) for v in value})]
            else:
                params[name] = sorted({str(v) for v in value})
        return params

    def querystring(self, without: Iterable[str] = (), **extra: str) -> str:
        """The canonical query string, leaving out the parameters in `without`, plus `extra` ones."""
        query = QueryDict(mutable=True)
        for name, values in self.query_params().items():
            if name not in without:
                query.setlist(name, values)
        for name, value in extra.items():
            if value:
                query[name] = value
        return query.urlencode()

    def summary(self) -> list[tuple[str, str]]:
        """(label, values) for each active filter, in words, to title a drill-down or a chart."""
        names: dict[str, dict] = {
            "outlet": {o.slug: o.name for o in self.dims.outlets},
            "topic": {t.slug: t.name for t in self.dims.topics} | {str(k): v for k, v in self._topic_names.items()},
            "frame": {f.slug: f.name for f in self.dims.frames},
            "source": {str(k): v for k, v in self._source_names.items()},
            "tone": dict(Tone.choices),
            "kind": dict(StatementKind.choices),
            "source_type": dict(SourceType.choices),
        }
        summary = []
        for name in self.FIELDS:
            value = self.cleaned_data.get(name)
            if not value:
                continue
            values = value if isinstance(value, list) else [value]
            words = [str(names[name].get(v, v)) if name in names else str(v) for v in values]
            summary.append((str(self.fields[name].label or name.replace("_", " ").capitalize()), ", ".join(words)))
        return summary

    def source_options(self, named: Iterable[tuple[int, str]]) -> None:
        """Offer `named` sources (the figures' most-quoted) and any chosen ones as source choices."""
        names: dict[int, str] = dict(named)
        names.update(self._source_names)
        options = sorted(((str(k), v) for k, v in names.items()), key=lambda c: c[1].lower())
        _choice(self, "source").choices = options


def _choice(form: forms.Form, name: str) -> forms.ChoiceField:
    return cast(forms.ChoiceField, form.fields[name])


def _parse_ids(values: Iterable[str]) -> list[int]:
    return [int(v) for v in values]


def _ids_validator(name: str) -> Callable[[list], None]:
    def validate(values: list) -> None:
        bad = [v for v in values if not (isinstance(v, str) and v.isascii() and v.isdigit() and 0 < int(v) <= MAX_ID)]
        if bad:
            raise forms.ValidationError(
                f"A {name} is chosen by its id, a whole number; got {', '.join(map(str, bad))}."
            )

    return validate


def filter_error(form: forms.Form, data) -> FilterError:
    """Each invalid parameter with what was wrong and the value it got."""
    errors: dict[str, list[str]] = {}
    for name, messages in form.errors.items():
        raw = data.getlist(name) if hasattr(data, "getlist") else data.get(name)
        shown = ", ".join(map(str, raw)) if isinstance(raw, list) else raw
        if shown and len(shown) > 200:
            shown = shown[:200] + "…"
        errors[name] = [f"{message} (got “{shown}”)" if shown else str(message) for message in messages]
    return FilterError(errors)


def statement_filter(data, dims: Dimensions) -> StatementFilterForm:
    """A bound, validated filter form; raises FilterError naming every bad parameter."""
    form = StatementFilterForm(data, dims=dims)
    if not form.is_valid():
        raise filter_error(form, data)
    return form


# The side-by-side reader and the outlets overview.


class CompareForm(forms.Form):
    """Two outlets of one event for the side-by-side reader, and which article of each to read.

    `a` and `b` are outlet slugs, `la` and `ra` article ids. Missing values are chosen: the
    first two outlets, each one's first article. Choosing for one side the outlet the other
    side shows swaps the two, so that a change never ends in an error.
    """

    a = forms.ChoiceField(required=False, label="Left")
    b = forms.ChoiceField(required=False, label="Right")
    la = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID, label="Left article")
    ra = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID, label="Right article")

    def __init__(self, data, *, dims: Dimensions, **kwargs):
        super().__init__(data, **kwargs)
        self.dims = dims
        _choice(self, "a").choices = _choice(self, "b").choices = [(o.slug, o.name) for o in dims.outlets]

    def clean(self) -> dict:
        data = cast(dict[str, Any], super().clean())  # Django's clean() returns cleaned_data
        slugs = [o.slug for o in self.dims.outlets]
        a, b = data.get("a") or None, data.get("b") or None
        if a and a == b:
            # The user chose for one side what the other showed: the other takes the first one left.
            b = next((s for s in slugs if s != a), None)
        a = a or next((s for s in slugs if s != b), None)
        b = b or next((s for s in slugs if s != a), None)
        data["a"], data["b"] = a, b
        for side, key in (("a", "la"), ("b", "ra")):
            articles = [x.id for x in self.dims.articles if data[side] and x.outlet_id == self._outlet_id(data[side])]
            chosen = data.get(key)
            if chosen and chosen not in articles:
                self.add_error(key, f"Article {chosen} is not an article of this outlet on this event.")
            data[key] = chosen if chosen in articles else (articles[0] if articles else None)
        return data

    def _outlet_id(self, slug: str) -> int | None:
        return next((o.id for o in self.dims.outlets if o.slug == slug), None)

    def querystring(self, **overrides: str | int | None) -> str:
        values = {**{k: self.cleaned_data.get(k) for k in ("a", "b", "la", "ra")}, **overrides}
        query = QueryDict(mutable=True)
        for name, value in values.items():
            if value:
                query[name] = str(value)
        return query.urlencode()


def compare_filter(data, dims: Dimensions) -> CompareForm:
    """A validated CompareForm; raises FilterError naming every bad parameter."""
    form = CompareForm(data, dims=dims)
    if not form.is_valid():
        raise filter_error(form, data)
    return form


class OutletOverviewForm(StatementFilterForm):
    """The statement filters across events, plus the outlets' country, and a sort order."""

    SORTS = {
        "name": "Outlet",
        "events": "Events",
        "statements": "Statements",
        "mean_tone": "Mean tone",
        "omission_rate": "Omission rate",
        "expert_share": "Experts",
        "official_share": "Officials",
    }

    country = forms.ChoiceField(required=False, label="Country")
    sort = forms.ChoiceField(required=False, choices=[(k, v) for key, v in SORTS.items() for k in (key, f"-{key}")])

    FIELDS = [*StatementFilterForm.FIELDS, "country"]

    def __init__(self, data=None, *, dims: Dimensions, **kwargs):
        super().__init__(data, dims=dims, **kwargs)
        countries = sorted({o.country for o in dims.outlets if o.country})
        _choice(self, "country").choices = [("", "All countries")] + [(c, c) for c in countries]

    def filters(self) -> StatementFilters:
        """The statement filters, the country choosing among the outlets as the outlet filter does."""
        filters = super().filters()
        country = self.cleaned_data.get("country")
        if not country:
            return filters
        in_country = frozenset(o.id for o in self.dims.outlets if o.country == country)
        outlets = filters.outlets & in_country if filters.outlets else in_country
        # No outlet of that country chosen: an id no outlet has, so that nothing is shown.
        return replace(filters, outlets=outlets or frozenset({0}))

    def query_params(self) -> dict[str, list[str]]:
        params = super().query_params()
        if self.cleaned_data.get("country"):
            params["country"] = [self.cleaned_data["country"]]
        return params

    def with_sort(self, sort: str) -> str:
        return self.querystring(sort=sort)

    @property
    def sort_order(self) -> str:
        return self.cleaned_data.get("sort") or "name"


def overview_filter(data, dims: Dimensions) -> OutletOverviewForm:
    """A validated OutletOverviewForm; raises FilterError naming every bad parameter."""
    form = OutletOverviewForm(data, dims=dims)
    if not form.is_valid():
        raise filter_error(form, data)
    return form


class ShareLinkForm(forms.Form):
    """How long a new public share link stays open."""

    days = forms.IntegerField(
        label="Open for (days)",
        min_value=1,
        max_value=SHARE_LINK_MAX_DAYS,
        initial=SHARE_LINK_DEFAULT_DAYS,
        help_text=f"At most {SHARE_LINK_MAX_DAYS} days. You can revoke the link at any time.",
    )
