"""The authentication backend: Django's model backend, with the session's user read by one
statement prepared once per connection.

Every authenticated request loads its user (``django.contrib.auth.get_user``); building the
ORM query for it was about a third of such a request's CPU (a page from the response cache,
an API call, /healthz with a session). The statement is the ORM's own SQL for the user by
primary key, compiled once per database connection with its column converters; each request
executes it and makes the user with ``from_db`` — the same instance ``objects.get(pk=…)``
gives, fields decrypted and converted the same way. Password checks and permissions are the
model backend's.

The same statement reads the page state that is the user's own and that the database can
count (``core.pagecache.user_state``: the unread-message count of the page shell), one
scalar subquery each: a page from the response cache asks for it on every request, and on
PostgreSQL each statement is a round trip. The values are read fresh with the user, never
kept across requests; the user keeps them in ``user_state`` for this request.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.db import connections, router
from django.db.models.expressions import RawSQL

from yuanqu.core.pagecache import user_state_sql

ATTRIBUTE = "_yuanqu_user_by_pk"  # where a connection keeps its prepared user query


def _prepared(model, alias):
    """(compiler, SQL, converters, attnames, state names) of ``model`` by primary key on
    ``alias``, with the per-user page state as extra columns after the model's."""
    connection = connections[alias]
    prepared = connection.__dict__.get(ATTRIBUTE)
    if prepared is None or prepared[0].connection is not connection:
        column = f"{connection.ops.quote_name(model._meta.db_table)}.{connection.ops.quote_name(model._meta.pk.column)}"
        state = user_state_sql(column)
        queryset = model._default_manager.filter(pk=0)
        if state:
            queryset = queryset.annotate(
                **{f"_state_{i}": RawSQL(sql, ()) for i, (_name, sql) in enumerate(state)}
            )
        compiler = queryset.query.get_compiler(alias)
        sql, params = compiler.as_sql()
        if list(params) != [0] or compiler.klass_info.get("related_klass_infos"):
            raise ValueError("the user query is not a plain read by primary key")
        fields = compiler.klass_info["select_fields"]
        columns = [compiler.select[i][0] for i in fields]
        if fields != list(range(len(columns))) or len(compiler.select) != len(columns) + len(state):
            raise ValueError("the user query's columns are not the model's followed by the page state")
        names = [column.target.attname for column in columns]
        prepared = (compiler, sql, compiler.get_converters(columns), names, [name for name, _sql in state])
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
        compiler, sql, converters, names, state = _prepared(model, alias)
        with connections[alias].cursor() as cursor:
            cursor.execute(sql, [pk])
            row = cursor.fetchone()
        if row is None:
            return None
        values = row[len(names) :]
        row = row[: len(names)]
        if converters:
            row = next(iter(compiler.apply_converters([row], converters)))
        user = model.from_db(alias, names, row)
        user.user_state = dict(zip(state, values, strict=True))
        return user if self.user_can_authenticate(user) else None
