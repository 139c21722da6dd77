"""Filter forms. Their GET parameters are the dashboard's shareable state.

Every page that shows statements (matrix, drill-down, charts, share links) reads the same
`StatementFilterForm`, so a URL means the same selection everywhere.
"""

from __future__ import annotations

from django import forms
from django.http import QueryDict

from .models import (
    SHARE_LINK_DEFAULT_DAYS,
    SHARE_LINK_MAX_DAYS,
    Event,
    Frame,
    Outlet,
    Source,
    SourceType,
    StatementKind,
    Tone,
    Topic,
)


class FilterError(ValueError):
    """A filter parameter was invalid; `errors` maps each parameter to what was wrong."""

    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        super().__init__("; ".join(f"{name}: {' '.join(messages)}" for name, messages in errors.items()))


class StatementFilterForm(forms.Form):
    """Narrows statements: by outlet, topic, frame, source type, source, tone, kind, date.

    Empty fields filter nothing. Choices are scoped to one event when one is given, so an
    id from another event is an invalid value, not an empty result.
    """

    outlet = forms.ModelMultipleChoiceField(queryset=Outlet.objects.all(), required=False, to_field_name="slug")
    topic = forms.ModelMultipleChoiceField(queryset=Topic.objects.none(), required=False, to_field_name="slug")
    frame = forms.ModelMultipleChoiceField(queryset=Frame.objects.none(), required=False, to_field_name="slug")
    source_type = forms.MultipleChoiceField(choices=SourceType.choices, required=False, label="Source type")
    source = forms.ModelMultipleChoiceField(queryset=Source.objects.all(), required=False)
    tone = forms.TypedMultipleChoiceField(choices=Tone.choices, coerce=int, required=False)
    kind = forms.MultipleChoiceField(choices=StatementKind.choices, required=False, label="Statement kind")
    date_from = forms.DateField(required=False, label="Published from", widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(required=False, label="Published to", widget=forms.DateInput(attrs={"type": "date"}))

    # Parameter order in canonical URLs.
    FIELDS = ["outlet", "topic", "frame", "source_type", "source", "tone", "kind", "date_from", "date_to"]

    def __init__(self, data: QueryDict | dict | None = None, *, event: Event | None = None, **kwargs):
        super().__init__(data if data is not None else {}, **kwargs)
        self.event = event
        if event is not None:
            self.fields["outlet"].queryset = Outlet.objects.filter(articles__event=event).distinct()
            self.fields["topic"].queryset = event.topics.all()
            self.fields["frame"].queryset = Frame.objects.filter(codebook_id=event.codebook_id)
            self.fields["source"].queryset = Source.objects.filter(statements__article__event=event).distinct()
        else:
            self.fields["topic"].queryset = Topic.objects.all()
            self.fields["frame"].queryset = Frame.objects.all()
            # Topic slugs repeat across events; across events topics are chosen by id.
            self.fields["topic"].to_field_name = None

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", f"“Published to” ({end}) is before “Published from” ({start}).")
        return data

    def filtered(self, statements, only: tuple[str, ...] | None = None):
        """Apply the cleaned filters to a Statement queryset. Call only when valid.

        `only` names the fields to apply (e.g. ARTICLE_FIELDS); by default all of them.
        """
        data = self.cleaned_data if only is None else {k: v for k, v in self.cleaned_data.items() if k in only}
        if data.get("outlet"):
            statements = statements.filter(article__outlet__in=data["outlet"])
        if data.get("topic"):
            statements = statements.filter(topic__in=data["topic"])
        if data.get("frame"):
            statements = statements.filter(frame__in=data["frame"])
        if data.get("source_type"):
            statements = statements.filter(source__type__in=data["source_type"])
        if data.get("source"):
            statements = statements.filter(source__in=data["source"])
        if data.get("tone"):
            statements = statements.filter(tone__in=data["tone"])
        if data.get("kind"):
            statements = statements.filter(kind__in=data["kind"])
        if data.get("date_from"):
            statements = statements.filter(article__published_at__date__gte=data["date_from"])
        if data.get("date_to"):
            statements = statements.filter(article__published_at__date__lte=data["date_to"])
        return statements

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
            elif name in ("outlet", "topic", "frame") and self.fields[name].to_field_name:
                params[name] = sorted(getattr(obj, self.fields[name].to_field_name) for obj in value)
            elif name in ("topic", "source"):
                params[name] = sorted(str(obj.pk) for obj in value)
            else:
                params[name] = sorted(str(v) for v in value)
        return params

    def querystring(self) -> str:
        query = QueryDict(mutable=True)
        for name, values in self.query_params().items():
            query.setlist(name, values)
        return query.urlencode()


def _filter_error(form: forms.Form, data) -> FilterError:
    """Each invalid parameter with what was wrong and the value it got."""
    errors = {}
    for name, messages in form.errors.items():
        raw = data.getlist(name) if hasattr(data, "getlist") else data.get(name)
        shown = ", ".join(map(str, raw)) if isinstance(raw, list) else raw
        errors[name] = [f"{message} (got “{shown}”)" if shown else message for message in messages]
    return FilterError(errors)


def statement_filter(data, event: Event | None = None) -> StatementFilterForm:
    """A bound, validated filter form; raises FilterError naming every bad parameter."""
    form = StatementFilterForm(data, event=event)
    if not form.is_valid():
        raise _filter_error(form, data)
    return form


# Framing matrix (issue 3): the side-by-side reader and the outlets overview.

# Filters that select articles rather than statements. The omission rule reads coverage
# narrowed by these only: a tone or source filter must not turn coverage into omission.
ARTICLE_FIELDS = ("date_from", "date_to")


class CompareForm(forms.Form):
    """Two outlets of one event for the side-by-side reader; `a` and `b` are outlet slugs."""

    a = forms.ModelChoiceField(queryset=Outlet.objects.none(), to_field_name="slug", required=False, label="Left")
    b = forms.ModelChoiceField(queryset=Outlet.objects.none(), to_field_name="slug", required=False, label="Right")

    def __init__(self, data, *, event: Event, **kwargs):
        super().__init__(data, **kwargs)
        outlets = Outlet.objects.filter(articles__event=event).distinct().order_by("name")
        self.fields["a"].queryset = self.fields["b"].queryset = outlets

    def clean(self) -> dict:
        data = super().clean()
        if data.get("a") and data.get("a") == data.get("b"):
            self.add_error("b", "Choose two different outlets.")
        return data


def compare_filter(data, event: Event) -> CompareForm:
    """A validated CompareForm; raises FilterError naming every bad parameter."""
    form = CompareForm(data, event=event)
    if not form.is_valid():
        raise _filter_error(form, data)
    return form


class OutletOverviewForm(forms.Form):
    """Narrows the outlets overview by event date and outlet country, and sorts it."""

    SORTS = {
        "name": "Outlet",
        "events": "Events covered",
        "mean_tone": "Mean tone",
        "omission_rate": "Omission rate",
        "expert_share": "Expert share",
        "official_share": "Official share",
    }

    date_from = forms.DateField(required=False, label="Events from", widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(required=False, label="Events to", widget=forms.DateInput(attrs={"type": "date"}))
    country = forms.ChoiceField(required=False, label="Country")
    sort = forms.ChoiceField(required=False, choices=[(k, v) for key, v in SORTS.items() for k in (key, f"-{key}")])

    FIELDS = ["date_from", "date_to", "country", "sort"]

    def __init__(self, data=None, **kwargs):
        super().__init__(data if data is not None else {}, **kwargs)
        countries = Outlet.objects.exclude(country="").order_by("country").values_list("country", flat=True).distinct()
        self.fields["country"].choices = [("", "All countries")] + [(c, c) for c in countries]

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", f"“Events to” ({end}) is before “Events from” ({start}).")
        return data

    def querystring(self, **overrides: str) -> str:
        """The canonical query string, with `overrides` replacing values (e.g. another sort)."""
        query = QueryDict(mutable=True)
        for name in self.FIELDS:
            value = overrides.get(name, self.cleaned_data.get(name))
            if value:
                query[name] = value.isoformat() if hasattr(value, "isoformat") else value
        return query.urlencode()


def overview_filter(data) -> OutletOverviewForm:
    """A validated OutletOverviewForm; raises FilterError naming every bad parameter."""
    form = OutletOverviewForm(data)
    if not form.is_valid():
        raise _filter_error(form, data)
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
