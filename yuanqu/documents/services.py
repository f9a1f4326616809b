"""材料报告 workflow: the templates seeded once, writing a document and its versions with the
report engine, the sign-off (三级审核) and the comparison of a published document's figures
with the records as they are now (数据已更正).

Who may act, each a grant on ``documents.document`` reaching the document (``restrict()``):

- the drafter's steps (write, revise, submit): ``change`` — by default the staff of the
  document's department;
- the department head's review: ``review`` — given to the head of a department as a grant of
  their own (a user grant, constraint 本部门), so a department names its head as data;
- the leader's approval: ``approve`` — by default the leader role.

Nobody signs off a document they drafted. Every step saves the document's status and a
``SignOff`` row, both in the change log, in one transaction.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from yuanqu.users.permissions import has_perm, restrict

from .choices import KIND_PARAM, Decision, DocumentStatus, ReportKind, SignOffStep, VersionSource
from .models import Document, DocumentVersion, ReportTemplate, SignOff, VersionFile

S = DocumentStatus
SEEDED_KIND = "report_template"

# --- templates ---------------------------------------------------------------------------------


def shipped_text(kind: str) -> str:
    """The engine's shipped template text of a kind."""
    from .reports import shipped_template

    return shipped_template(kind)


def ensure_default_template(kind: str) -> ReportTemplate | None:
    """The kind's default template, created from the shipped text the first time it is
    needed; once seeded it is never brought back (a deleted one stays deleted)."""
    from yuanqu.core.models import SeededDefault

    if SeededDefault.objects.filter(kind=SEEDED_KIND, key=kind).exists():
        return None
    text = shipped_text(kind)
    if not text:
        return None
    with transaction.atomic():
        template, _ = ReportTemplate.objects.get_or_create(
            name=f"{ReportKind(kind).label}（系统内置）", defaults={"kind": kind, "text": text}
        )
        SeededDefault.objects.get_or_create(kind=SEEDED_KIND, key=kind)
    return template


def template_for(kind: str) -> ReportTemplate | None:
    """The template a new document of this kind is written from: the first active one of
    the kind (the default seeded when there is none yet), or None (the shipped text)."""
    found = ReportTemplate.objects.filter(kind=kind, active=True).order_by("pk").first()
    return found or ensure_default_template(kind)


def reset_template(template: ReportTemplate) -> ReportTemplate:
    """Put the shipped text back into a template the zone edited."""
    text = shipped_text(template.kind)
    if not text:
        raise ValidationError("系统没有该类型的内置模板文本")
    template.text = text
    template.save()
    return template


# --- writing -------------------------------------------------------------------------------------


def check_params(kind: str, *, period=None, date=None, year=None) -> dict:
    """The one parameter a kind is written for, or a Chinese ValidationError naming it."""
    need = KIND_PARAM[ReportKind(kind)]
    given = {"period": period, "date": date, "year": year}
    labels = {"period": "月份", "date": "日期", "year": "年度"}
    if not given[need]:
        raise ValidationError({need: f"{ReportKind(kind).label}须填写{labels[need]}"})
    params = {need: given[need]}
    if need == "period":
        params["period"] = period.replace(day=1)
    return params


def render(kind: str, *, user, template_text: str | None, **params):
    """The engine's report; its errors (a template error, a month with no data) become a
    ValidationError with the engine's Chinese message."""
    from .reports import ReportError, generate

    try:
        return generate(kind, user=user, template_text=template_text or None, **params)
    except ReportError as error:  # a template error, a month with no data: said in Chinese
        raise ValidationError(str(error) or "材料生成失败") from error


def _version_from(report, document, user, source, text) -> DocumentVersion:
    number = (document.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    version = DocumentVersion.objects.create(
        document=document,
        number=number,
        source=source,
        template_text=text or "",
        figures=list(report.figures),
        author=user,
    )
    VersionFile.objects.create(version=version, fmt="html", content=report.html().encode("utf-8"))
    VersionFile.objects.create(version=version, fmt="docx", content=report.to_docx())
    return version


def pdf_available() -> bool:
    """Whether the engine can make PDF here (LibreOffice installed)."""
    from .reports.pdf import soffice

    return soffice() is not None


def version_file(version, fmt: str) -> bytes | None:
    """A version's Word file, or its PDF: converted from that same Word file the first time it
    is asked for (so it shows the version as written) and kept; None when there is none."""
    stored = version.files.filter(fmt=fmt).first()
    if stored is not None:
        return bytes(stored.content)
    if fmt != "pdf" or not pdf_available():
        return None
    docx = version.files.filter(fmt="docx").first()
    if docx is None:
        return None
    from .reports.pdf import docx_to_pdf

    content = docx_to_pdf(bytes(docx.content))
    if content:
        VersionFile.objects.get_or_create(version=version, fmt="pdf", defaults={"content": content})
    return content


def write(kind: str, *, user, period=None, date=None, year=None, title="") -> Document:
    """A new document of ``kind`` written now by ``user`` for their department (version 1)."""
    if not has_perm(user, Document, "add"):
        raise PermissionDenied("没有生成材料的权限")
    params = check_params(kind, period=period, date=date, year=year)
    with transaction.atomic():  # a report that cannot be written leaves no seeded template
        template = template_for(kind)
        text = template.text if template is not None and template.text.strip() else None
        report = render(kind, user=user, template_text=text, **params)
        document = Document.objects.create(
            kind=kind,
            title=(title or report.title)[:200],
            department=user.department,
            drafter=user,
            template=template,
            year=params.get("year") or (params.get("period") or params.get("date")).year,
            period=params.get("period"),
            date=params.get("date"),
        )
        _version_from(report, document, user, VersionSource.GENERATED, text)
        if not restrict(Document.objects.filter(pk=document.pk), user, "add").exists():
            raise PermissionDenied("生成的材料超出了您的权限范围（例如不属于本部门）")
    return document


def may_edit(document, user) -> bool:
    return document.status in (S.DRAFT, S.RETURNED) and _reaches(document, user, "change")


def revise(document, user, template_text: str) -> DocumentVersion:
    """A new version written from the drafter's text (the document's own copy of the
    template), while the document is a draft or returned."""
    if not may_edit(document, user):
        raise PermissionDenied(_refusal(document, "修改"))
    report = render(document.kind, user=user, template_text=template_text, **_engine_params(document))
    with transaction.atomic():
        return _version_from(report, document, user, VersionSource.EDITED, template_text)


def _engine_params(document) -> dict:
    need = KIND_PARAM[ReportKind(document.kind)]
    return {need: getattr(document, need)}


# --- sign-off ----------------------------------------------------------------------------------

# status → (step, grant that acts on it, status after 同意)
STEPS = {
    S.DEPT_REVIEW: (SignOffStep.DEPT, "review", S.LEADER_REVIEW),
    S.LEADER_REVIEW: (SignOffStep.LEADER, "approve", S.PUBLISHED),
}


def _reaches(document, user, action) -> bool:
    return restrict(Document.objects.filter(pk=document.pk), user, action).exists()


def _refusal(document, what) -> str:
    return f"材料“{document}”当前状态为“{document.get_status_display()}”，您不能{what}"


def may_submit(document, user) -> bool:
    return may_edit(document, user) and document.versions.exists()


def may_sign(document, user) -> bool:
    """Whether ``user`` may take the current review step (同意 or 退回)."""
    if document.status not in STEPS or document.drafter_id == user.pk:
        return False
    return _reaches(document, user, STEPS[document.status][1])


def submit(document, user, comment: str = "") -> SignOff:
    """The drafter hands the document to the department head."""
    if not may_submit(document, user):
        raise PermissionDenied(_refusal(document, "提交审核"))
    return _step(document, user, SignOffStep.SUBMIT, Decision.SUBMIT, comment, S.DEPT_REVIEW)


def sign(document, user, decision: str, comment: str = "") -> SignOff:
    """The department head's or the leader's decision: 同意 moves it on (the leader's
    publishes it), 退回 sends it back to the drafter and needs a comment."""
    if not may_sign(document, user):
        if document.status in STEPS and document.drafter_id == user.pk:
            raise PermissionDenied("不能审核本人起草的材料")
        raise PermissionDenied(_refusal(document, "审核"))
    comment = (comment or "").strip()
    step, _action, after = STEPS[document.status]
    if decision == Decision.RETURN:
        if not comment:
            raise ValidationError({"comment": "退回时须填写退回意见"})
        return _step(document, user, step, Decision.RETURN, comment, S.RETURNED)
    if decision != Decision.APPROVE:
        raise ValidationError({"decision": f"未知的审核意见“{decision}”"})
    return _step(document, user, step, Decision.APPROVE, comment, after)


def _step(document, user, step, decision, comment, status) -> SignOff:
    with transaction.atomic():
        fresh = Document.objects.select_for_update().get(pk=document.pk)
        if fresh.status != document.status:  # acted on meanwhile by someone else
            raise PermissionDenied(_refusal(fresh, "办理"))
        fresh.status = status
        if status == S.PUBLISHED:
            fresh.published = timezone.now()
        fresh.save()
        document.status, document.published = fresh.status, fresh.published
        latest = fresh.latest_version()
        signed = SignOff.objects.create(
            document=fresh,
            step=step,
            decision=decision,
            user=user,
            comment=comment,
            version=latest.number if latest else None,
        )
        _tell(fresh, signed)
        return signed


def _tell(document, signed) -> None:
    """The people the document now waits for, or its drafter when it came back or went out."""
    from yuanqu.notifications.services import notify

    link = document.get_absolute_url()
    if document.status in STEPS:
        step, action, _after = STEPS[document.status]
        notify(
            _actors(document, action),
            f"待{step.label}：{document}",
            f"{signed.user}已{signed.get_decision_display()}。",
            link,
            "document",
        )
    elif document.status == S.RETURNED:
        notify(
            [document.drafter],
            f"材料被退回：{document}",
            f"{signed.user}退回：{signed.comment}",
            link,
            "document",
        )
    elif document.status == S.PUBLISHED:
        notify([document.drafter], f"材料已发布：{document}", f"{signed.user}审定同意。", link, "document")


def _actors(document, action) -> list:
    """Who may take ``action`` on the document (by a role's grant or their own), its drafter
    aside."""
    from django.db.models import Q

    from yuanqu.users.models import ObjectPermission, User

    grants = [
        g
        for g in ObjectPermission.objects.filter(enabled=True, model="documents.document")
        if action in (g.actions or [])
    ]
    roles = {g.role for g in grants if g.role}
    people = {g.user_id for g in grants if g.user_id}
    candidates = User.objects.filter(is_active=True).filter(Q(role__in=roles) | Q(pk__in=people))
    return [u for u in candidates.exclude(pk=document.drafter_id) if _reaches(document, u, action)]


def actions_for(document, user) -> dict:
    return {
        "edit": may_edit(document, user),
        "submit": may_submit(document, user),
        "sign": may_sign(document, user),
        "step": STEPS[document.status][0].label if document.status in STEPS else "",
    }


# --- 数据已更正: a version's figures against the records now -----------------------------------


def compare(version: DocumentVersion, user) -> list[dict]:
    """Each figure of the version as written, evaluated again by the engine for the same key,
    period and scope over the records ``user`` may see now, printed the same way: ``changed``
    when the printed number differs (数据已更正), with ``now_text``/``now`` the new one and
    ``note`` why there is none."""
    from .reports.engine import Helpers, ReportError

    helpers: dict = {}
    rows = []
    for written in version.figures or []:
        row = {**written, "now": None, "now_text": "", "changed": False, "note": ""}
        rows.append(row)
        period = _period_of(written.get("period"))
        if period is None:
            row["note"] = "数据清单中的月份无法识别"
            continue
        helper = helpers.setdefault(period, Helpers(period, user))
        if written.get("key") not in helper.catalogue:
            row["note"] = "数据目录中已无此数据项"
            continue
        write = helper.growth if _is_growth(written, helper.catalogue[written["key"]]) else helper.figure
        try:
            write(written["key"], scope=written.get("scope") or None, period=period)
        except ReportError as error:
            row["note"] = str(error)
            continue
        now = helper.figures[-1]
        row.update(
            {"now": now["value"], "now_text": now["text"], "link": now["link"] or written.get("link", "")}
        )
        row["changed"] = now["text"] != written.get("text") or _differs(written.get("value"), now["value"])
    return rows


GROWTH_WORDS = ("增长", "下降", "与上年持平")


def _is_growth(written, figure) -> bool:
    """Whether the engine printed the figure's growth (``growth()``), not its value."""
    text = str(written.get("text") or "")
    return text.startswith(GROWTH_WORDS) or written.get("name") == f"{figure.name}增速"


def _period_of(value) -> datetime.date | None:
    if isinstance(value, datetime.date):
        return value.replace(day=1)
    text = str(value or "")[:7]
    try:
        return datetime.date(int(text[:4]), int(text[5:7]), 1)
    except ValueError:
        return None


def _differs(written, now) -> bool:
    if written is None or now is None:
        return (written is None) != (now is None)
    try:
        return Decimal(str(written)) != Decimal(str(now))
    except InvalidOperation:
        return str(written) != str(now)
