"""The API's patterns come before the pages' (yuanqu/urls.py): no page may live under api/,
or the API's order would hide it."""

from django.urls import URLPattern, URLResolver, get_resolver


def _paths(patterns, prefix=""):
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _paths(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            yield route, entry


def test_no_page_lives_under_api():
    root = get_resolver()
    api = [e for e in root.url_patterns if str(e.pattern) == "api/"]
    assert len(api) == 1
    pages = [e for e in root.url_patterns if e is not api[0]]
    under_api = [route for route, _ in _paths(pages) if route.lstrip("^").startswith("api")]
    assert under_api == []


def test_the_api_is_resolved_before_the_pages():
    names = [str(e.pattern) for e in get_resolver().url_patterns]
    assert names.index("api/") < min(
        i
        for i, e in enumerate(get_resolver().url_patterns)
        if isinstance(e, URLResolver) and str(e.pattern) == ""
    )
