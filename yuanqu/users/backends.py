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

A GET can do with one statement for the session and its user (``users.sessions``): the
session store reads the row of the user it last saw logged in with that session key in the
same statement as the session, and hands it here (``READ_AHEAD``) for this request only; it
is used only when the session, decoded, names that very user. Otherwise the user is read here.
"""

from contextvars import ContextVar

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.db import connections, router
from django.db.models.expressions import RawSQL

from yuanqu.core.pagecache import user_state_sql

ATTRIBUTE = "_yuanqu_user_by_pk"  # where a connection keeps its prepared user query

# The user row the session store read with the session, for this request: (alias, pk, row),
# taken by the first ``get_user`` of that pk. ``ALLOWED`` while a GET or HEAD request is
# between the session middleware's start and end (``users.sessions.IdleSessionMiddleware``),
# None outside: nothing is read ahead elsewhere, nothing outlives its request.
ALLOWED = "allowed"
READ_AHEAD: ContextVar = ContextVar("yuanqu_user_read_ahead", default=None)


def _prepared(model, alias):
    """(compiler, SQL, converters, attnames, state names) of ``model`` by primary key on
    ``alias``, with the per-user page state as extra columns after the model's."""
    connection = connections[alias]
    prepared = connection.__dict__.get(ATTRIBUTE)
    if prepared is None or prepared[0].connection is not connection:
        column = f"{connection.ops.quote_name(model._meta.db_table)}.{connection.ops.quote_name(model._meta.pk.column)}"
        state = user_state_sql(column)
        queryset = model._default_manager.filter(pk=0).order_by()  # as objects.get(): no Meta ordering
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


def user_select(alias):
    """(SQL, number of columns) of the user by primary key with its page state: the
    statement ``get_user`` runs, for the session store to join (one ``%s``, the pk)."""
    from django.contrib.auth import get_user_model

    _compiler, sql, _converters, names, state = _prepared(get_user_model(), alias)
    return sql, len(names) + len(state)


def make_user(model, alias, row):
    """The user of a row of ``user_select``: the instance ``objects.get`` gives, with
    ``user_state``."""
    compiler, _sql, converters, names, state = _prepared(model, alias)
    values = row[len(names) :]
    row = row[: len(names)]
    if converters:
        row = next(iter(compiler.apply_converters([row], converters)))
    user = model.from_db(alias, names, row)
    user.user_state = dict(zip(state, values, strict=True))
    return user


class UserBackend(ModelBackend):
    def get_user(self, user_id):
        model = get_user_model()
        try:
            pk = model._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        alias = router.db_for_read(model)
        ahead = READ_AHEAD.get()
        if isinstance(ahead, tuple) and ahead[:2] == (alias, pk):
            READ_AHEAD.set(None)  # this request's, once
            row = ahead[2]
        else:
            _compiler, sql, _converters, _names, _state = _prepared(model, alias)
            with connections[alias].cursor() as cursor:
                cursor.execute(sql, [pk])
                row = cursor.fetchone()
        if row is None:
            return None
        user = make_user(model, alias, row)
        return user if self.user_can_authenticate(user) else None
