"""材料报告: the report templates a zone edits, and the documents written from them with
their versions and their sign-off (三级审核).

A document keeps each version as it was written: the HTML, the figure list (each number with
its catalogue key, period, scope, value and link) and the Word file. A published document is
frozen; its figures are compared with the records as they are now (``services.compare``).
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from yuanqu.core.mixins import ChangeLoggedModel

from .choices import Decision, DocumentStatus, ReportKind, SignOffStep, VersionSource


class ReportTemplate(ChangeLoggedModel):
    """A report type's text (Jinja-style, with named figures, tables and charts) as the zone
    edits it; the first of each kind is seeded once from the shipped text."""

    kind = models.CharField(_("材料类型"), max_length=20, choices=ReportKind.choices)
    name = models.CharField(_("模板名称"), max_length=100, unique=True)
    text = models.TextField(_("模板文本"), blank=True, help_text=_("留空则使用系统内置文本"))
    active = models.BooleanField(_("启用"), default=True, help_text=_("生成材料时使用该类型启用的第一个模板"))

    restrict_paths: dict[str, str] = {}  # shared by the zone: a grant reaches all or none

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("材料模板")
        verbose_name_plural = _("材料模板")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("documents:reporttemplate", args=[self.pk])


class Document(ChangeLoggedModel):
    """A document (材料) written by the engine for a week, a month or a year, owned by a
    department and signed off drafter → department head → leader."""

    kind = models.CharField(_("材料类型"), max_length=20, choices=ReportKind.choices)
    title = models.CharField(_("标题"), max_length=200)
    period = models.DateField(_("月份"), null=True, blank=True)
    date = models.DateField(_("日期"), null=True, blank=True)
    year = models.PositiveSmallIntegerField(_("年度"), null=True, blank=True, db_index=True)
    department = models.ForeignKey(
        "users.Department", on_delete=models.PROTECT, related_name="+", verbose_name=_("起草部门")
    )
    drafter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("起草人")
    )
    status = models.CharField(
        _("状态"), max_length=20, choices=DocumentStatus.choices, default=DocumentStatus.DRAFT, db_index=True
    )
    template = models.ForeignKey(
        ReportTemplate,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("所用模板"),
    )
    published = models.DateTimeField(_("发布时间"), null=True, blank=True)

    restrict_paths = {"own_department": "department"}

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("材料")
        verbose_name_plural = _("材料")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("documents:document", args=[self.pk])

    def params(self) -> dict:
        """The engine's parameters of this document (period, date or year)."""
        return {"period": self.period, "date": self.date, "year": self.year}

    def params_display(self) -> str:
        if self.period:
            return f"{self.period:%Y年%-m月}"
        if self.date:
            return f"{self.date:%Y年%-m月%-d日}"
        return f"{self.year}年" if self.year else ""

    @property
    def frozen(self) -> bool:
        return self.status == DocumentStatus.PUBLISHED

    def latest_version(self):
        return self.versions.order_by("-number").first()


class DocumentVersion(ChangeLoggedModel):
    """One version of a document as written: the template text it was written from, the figure
    list, and (in ``VersionFile``) the HTML and the Word file, kept so a published version
    never changes."""

    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="versions", verbose_name=_("材料")
    )
    number = models.PositiveIntegerField(_("版本号"))
    source = models.CharField(
        _("来源"), max_length=20, choices=VersionSource.choices, default=VersionSource.GENERATED
    )
    template_text = models.TextField(_("模板文本"), blank=True)
    figures = models.JSONField(_("数据清单"), default=list, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("撰写人")
    )

    class Meta:
        ordering = ["document", "-number"]
        verbose_name = _("材料版本")
        verbose_name_plural = _("材料版本")
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="document_version_unique")]

    def __str__(self):
        return f"{self.document} 第{self.number}版"

    def get_absolute_url(self):
        return reverse("documents:document", args=[self.document_id]) + f"?version={self.number}"

    def changelog_parent(self):
        return self.document

    @property
    def html(self) -> str:
        """The HTML preview as written (kept with the files: charts are embedded images)."""
        stored = self.files.filter(fmt="html").first()
        return bytes(stored.content).decode("utf-8") if stored is not None else ""


class VersionFile(models.Model):
    """A version's HTML preview, Word file (or PDF) as the engine wrote them. The bytes stay
    out of the change log (the version's creation is logged, with its figure list); a file is
    written once with its version."""

    FORMATS = {"html": "HTML", "docx": "Word", "pdf": "PDF"}

    version = models.ForeignKey(
        DocumentVersion, on_delete=models.CASCADE, related_name="files", verbose_name=_("版本")
    )
    fmt = models.CharField(_("格式"), max_length=10, choices=list(FORMATS.items()))
    content = models.BinaryField(_("文件"))

    class Meta:
        verbose_name = _("材料文件")
        verbose_name_plural = _("材料文件")
        constraints = [models.UniqueConstraint(fields=["version", "fmt"], name="version_file_unique")]

    def __str__(self):
        return f"{self.version} {self.FORMATS.get(self.fmt, self.fmt)}"


class SignOff(ChangeLoggedModel):
    """One step of the sign-off: who, which step, the decision and the comment."""

    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="signoffs", verbose_name=_("材料")
    )
    step = models.CharField(_("环节"), max_length=20, choices=SignOffStep.choices)
    decision = models.CharField(_("意见"), max_length=20, choices=Decision.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("办理人")
    )
    comment = models.TextField(_("说明"), blank=True)
    version = models.PositiveIntegerField(_("版本号"), null=True, blank=True)
    time = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        ordering = ["document", "time", "pk"]
        verbose_name = _("审核记录")
        verbose_name_plural = _("审核记录")

    def __str__(self):
        return f"{self.document} {self.get_step_display()} {self.get_decision_display()}"

    def get_absolute_url(self):
        return reverse("documents:document", args=[self.document_id])

    def changelog_parent(self):
        return self.document
