"""Attachments on demands: what may be uploaded, and saving them on a step.

Allowed are PDF, JPG, PNG, DOCX and XLSX files up to ``YUANQU_ATTACHMENT_MAX_BYTES`` (10 MB
by default), at most ``MAX_FILES`` per step. The type is checked on the name's extension
and on the file's first bytes (a renamed .exe is refused). Files are stored under
``MEDIA_ROOT/demands/`` with random names and served only by the download view, which
fetches the attachment through ``restrict()``.
"""

from pathlib import Path

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

from yuanqu.users.permissions import can_add_child

from .models import DemandAttachment

MAX_FILES = 10
ZIP = (b"PK\x03\x04",)
SIGNATURES = {
    ".pdf": (b"%PDF",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".docx": ZIP,
    ".xlsx": ZIP,
}
ALLOWED_LABEL = "PDF、JPG、PNG、Word（.docx）、Excel（.xlsx）"
ACCEPT = ",".join(SIGNATURES)


def _megabytes(n: int) -> str:
    return f"{n / 1024 / 1024:.0f} MB" if n >= 1024 * 1024 else f"{n} 字节"


def check_upload(upload) -> None:
    """Refuse a file of another type, a disguised one, an empty or too large one."""
    name = upload.name or ""
    suffix = Path(name).suffix.lower()
    if suffix not in SIGNATURES:
        raise ValidationError(f"附件“{name}”的类型不允许：只能上传{ALLOWED_LABEL}文件")
    limit = settings.YUANQU_ATTACHMENT_MAX_BYTES
    if upload.size == 0:
        raise ValidationError(f"附件“{name}”是空文件")
    if upload.size > limit:
        raise ValidationError(
            f"附件“{name}”大小为{upload.size / 1024 / 1024:.1f} MB，超过上限{_megabytes(limit)}"
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not head.startswith(SIGNATURES[suffix]):
        raise ValidationError(f"附件“{name}”的内容与扩展名{suffix}不符，可能已损坏或不是该类型的文件")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Zero or more files, each checked by ``check_upload``."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "附件")
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "help_text",
            f"可选多个文件，每个不超过{_megabytes(settings.YUANQU_ATTACHMENT_MAX_BYTES)}，限{ALLOWED_LABEL}",
        )
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        kwargs.setdefault("error_messages", {"empty": "附件是空文件，请重新选择"})
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        items = data if isinstance(data, list | tuple) else [data]
        files = [super(AttachmentsField, self).clean(item, initial) for item in items if item]
        files = [f for f in files if f]
        if len(files) > MAX_FILES:
            raise ValidationError(f"一次最多上传{MAX_FILES}个附件")
        errors = []
        for upload in files:
            try:
                check_upload(upload)
            except ValidationError as exc:
                errors.extend(exc.messages)
        if errors:
            raise ValidationError(errors)
        return files


class NotAllowed(Exception):
    pass


def add_attachments(demand, user, files, action) -> list[DemandAttachment]:
    """Save the files on the demand (inside the caller's transaction); each is change-logged."""
    if not files:
        return []
    if not can_add_child(user, DemandAttachment, "demand", demand):
        raise NotAllowed(f"您不能为诉求{demand.number}上传附件")
    saved = []
    for upload in files:
        check_upload(upload)
        attachment = DemandAttachment(
            demand=demand,
            name=Path(upload.name).name[:200],
            size=upload.size,
            action=action,
            uploaded_by=user,
        )
        attachment.file.save(upload.name, upload, save=False)
        attachment.save()
        saved.append(attachment)
    return saved
