"""The OpenAPI schema of every module's API validates without warnings, so the published
documentation at /api/docs/ describes what the endpoints really accept."""

import io

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_schema_validates_without_warnings():
    out = io.StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=out)
    schema = out.getvalue()
    for path in (
        "/api/enterprises/",
        "/api/economy/indicator-summary/",
        "/api/leads/{id}/move/",
        "/api/key-projects/",
        "/api/demands/",
        "/api/supervision-tasks/",
    ):
        assert f"{path}:" in schema, path
