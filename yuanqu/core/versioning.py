"""Reports that are corrected by adding versions, never by overwriting (月报, 项目月报 …)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from .mixins import ChangeLoggedModel


class VersionedModel(ChangeLoggedModel):
    """A dated report: each correction is a new version with its reason; the old one stays."""

    version = models.PositiveIntegerField(_("版本"), default=1)
    is_current = models.BooleanField(_("当前版本"), default=True)
    reason = models.CharField(_("更正原因"), max_length=200, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("填报人"),
    )

    class Meta:
        abstract = True


def record_version(model, key: dict, values: dict, *, reason="", user=None, what="数据", when=""):
    """Save ``values`` under ``key`` as the next version; the current one stops being current.

    The first report needs no reason; a correction does (``when`` names the period in the
    message, ``what`` the kind of report).
    """
    reason = (reason or "").strip()
    with transaction.atomic():
        versions = model._default_manager.select_for_update().filter(**key)
        latest = versions.aggregate(Max("version"))["version__max"]
        if latest is not None and not reason:
            raise ValidationError({"reason": f"{when}已有第{latest}版{what}，更正须填写更正原因"})
        for old in versions.filter(is_current=True):
            old.is_current = False
            old.save(update_fields=["is_current", "last_updated"])
        return model._default_manager.create(
            **key,
            **values,
            version=(latest or 0) + 1,
            is_current=True,
            reason=reason,
            reported_by=user if user is not None and user.is_authenticated else None,
        )
