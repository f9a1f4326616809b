"""The response cache (``core.pagecache``) switched on for a test module, and whether a
response came from it. The test settings switch the cache off; a module that tests it uses::

    from yuanqu.utilities.testing.pagecache import hit, page_cache_on  # noqa: F401 (fixture)
"""

import pytest


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    from django.core.cache import cache

    settings.YUANQU_PAGE_CACHE = True
    cache.clear()
    yield
    cache.clear()


def hit(response) -> bool:
    """Whether the response was answered from the cache, without running the view."""
    return getattr(response.wsgi_request, "page_cache_hit", False)
