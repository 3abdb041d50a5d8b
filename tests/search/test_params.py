"""Search parameters written back as links: a page links every facet value twice, so its
facet links are assembled from pre-encoded parts; here they equal the links built from scratch.
"""

import pytest

from articles.search.params import SearchParams, parse

PARAMS = [
    {},
    {"q": "sécurité « État »"},
    {"q": "frontières", "tri": "recent", "par_page": "50", "du": "2020-01-01"},
    {"q": "x&y=z", "au": "2021-12-31", "page": "3"},
]
SELECTIONS = [
    ({}, {}),
    ({"lieu": ("rome", "koweit")}, {"source": ("map",)}),
    ({"annee": ("2021",), "intervenant": ("antony-blinken",)}, {"lieu": ("paris",)}),
]


@pytest.mark.parametrize("raw", PARAMS)
@pytest.mark.parametrize(("selected", "excluded"), SELECTIONS)
def test_facet_links_equal_the_links_built_from_scratch(raw, selected, excluded):
    # No facet value to look up: the vocabulary never reads the database here.
    base = parse(raw)
    params = SearchParams(
        query=base.query,
        selected=selected,
        excluded=excluded,
        date_from=base.date_from,
        date_to=base.date_to,
        sort_param=base.sort_param,
        page=base.page,
        per_page=base.per_page,
        vocabulary=base.vocabulary,
    )

    def from_scratch(key, selected_values, excluded_values):
        chosen = {k: v for k, v in params.selected.items() if k != key}
        dropped = {k: v for k, v in params.excluded.items() if k != key}
        if selected_values:
            chosen[key] = selected_values
        if excluded_values:
            dropped[key] = excluded_values
        return params.url(selected=chosen, excluded=dropped)

    for key in ("lieu", "source", "annee", "intervenant", "langue"):
        chosen = params.selected.get(key, ())
        dropped = params.excluded.get(key, ())
        for value in ("rome", "map", "2021", "nouvelle-valeur", "é&=?"):
            rest = tuple(v for v in chosen if v != value)
            rest_dropped = tuple(v for v in dropped if v != value)
            assert params.url_with(key, value) == from_scratch(key, (*rest, value), rest_dropped)
            assert params.url_with(key, value, excluded=True) == from_scratch(
                key, rest, (*rest_dropped, value)
            )
            assert params.url_without(key, value) == from_scratch(key, rest, dropped)
            assert params.url_without(key, value, excluded=True) == from_scratch(
                key, chosen, rest_dropped
            )
    if params.date_from:
        assert params.url_with("lieu", "rome").endswith(
            f"du={params.date_from.isoformat()}&tri=recent&par_page=50"
        )
