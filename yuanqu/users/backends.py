"""The authentication backend: Django's model backend, with the session's user read by one
statement prepared once per connection.

Every authenticated request loads its user (``django.contrib.auth.get_user``); building the
ORM query for it was about a third of such a request's CPU (a page from the response cache,
an API call, /healthz with a session). The statement is the ORM's own SQL for the user by
primary key, compiled once per database connection with its column converters; each request
executes it and makes the user with ``from_db`` — the same instance ``objects.get(pk=…)``
gives, fields decrypted and converted the same way. Password checks and permissions are the
model backend's.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.db import connections, router

ATTRIBUTE = "_yuanqu_user_by_pk"  # where a connection keeps its prepared user query


def _prepared(model, alias):
    """(compiler, SQL, converters, attnames) of ``model`` by primary key on ``alias``."""
    connection = connections[alias]
    prepared = connection.__dict__.get(ATTRIBUTE)
    if prepared is None or prepared[0].connection is not connection:
        compiler = model._default_manager.filter(pk=0).query.get_compiler(alias)
        sql, params = compiler.as_sql()
        if list(params) != [0] or compiler.klass_info.get("related_klass_infos"):
            raise ValueError("the user query is not a plain read by primary key")
        columns = [expression for expression, _sql, _alias in compiler.select]
        names = [column.target.attname for column in columns]
        prepared = (compiler, sql, compiler.get_converters(columns), names)
        setattr(connection, ATTRIBUTE, prepared)
    return prepared


class UserBackend(ModelBackend):
    def get_user(self, user_id):
        model = get_user_model()
        try:
            pk = model._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        alias = router.db_for_read(model)
        compiler, sql, converters, names = _prepared(model, alias)
        with connections[alias].cursor() as cursor:
            cursor.execute(sql, [pk])
            row = cursor.fetchone()
        if row is None:
            return None
        if converters:
            row = next(iter(compiler.apply_converters([row], converters)))
        user = model.from_db(alias, names, row)
        return user if self.user_can_authenticate(user) else None
