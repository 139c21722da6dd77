"""Property: no query string makes an admin list or the admin autocomplete fail.

Hypothesis drives every parameter of every registered changelist (its list filters, date
drill-down, search, ordering and page) and of the autocomplete; the parameters are read from
the admin declarations, so a list added later is fuzzed too. The answer may be the list, a
400 naming the bad value, or admin's own "invalid lookup" redirect; never a 5xx.
"""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.admin import FieldListFilter, SimpleListFilter
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzzing import FUZZ, encode, query_strings, values

LOOKUPS = ["", "__exact", "__id__exact", "__isnull", "__in", "__gte", "__lt"]
ADMIN_PARAMS = {"q": [], "o": ["1", "-1", "1.2", "-2.1"], "p": ["1", "2"], "e": ["1"], "all": [""], "_facets": ["True"]}


def changelist_params(model_admin: admin.ModelAdmin) -> dict[str, list[str]]:
    """Every parameter the changelist reads, from its declaration."""
    params: dict[str, list[str]] = dict(ADMIN_PARAMS)
    for entry in model_admin.list_filter:
        if isinstance(entry, type) and issubclass(entry, SimpleListFilter):
            params[entry.parameter_name] = []
            continue
        path = entry[0] if isinstance(entry, tuple) else entry
        if isinstance(path, type) and issubclass(path, FieldListFilter):
            continue
        for lookup in LOOKUPS:
            params[f"{path}{lookup}"] = ["1", "True", "False"]
    if model_admin.date_hierarchy:
        for part, known in (("year", ["2017", "2026"]), ("month", ["5", "12"]), ("day", ["2", "31"])):
            params[f"{model_admin.date_hierarchy}__{part}"] = known
    return params


CHANGELISTS = {
    f"{model._meta.app_label}.{model._meta.model_name}": model_admin
    for model, model_admin in admin.site._registry.items()
}


def autocomplete_targets() -> list[tuple[str, str, str]]:
    """(app_label, model_name, field_name) of every autocomplete field in admin."""
    return sorted(
        (model._meta.app_label, model._meta.model_name, field)
        for model, model_admin in admin.site._registry.items()
        for field in model_admin.autocomplete_fields
    )


@pytest.fixture
def admin_client(client, admin_user, demo):
    client.force_login(admin_user)
    return client


def test_every_registered_admin_list_is_fuzzed():
    assert {"coverage.statement", "coverage.article", "coverage.sharelink", "auth.user", "axes.accessattempt"} <= set(
        CHANGELISTS
    )
    assert ("coverage", "statement", "source") in autocomplete_targets()


# Admin's date filters read a date without a time zone (`expires_at__gte=2017-05-02`) as one
# in the current zone, with a RuntimeWarning that pytest.ini turns into an error elsewhere.
@pytest.mark.filterwarnings("ignore:DateTimeField .* received a naive datetime:RuntimeWarning")
@pytest.mark.parametrize("changelist", sorted(CHANGELISTS))
@FUZZ
@given(data=st.data())
def test_no_query_string_breaks_an_admin_list(admin_client, changelist, data):
    model_admin = CHANGELISTS[changelist]
    opts = model_admin.model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    url = f"{url}?{data.draw(query_strings(changelist_params(model_admin)), label='query')}"
    response = admin_client.get(url)
    assert response.status_code < 500, (response.status_code, url)
    if response.status_code == 302:
        assert "e=1" in response["Location"]


@FUZZ
@given(data=st.data())
def test_no_query_string_breaks_the_admin_autocomplete(admin_client, data):
    app_label, model_name, field_name = data.draw(st.sampled_from(autocomplete_targets()), label="field")
    target = {"app_label": [app_label], "model_name": [model_name], "field_name": [field_name]}
    params = {**target, "term": ["a", "Putin", "RT", ""], "page": ["1", "2"], "event": ["1"]}
    query = data.draw(query_strings(params, max_pairs=6), label="query")
    # The three names of the field come first, so that most requests reach the search itself.
    fixed = "&".join(f"{name}={value}" for name, (value,) in target.items())
    url = f"{reverse('admin:autocomplete')}?{fixed}&{query}"
    response = admin_client.get(url)
    assert response.status_code < 500, (response.status_code, url)


@FUZZ
@given(value=values())
def test_no_value_breaks_the_admin_autocomplete_names(admin_client, value):
    for name in ("app_label", "model_name", "field_name"):
        url = f"{reverse('admin:autocomplete')}?term=a&app_label=coverage&model_name=statement&field_name=source"
        url = url.replace(f"{name}=", f"{name}={encode(value)}&ignored_{name}=", 1)
        assert admin_client.get(url).status_code < 500, url
