"""A page's text as a user reads it, for tests that assert what a page shows."""

import re


def page_text(response, section_id=None) -> str:
    """The response's text without markup, spaces collapsed; with ``section_id``, only the
    ``<section>`` whose ``id`` it is."""
    html = response.content.decode()
    if section_id:
        html = html[html.index(f'id="{section_id}"') :]
        html = html[: html.index("</section>")]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
