"""Abstract bases for every domain model."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ChangeLoggedModel(models.Model):
    """Timestamps, and every create/update/delete written to the change log (core.signals)."""

    created = models.DateTimeField(_("创建时间"), auto_now_add=True, null=True)
    last_updated = models.DateTimeField(_("更新时间"), auto_now=True, null=True)

    class Meta:
        abstract = True

    def changelog_parent(self):
        """The record whose history also shows this one's changes (None: its own only)."""
        return None


class PrimaryModel(ChangeLoggedModel):
    """A main record: owned by a department, with free comments."""

    department = models.ForeignKey(
        settings.YUANQU_DEPARTMENT_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("责任部门"),
        null=True,
        blank=True,
    )
    comments = models.TextField(_("备注"), blank=True)

    class Meta:
        abstract = True


class ChildMixin:
    """A record that belongs to one parent record (a project's report, an enterprise's
    contact): its page is the parent's, and its changes show in the parent's history.
    Set ``parent_field`` to the name of the foreign key to the parent."""

    parent_field = ""

    def changelog_parent(self):
        return getattr(self, self.parent_field)

    def get_absolute_url(self):
        return self.changelog_parent().get_absolute_url()
