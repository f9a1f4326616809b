"""The API machinery every app's ``api/`` builds on (NetBox ``netbox/api/viewsets``).

A viewset only says which queryset, serializer and filterset it uses::

    class EnterpriseViewSet(RestrictedViewSetMixin, viewsets.ModelViewSet):
        queryset = Enterprise.objects.all()
        serializer_class = EnterpriseSerializer
        filterset_class = EnterpriseFilterSet

The mixin restricts every queryset to the user's grant for the request's action, and a save
that would put the record outside the grant is rolled back and answered 403.

Optimistic concurrency (``utilities/concurrency.py``): reading one record answers with its
version as the ``ETag``; a ``PUT``, ``PATCH`` or ``DELETE`` sent with ``If-Match`` is applied
only when the record is still at that version, else ``412`` with a Chinese ``detail`` naming
who changed what since. Without ``If-Match`` the request is applied as before: answering
``428`` would break every existing client, so the header is documented (``docs/api.md``)
and is the client's to send when it writes back what it read.

This module is DRF's DEFAULT_PERMISSION_CLASSES, which DRF imports while it imports its own
views; so it must not import ``rest_framework.views``/``viewsets`` itself (hence a mixin).
"""

import copy
from types import SimpleNamespace

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import ProtectedError
from rest_framework import serializers, status
from rest_framework.exceptions import APIException, PermissionDenied
from rest_framework.exceptions import ValidationError as APIValidationError
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.permissions import BasePermission

from yuanqu.core.workdays import CalendarMissing
from yuanqu.users.permissions import has_perm, restrict

from .concurrency import conflict_message, is_versioned, lock, parse_version, version_of
from .grants import OutsideGrant, ensure_within_grant
from .text import control_character_error

METHOD_ACTIONS = {
    "GET": "view",
    "HEAD": "view",
    "OPTIONS": "view",
    "POST": "add",
    "PUT": "change",
    "PATCH": "change",
    "DELETE": "delete",
}
OUTSIDE_GRANT_ERROR = "保存后的记录超出了您的权限范围（例如不属于本部门），未保存。"
# A page of a list holds at most this many records (``?limit=``); an offset past this is
# no page anyone reads, and past 2^63 it is no number a database can take.
MAX_LIMIT = 1000
MAX_OFFSET = 10**9


def request_action(request) -> str:
    return METHOD_ACTIONS.get(request.method, "view")


class RestrictedPermission(BasePermission):
    """Authenticated, and holding a grant for the action on the view's model."""

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        queryset = getattr(view, "queryset", None)
        if queryset is None:
            return True
        return has_perm(request.user, queryset.model, request_action(request))


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "操作与现有数据冲突。"
    default_code = "conflict"


class BoundedLimitOffsetPagination(LimitOffsetPagination):
    """``?limit=`` and ``?offset=`` as whole numbers within bounds, else a 400 naming them.

    DRF's own pagination takes any integer, and a ``limit`` of 2^63 reaches the database as a
    number it cannot hold (a server error); a negative or non-numeric value it silently
    replaces by the default, so the client never learns it asked for something else."""

    max_limit = MAX_LIMIT

    def get_limit(self, request):
        raw = request.query_params.get(self.limit_query_param)
        if raw is None or raw == "":
            return self.default_limit
        return _bounded(raw, self.limit_query_param, 1, MAX_LIMIT, f"应为 1–{MAX_LIMIT} 的整数（每页条数）")

    def get_offset(self, request):
        raw = request.query_params.get(self.offset_query_param)
        if raw is None or raw == "":
            return 0
        return _bounded(
            raw, self.offset_query_param, 0, MAX_OFFSET, f"应为 0–{MAX_OFFSET} 的整数（跳过的条数）"
        )


def _bounded(raw, name, low, high, hint):
    text = raw.strip()
    if text.isascii() and text.isdigit() and len(text) <= 18 and low <= int(text) <= high:
        return int(text)
    raise APIValidationError({name: [f"参数 {name}=“{raw[:50]}”无效，{hint}"]})


def note_personal_read(request, model, pk, fields) -> None:
    """Say that the answer to ``request`` shows ``fields`` of the ``model`` record ``pk``
    unmasked (the user holds ``view_personal``); ``audit_personal_reads`` writes one audit
    event for the whole request. Call it where a serializer decides not to mask."""
    http = getattr(request, "_request", request)
    reads = getattr(http, "_personal_reads", None)
    if reads is None:
        reads = http._personal_reads = {}
    entry = reads.setdefault(model._meta.label_lower, {"model": model, "ids": set(), "fields": set()})
    entry["ids"].add(pk)
    entry["fields"].update(fields)


def audit_personal_reads(request, response) -> None:
    """One ``personal_read`` audit event for an API answer that showed personal data in clear:
    which records of which model, how many, which fields (like an export's event). A masked
    answer, or a refused one, writes nothing."""
    http = getattr(request, "_request", request)
    reads = getattr(http, "_personal_reads", None)
    if not reads or response.status_code >= 400:
        return
    http._personal_reads = {}
    from yuanqu.core.changelog import audit

    parts, entries = [], []
    for label, entry in sorted(reads.items()):
        model = entry["model"]
        names = sorted(entry["fields"])
        verbose = [str(model._meta.get_field(name).verbose_name) for name in names]
        parts.append(f"{model._meta.verbose_name}{len(entry['ids'])}条（{'、'.join(verbose)}）")
        entries.append(
            {"model": label, "records": len(entry["ids"]), "fields": names, "ids": sorted(entry["ids"])[:1000]}
        )
    audit(
        "personal_read",
        user=request.user,
        detail=f"接口读取个人信息：{'；'.join(parts)}，{request.method} {http.path}"[:500],
        data={"path": http.path, "query": dict(request.query_params.items()), "reads": entries},
        request=http,
    )


class RestrictedViewSetMixin:
    """CRUD over ``restrict(queryset, user, action)`` with the model's FilterSet.

    A record outside the user's grant for the action is 404 (it is not in the queryset); a
    create or update whose result falls outside the grant is rolled back and answered 403.
    """

    filterset_class = None
    pagination_class = BoundedLimitOffsetPagination

    def handle_exception(self, exc):
        """A date the working-day calendar does not cover is the client's input: a 400 with the
        calendar's Chinese message, not a server error."""
        if isinstance(exc, CalendarMissing):
            exc = APIValidationError({"non_field_errors": [f"{exc}，无法计算工作日"]})
        return super().handle_exception(exc)

    def get_queryset(self):
        return restrict(super().get_queryset(), self.request.user, request_action(self.request))

    def get_object(self):
        obj = super().get_object()
        self.etag_object = obj  # the record whose version the response's ETag gives
        if self.request.method in ("PUT", "PATCH", "DELETE"):
            check_if_match(self.request, obj, locking=False)  # before the body is validated
        return obj

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        audit_personal_reads(request, response)
        obj = getattr(self, "etag_object", None)
        if (
            obj is not None
            and request.method in ("GET", "HEAD", "PUT", "PATCH")
            and response.status_code == status.HTTP_200_OK
            and is_versioned(type(obj))
        ):
            response["ETag"] = etag(version_of(obj))
        return response

    def check_if_match(self, instance):
        """Call inside the write's transaction (a viewset that saves on its own does)."""
        check_if_match(self.request, instance)

    def perform_create(self, serializer):
        self._save_within_grant(serializer, "add")

    def perform_update(self, serializer):
        self._save_within_grant(serializer, "change")

    def _save_within_grant(self, serializer, action):
        manager = self.queryset.model._default_manager
        try:
            with transaction.atomic():
                if serializer.instance is not None:
                    self.check_if_match(serializer.instance)
                saved = serializer.save()
                ensure_within_grant(saved, self.request.user, action, manager)
        except OutsideGrant:
            raise PermissionDenied(OUTSIDE_GRANT_ERROR) from None

    def perform_destroy(self, instance):
        try:
            with transaction.atomic():
                self.check_if_match(instance)
                instance.delete()
        except ProtectedError:
            raise Conflict(f"“{instance}”仍被其他记录引用，不能删除。") from None


class RestrictedPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """A foreign key by id, chosen among the records the user may view."""

    default_error_messages = {
        "does_not_exist": "编号为 {pk_value} 的记录不存在或您无权查看。",
        "incorrect_type": "应为记录编号（整数），实际为 {data_type}。",
    }

    def get_queryset(self):
        queryset = super().get_queryset()
        if not hasattr(queryset.model, "restrict_paths"):
            return queryset
        request = self.context.get("request")
        return restrict(queryset, request.user, "view") if request is not None else queryset.none()


class IdentityURLField(serializers.HyperlinkedIdentityField):
    """DRF's ``url`` of a record, its route reversed once per request instead of once per row
    (a list page of 50 reversed the same route 50 times): the URL of a stand-in key is built
    through DRF (absolute, with the request's host) and the record's key put in its place."""

    STAND_IN = 918273645546372819

    def get_url(self, obj, view_name, request, format):
        pk = getattr(obj, "pk", None)
        if format or self.lookup_field != "pk" or self.lookup_url_kwarg != "pk" or not isinstance(pk, int):
            return super().get_url(obj, view_name, request, format)
        cached = self.__dict__.get("_url_of_stand_in")
        if cached is None or cached[0] is not request or cached[1] != view_name:
            url = super().get_url(SimpleNamespace(pk=self.STAND_IN), view_name, request, format)
            cached = self._url_of_stand_in = (request, view_name, url)
        url = cached[2]
        if url.count(str(self.STAND_IN)) != 1:
            return super().get_url(obj, view_name, request, format)
        return url.replace(str(self.STAND_IN), str(pk))


class ValidatedModelSerializer(serializers.ModelSerializer):
    """Foreign keys restricted to what the user may view, and the model's ``clean()`` run
    too, so the API refuses what the form refuses (NetBox ``ValidatedModelSerializer``)."""

    serializer_related_field = RestrictedPrimaryKeyRelatedField
    serializer_url_field = IdentityURLField

    def validate(self, attrs):
        attrs = super().validate(attrs)
        model = self.Meta.model
        instance = copy.copy(self.instance) if self.instance is not None else model()
        many_to_many = {field.name for field in model._meta.many_to_many}
        for name, value in attrs.items():
            if name not in many_to_many:
                setattr(instance, name, value)
        try:
            instance.clean()
        except DjangoValidationError as error:
            raise serializers.ValidationError(serializers.as_serializer_error(error)) from None
        return attrs

    def to_internal_value(self, data):
        """A text with a control character (ESC, backspace …) is refused, naming the field."""
        values = super().to_internal_value(data)
        errors = {}
        for name, value in values.items():
            if isinstance(value, str):
                field = self.fields.get(name)
                if message := control_character_error(value, str(getattr(field, "label", "") or name)):
                    errors[name] = [message]
        if errors:
            raise serializers.ValidationError(errors)
        return values

    def update(self, instance, validated_data):
        """Many-to-many fields changed by one request are one change-log update."""
        from yuanqu.core.changelog import logged_m2m

        with logged_m2m(instance):
            return super().update(instance, validated_data)


# --- optimistic concurrency (utilities/concurrency.py) ------------------------------------


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "该记录已被他人修改，请重新读取后再提交。"
    default_code = "precondition_failed"


def etag(version: int) -> str:
    return f'"{version}"'


def check_if_match(request, instance, locking=True) -> None:
    """Raise ``PreconditionFailed`` unless the request's ``If-Match`` names the record's
    current version (``*``: any). Inside the write's transaction, locking the row; once
    before too (``locking=False``), so a stale write is 412 whatever its body. No header:
    nothing to check (see the module's description)."""
    header = request.headers.get("If-Match")
    if header is None or not is_versioned(type(instance)):
        return
    if locking:
        lock(instance)
    if header.strip() == "*":
        return
    tags = [parse_version(tag) for tag in header.split(",")]
    current = version_of(instance)
    if current not in tags:
        since = next((tag for tag in tags if tag is not None), None)
        if since is None:
            raise PreconditionFailed(
                f"If-Match 应为读取记录时返回的 ETag（例如 {etag(current)}），实际为 {header[:40]}。"
            )
        message = conflict_message(instance, since, request.user).split("。您填写的内容", 1)[0]
        raise PreconditionFailed(
            f"{message}。未保存：请重新读取该记录（当前 ETag 为 {etag(current)}）后再提交。"
        )
