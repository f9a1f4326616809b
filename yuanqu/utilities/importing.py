"""Excel import, shared by every module.

One importer per model (``<app>/importers.py``) names the columns of its file and the model
form each row is read into; foreign keys are looked up by a human key (片区 name, 行业 code),
an existing record is found by its key column and updated, and the whole file is one
transaction: a preview runs it and rolls back, a confirmed import commits it, and any error
means nothing is written. The web view (``import_views.py``) and ``yuanqu import NAME FILE``
both go through :func:`run_import`.
"""

import datetime
import decimal
import gc
import inspect
import io
import operator
import re
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass, field

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.forms.models import model_to_dict

from yuanqu.core.changelog import EXCLUDED_FIELDS, _display, _plain, audit
from yuanqu.core.context import current
from yuanqu.registry import importers, register_importer
from yuanqu.users.permissions import restrict

from . import xlsx_reader
from .excel import FORMULA_PREFIXES
from .grants import OutsideGrant
from .text import control_character_error

# A member of the zip that expands more than this many times is treated as a zip bomb;
# real worksheets compress 5–30 times.
MAX_COMPRESSION_RATIO = 200
RATIO_CHECK_MIN_BYTES = 1024 * 1024
# A workbook has a few dozen parts; thousands of entries are a way to exhaust the reader.
MAX_ZIP_ENTRIES = 10000
# What reading a member of a damaged or hostile archive raises: a broken archive or member
# (BadZipFile, ValueError, OSError, EOFError), an encrypted member (RuntimeError) and a
# compression method zipfile does not implement (NotImplementedError).
ZIP_READ_ERRORS = (zipfile.BadZipFile, ValueError, OSError, EOFError, RuntimeError, NotImplementedError)
# Rows that are only formatting are skipped, but not forever.
MAX_EMPTY_ROWS_PAST_LIMIT = 10000
# A background import reports its progress every this many rows.
PROGRESS_EVERY = 200
ZIP_MAGIC = b"PK\x03\x04"
# What [Content_Types].xml declares for a macro-enabled workbook (.xlsm, .xltm) or a macro part.
MACRO_CONTENT_TYPES = (b"macroenabled", b"vbaproject", b"ms-office.activex")
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls
TRUE_WORDS = {"是", "y", "yes", "true", "1", "√", "有"}
FALSE_WORDS = {"否", "n", "no", "false", "0", "×", "无"}
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d")

# Class decorator: make an importer reachable by name (``yuanqu import NAME FILE``); the
# names live in the app registry, filled when each app's ready() imports its importers.py.
register = register_importer


def command_user(username):
    """The user a console command acts as (--user); None: the command line, with full rights."""
    from django.contrib.auth import get_user_model
    from django.core.management.base import CommandError

    if not username:
        return None
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise CommandError(f"用户“{username}”不存在")
    if not user.is_active:
        raise CommandError(f"用户“{username}”已停用")
    return user


def get_importer(name):
    return importers().get(name)


def importer_names():
    return sorted(importers())


class ImportRejected(Exception):
    """The file as a whole is refused (not xlsx, too large, bad header …); message in Chinese."""


# ---------------------------------------------------------------------------------------------
# Results


@dataclass
class RowError:
    row: int | None  # Excel row number; None for the file as a whole
    column: str
    message: str

    def __str__(self):
        if self.row is None:
            return self.message
        if self.column:
            return f"第{self.row}行 {self.column}：{self.message}"
        return f"第{self.row}行：{self.message}"


@dataclass
class RowResult:
    row: int
    status: str  # new, changed, unchanged
    key: str
    label: str
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # (column, before, after)


@dataclass
class ImportResult:
    filename: str = ""
    verbose_name: str = ""
    rows: list[RowResult] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    committed: bool = False

    @property
    def ok(self):
        return not self.errors

    @property
    def rejected_file(self):
        """The file itself was refused (no row was read)."""
        return any(e.row is None for e in self.errors)

    def with_status(self, status):
        return [r for r in self.rows if r.status == status]

    @property
    def new(self):
        return self.with_status("new")

    @property
    def changed(self):
        return self.with_status("changed")

    @property
    def unchanged(self):
        return self.with_status("unchanged")

    @property
    def counts(self):
        return {"new": len(self.new), "changed": len(self.changed), "unchanged": len(self.unchanged)}

    @property
    def to_write(self):
        return len(self.new) + len(self.changed)

    def summary(self):
        c = self.counts
        return f"新增 {c['new']} 行、修改 {c['changed']} 行、未变 {c['unchanged']} 行"


# ---------------------------------------------------------------------------------------------
# The file


def read_limited(file) -> bytes:
    """The file's bytes, refused before reading past the size limit."""
    limit = settings.YUANQU_IMPORT_MAX_BYTES
    size = getattr(file, "size", None)
    data = file.read(limit + 1) if size is None or size <= limit else b""
    if size is not None and size > limit or len(data) > limit:
        raise ImportRejected(f"文件大小超过上限 {_megabytes(limit)}，请拆分后分批导入")
    return data


def _megabytes(n):
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{n} 字节"


def check_file(filename: str, data: bytes) -> None:
    """Refuse anything that is not a plain .xlsx workbook of sane size (see module docstring)."""
    not_xlsx = "文件不是 Excel 工作簿（.xlsx），请在 Excel 中“另存为 Excel 工作簿(*.xlsx)”后再导入"
    if len(data) > settings.YUANQU_IMPORT_MAX_BYTES:
        raise ImportRejected(
            f"文件大小超过上限 {_megabytes(settings.YUANQU_IMPORT_MAX_BYTES)}，请拆分后分批导入"
        )
    if not data:
        raise ImportRejected("文件是空的")
    if data.startswith(OLE_MAGIC):
        raise ImportRejected("这是旧版 Excel（.xls）文件，请在 Excel 中另存为 .xlsx 后再导入")
    if not filename.lower().endswith(".xlsx") or not data.startswith(ZIP_MAGIC):
        raise ImportRejected(not_xlsx)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise ImportRejected(not_xlsx) from exc
    if len(members) > MAX_ZIP_ENTRIES:
        raise ImportRejected(
            f"文件中的压缩条目多达 {len(members)} 个（上限 {MAX_ZIP_ENTRIES} 个），不是正常的 Excel 工作簿，疑似压缩炸弹，已拒绝"
        )
    names = {m.filename for m in members}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise ImportRejected(not_xlsx)
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        raise ImportRejected(
            "文件中含有宏（vbaProject.bin），导入只接受不含宏的工作簿，"
            "请在 Excel 中“另存为 Excel 工作簿(*.xlsx)”后再导入"
        )
    content_types = next(m for m in members if m.filename == "[Content_Types].xml")
    if content_types.file_size > RATIO_CHECK_MIN_BYTES:  # a few KB in any workbook
        raise ImportRejected(not_xlsx)
    try:
        declared = archive.read(content_types).lower()
    except ZIP_READ_ERRORS as exc:
        raise ImportRejected(not_xlsx) from exc
    if any(word in declared.replace(b"\x00", b"") for word in MACRO_CONTENT_TYPES):
        raise ImportRejected(
            "文件声明为启用宏的工作簿（.xlsm 的内容类型），导入只接受不含宏的工作簿，"
            "请在 Excel 中“另存为 Excel 工作簿(*.xlsx)”后再导入"
        )
    # The sizes in the central directory bound what zipfile will inflate (it stops at the
    # declared size and fails the CRC check), so checking them is enough.
    total = sum(m.file_size for m in members)
    if total > settings.YUANQU_IMPORT_MAX_UNCOMPRESSED_BYTES:
        raise ImportRejected(
            f"文件解压后达 {_megabytes(total)}，超过上限 {_megabytes(settings.YUANQU_IMPORT_MAX_UNCOMPRESSED_BYTES)}，"
            "疑似压缩炸弹，已拒绝"
        )
    for m in members:
        if m.file_size > RATIO_CHECK_MIN_BYTES and m.file_size > MAX_COMPRESSION_RATIO * max(
            m.compress_size, 1
        ):
            raise ImportRejected(
                f"文件中“{m.filename}”的压缩比异常（超过 {MAX_COMPRESSION_RATIO} 倍），疑似压缩炸弹，已拒绝"
            )


def count_rows(file, filename: str) -> int:
    """The data rows of an uploaded file (0 when the file is refused: the synchronous path
    then reports why); the file is left at its start."""
    try:
        data = read_limited(file)
        check_file(filename, data)
        return len(read_rows(data)[1])
    except ImportRejected:
        return 0
    finally:
        file.seek(0)


def _blank(value):
    return value is None or (isinstance(value, str) and not value.strip())


@contextmanager
def gc_paused():
    """Reading or validating a large file makes hundreds of thousands of small objects that
    form no reference cycles (calamine's rows, a result per row): the cyclic collector, run
    every few hundred allocations, would only trace them over and over (a sixth of calamine's
    read of 100,000 rows, a third of the monthly validation). It is paused meanwhile, and
    afterwards what was made is moved to the oldest generation with the rest (``gc.freeze()``
    then ``gc.unfreeze()``: two list splices) rather than traced once more by the next young
    collection; a cycle among them is collected by the next full collection, as any old
    object's. Not when something froze objects on purpose (a server before forking): those
    stay frozen, and the collector only resumes."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            if not gc.get_freeze_count():
                gc.freeze()
                gc.unfreeze()
            gc.enable()


def read_rows(data: bytes):
    """(header values, [(Excel row number, values)]) of the first worksheet; blank rows skipped.

    Read by calamine (``xlsx_reader``) after its scan for DTDs; a file calamine cannot read
    exactly is read with openpyxl instead, which gives the same values.
    """
    try:
        with gc_paused():
            return _collect_calamine_rows(xlsx_reader.read(data))
    except xlsx_reader.ForbiddenDTD as exc:
        raise ImportRejected(f"文件中“{exc.member}”含有 DTD 声明（DOCTYPE），疑似 XML 炸弹，已拒绝") from exc
    except xlsx_reader.NotFast:
        pass
    import openpyxl

    if not openpyxl.DEFUSEDXML:  # it parses through defusedxml only when installed and enabled
        raise ImportRejected("服务器未启用 defusedxml，无法安全读取此文件，请联系系统管理员")
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken package
        raise ImportRejected("无法作为 Excel 工作簿打开，文件可能已损坏或不是 .xlsx 格式") from exc
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # do not trust the stored dimension: read every row
        return _collect_rows(enumerate(sheet.iter_rows(values_only=True), start=1))
    except ImportRejected:
        raise
    except Exception as exc:
        raise ImportRejected("读取工作表失败，文件可能已损坏") from exc
    finally:
        workbook.close()


def _collect_rows(numbered_rows):
    limit = settings.YUANQU_IMPORT_MAX_ROWS
    too_many = ImportRejected(f"数据行超过上限 {limit} 行，请拆分后分批导入")
    header, rows = None, []
    for number, values in numbered_rows:
        first = values[0] if values else None
        # A filled first cell (the key, in every template) settles it without looking further.
        if (first is None or first.__class__ is str and not first.strip()) and all(_blank(v) for v in values):
            if number > limit + 1 + MAX_EMPTY_ROWS_PAST_LIMIT:
                raise too_many
            continue
        if header is None:
            header = values
            continue
        rows.append((number, values))
        if len(rows) > limit:
            raise too_many
    if header is None:
        raise ImportRejected("工作表是空的：第一个工作表中没有表头，也没有数据")
    if not rows:
        raise ImportRejected("文件中没有数据行：表头下面是空的")
    return header, rows


def _collect_calamine_rows(raw):
    """``_collect_rows`` of calamine's rows (``xlsx_reader.read``) with the same outcome, the
    same refusals included, without a Python step per row: only rows whose first cell is blank
    are looked at one by one (the key is in the first column of every template), and the data
    rows are converted when an importer takes them (``xlsx_reader.Rows``)."""
    if not raw or not raw[0] or len(set(map(len, raw))) != 1:  # not calamine's usual grid
        return _collect_rows(enumerate(map(xlsx_reader._row, raw), start=1))
    limit = settings.YUANQU_IMPORT_MAX_ROWS
    too_many = ImportRejected(f"数据行超过上限 {limit} 行，请拆分后分批导入")
    blank = [
        i
        for i, first in enumerate(map(operator.itemgetter(0), raw))
        if (first is None or first.__class__ is str and not first.strip()) and all(_blank(v) for v in raw[i])
    ]
    if blank and blank[-1] + 1 > limit + 1 + MAX_EMPTY_ROWS_PAST_LIMIT:
        raise too_many
    if blank:
        skipped = set(blank)
        kept = [i for i in range(len(raw)) if i not in skipped]
    else:
        kept = range(len(raw))
    if len(kept) - 1 > limit:
        raise too_many
    if not kept:
        raise ImportRejected("工作表是空的：第一个工作表中没有表头，也没有数据")
    if len(kept) == 1:
        raise ImportRejected("文件中没有数据行：表头下面是空的")
    header = xlsx_reader._row(raw[kept[0]])
    if blank:
        data = kept[1:]
        return header, xlsx_reader.Rows([i + 1 for i in data], [raw[i] for i in data])
    return header, xlsx_reader.Rows(range(2, len(raw) + 1), raw[1:])


# ---------------------------------------------------------------------------------------------
# Importers


@dataclass(frozen=True)
class ImportOption:
    """An option an importer (or an app's exporter) takes when constructed, beyond ``period``:
    declared in its ``options``, given on the console as ``--NAME VALUE`` (``yuanqu import
    targets FILE --year 2023``) and passed to the constructor as the keyword ``NAME``, a string
    (None when not given). Its web import page adds a field of the same name to its upload
    form. An importer that does not declare an option refuses it."""

    name: str  # the keyword and the console flag (no leading dashes)
    help: str


RESERVED_OPTIONS = {"name", "file", "dry_run", "dry-run", "user", "period"}


def declared_options(classes) -> list[ImportOption]:
    """The options the given importer or exporter classes declare, each name once."""
    found = {}
    for cls in classes:
        for option in getattr(cls, "options", ()):
            if option.name in RESERVED_OPTIONS:
                raise ValueError(f"{cls.__name__} declares the reserved option {option.name!r}")
            found.setdefault(option.name, option)
    return [found[name] for name in sorted(found)]


def option_kwargs(cls, given: dict, what: str) -> dict:
    """The constructor keywords of ``cls`` from the console's ``given`` option values (name →
    value or None); raises CommandError for a value of an option ``cls`` does not declare."""
    from django.core.management.base import CommandError

    accepted = {option.name for option in getattr(cls, "options", ())}
    kwargs = {}
    for name, value in given.items():
        if name in accepted:
            kwargs[name] = value
        elif value not in (None, ""):
            raise CommandError(f"{what}不接受 --{name}")
    return kwargs


@dataclass
class Column:
    """One column of the file, read into one field of the import form."""

    header: str
    field: str
    required: bool = False
    help: str = ""
    lookup: str = "name"  # for a foreign key: the human key it is found by
    aliases: tuple[str, ...] = ()  # other headers accepted (e.g. the list export's)
    text: bool = False  # a code kept as text in the template (no number formatting)
    pad: int = 0  # a code typed as a number loses leading zeros: pad it back
    blank_keeps: bool = False  # an empty cell keeps the current value (new rows: the default)


def normalise_header(value) -> str:
    text = re.sub(r"\s+", "", str(value or ""))
    text = text.replace("(", "（").replace(")", "）").replace("＊", "*")
    return text.strip("*")


class Importer:
    """Reads rows into ``form``; subclasses set the model, the columns and the key field."""

    name = ""  # registry name, e.g. "enterprises"
    model = None
    form = None
    key = ""  # the field that identifies a record, e.g. "uscc"
    columns: list[Column] = []
    queryset = None  # for `yuanqu export NAME` (with ``table``)
    table = None
    template_filename = ""
    accepts_period = False  # takes ``period`` (a month, ``--period 2023-10``) when constructed
    options: tuple[ImportOption, ...] = ()  # further keywords it takes (``--year 2023``)
    filename = ""  # the uploaded file's name, set by run_import()

    def __init__(self, user=None):
        self.user = user
        self.prototype = self.form(user=user)
        self.unknown_headers = []
        self._lookups = {}

    # Hooks ----------------------------------------------------------------------------------

    def normalise_key(self, value: str) -> str:
        return value.strip()

    def existing_record(self, key):
        """The record a row's key names, or None (a new record); an importer whose records are
        identified by several columns gives its key as it likes and finds the record here."""
        return self.model._default_manager.filter(**{self.key: key}).first() if key else None

    def initial_for_new(self) -> dict:
        """Form values of a new record before the file's values are applied."""
        return {}

    # Columns --------------------------------------------------------------------------------

    @property
    def verbose_name(self):
        return str(self.model._meta.verbose_name)

    @classmethod
    def key_column(cls) -> Column:
        return next(c for c in cls.columns if c.field == cls.key)

    def form_field(self, column):
        return self.prototype.fields[column.field]

    def choices_for(self, column) -> list[str] | None:
        """The values a cell of the column may take, for the template's drop-down lists."""
        f = self.form_field(column)
        if isinstance(f, forms.ModelChoiceField):
            return [str(v) for v in f.queryset.values_list(column.lookup, flat=True).distinct()]
        if isinstance(f, forms.BooleanField):
            return ["是", "否"]
        if isinstance(f, forms.ChoiceField):
            return [str(label) for value, label in f.choices if value != ""]
        return None

    def map_header(self, values) -> list[Column | None]:
        """The column of each cell of the header row; refuses missing or repeated columns."""
        known = {}
        for column in self.columns:
            for name in (column.header, *column.aliases):
                known[normalise_header(name)] = column
        mapped, seen, unknown = [], {}, []
        for value in values:
            name = normalise_header(value)
            column = known.get(name)
            if column is not None and column.field in seen:
                raise ImportRejected(f"表头中“{column.header}”列出现了两次")
            if column is not None:
                seen[column.field] = column
            elif name:
                unknown.append(str(value).strip())
            mapped.append(column)
        missing = [c.header for c in self.columns if c.required and c.field not in seen]
        if missing:
            raise ImportRejected(
                f"表头缺少必填列：{'、'.join(missing)}（第一行应为列名，可下载导入模板对照）"
            )
        self.unknown_headers = unknown
        return mapped

    # Cells ----------------------------------------------------------------------------------

    def convert(self, column, value):
        """The form value of a cell; raises ValidationError with a Chinese reason."""
        f = self.form_field(column)
        if isinstance(value, str):
            value = value.strip()
            if message := control_character_error(value, column.header):
                raise ValidationError(message)
        if _blank(value):
            return None
        if isinstance(f, forms.ModelChoiceField):
            return self.lookup(column, f, _text(value, column))
        if isinstance(f, forms.BooleanField):
            word = str(value).strip().lower() if not isinstance(value, bool) else ("是" if value else "否")
            if word in TRUE_WORDS:
                return True
            if word in FALSE_WORDS:
                return False
            raise ValidationError(f"应填“是”或“否”，实际为“{value}”")
        if isinstance(f, forms.ChoiceField):
            text = _text(value, column)
            labels = {str(label): v for v, label in f.choices if v != ""}
            if text in labels:
                return labels[text]
            if text in labels.values():
                return text
            raise ValidationError(f"“{text}”不是可选的值，可选：{'、'.join(labels)}")
        if isinstance(f, forms.DateField):
            return _date(value)
        if isinstance(f, forms.DecimalField | forms.IntegerField | forms.FloatField):
            return _number(value)
        return _text(value, column)

    def lookup(self, column, form_field, text):
        """The primary key of the record named ``text`` in the field's choices."""
        cache_key = (column.field, text)
        if cache_key not in self._lookups:
            pks = list(form_field.queryset.filter(**{column.lookup: text}).values_list("pk", flat=True)[:2])
            self._lookups[cache_key] = pks
        pks = self._lookups[cache_key]
        if not pks:
            raise ValidationError(f"未找到“{text}”，请填写系统中已有的{column.header}名称")
        if len(pks) > 1:
            raise ValidationError(f"名为“{text}”的{column.header}不止一个，无法确定是哪一个")
        return pks[0]

    # Rows -----------------------------------------------------------------------------------

    def allowed(self, obj, action) -> bool:
        if self.user is None:  # the command line without --user acts with full rights
            return True
        return restrict(self.model._default_manager.filter(pk=obj.pk), self.user, action).exists()

    def run(self, header, rows, result: ImportResult, commit: bool, progress=None) -> ImportResult:
        """Read every row; write them all when ``commit`` and there is no error, else roll back.

        ``progress(phase, done, total)`` is told every ``PROGRESS_EVERY`` rows (a background
        import's progress bar): phase 校验 for a preview, 写入 for a committing run."""
        mapped = self.map_header(header)
        if self.unknown_headers:
            result.warnings.append(f"以下列未识别，已忽略：{'、'.join(self.unknown_headers)}")
        key_column = self.key_column()
        key_index = mapped.index(key_column)
        seen = {}
        phase, total = ("写入" if commit else "校验"), len(rows)
        with transaction.atomic():
            for done, (number, values) in enumerate(rows):
                if progress is not None and done % PROGRESS_EVERY == 0:
                    progress(phase, done, total)
                values = list(values) + [None] * (len(mapped) - len(values))
                cells = {c.field: values[i] for i, c in enumerate(mapped) if c is not None}
                raw_key = values[key_index]
                key = self.normalise_key(_text(raw_key, key_column)) if not _blank(raw_key) else ""
                if key and key in seen:
                    result.errors.append(
                        RowError(
                            number,
                            key_column.header,
                            f"与第{seen[key]}行重复（同一文件中同一{key_column.header}只能出现一次）",
                        )
                    )
                    self.check_row(number, key, cells, result)  # its other faults are listed too
                    continue
                if key:
                    seen[key] = number
                self.read_row(number, key, cells, result)
            result.committed = commit and result.ok
            if not result.committed:
                transaction.set_rollback(True)
        if progress is not None:
            progress(phase, total, total)
        return result

    def bind(self, number, existing, cells, errors):
        """The import form of one row: the record's values, overwritten by the file's cells."""
        instance = existing or self.model()
        data = model_to_dict(instance, fields=list(self.prototype.fields))
        if existing is None:
            data.update(self.initial_for_new())
        by_field = {c.field: c for c in self.columns}
        unreadable = set()  # cells already reported: the form's "必填" on them would only repeat it
        for name, raw in cells.items():
            column = by_field[name]
            try:
                value = self.convert(column, raw)
            except ValidationError as exc:
                errors.append(RowError(number, column.header, "；".join(exc.messages)))
                unreadable.add(name)
                continue
            if value is not None or not column.blank_keeps:
                data[name] = value
        form = self.form(data=data, instance=instance, user=self.user)
        if not form.is_valid():
            for name, field_errors in form.errors.as_data().items():
                if name in unreadable:
                    continue
                column = by_field.get(name)
                label = (
                    column.header if column else str(form.fields[name].label) if name in form.fields else ""
                )
                errors.extend(RowError(number, label, _reason(e)) for e in field_errors)
        return form

    def row_errors(self, number, existing, cells):
        """The faults of one row's cells and form, in the order of the columns (nothing saved)."""
        errors = []
        form = self.bind(number, existing, cells, errors)
        order = {c.header: i for i, c in enumerate(self.columns)}
        return form, sorted(errors, key=lambda e: order.get(e.column, len(order)))

    def check_row(self, number, key, cells, result):
        """List a row's faults without saving it (a row that cannot be imported anyway)."""
        existing = self.existing_record(key)
        result.errors.extend(self.row_errors(number, existing, cells)[1])

    def row_changes(self, existing, before, form) -> list:
        """(column, before, after) of each change the valid row makes to ``existing`` (whose
        values were ``before``); none means the row is unchanged and nothing is written."""
        return _changes(before, _values(form.instance), self)

    def read_row(self, number, key, cells, result):
        """Validate one row, and save it (inside the file's transaction) when it changes anything."""
        existing = self.existing_record(key)
        before = _values(existing) if existing else None
        existing_label = str(existing) if existing else ""  # the form changes the instance in place
        form, errors = self.row_errors(number, existing, cells)
        if errors:
            result.errors.extend(errors)
            return
        label = str(form.instance)
        changes = self.row_changes(existing, before, form) if existing else []
        status = "new" if existing is None else "changed" if changes else "unchanged"
        key_header = self.key_column().header
        if status == "unchanged":  # nothing is written, but the user must be able to see it
            if self.allowed(existing, "view"):
                result.rows.append(RowResult(number, status, key, label))
            else:
                result.errors.append(RowError(number, key_header, "该记录不在您的权限范围内"))
            return
        if existing is not None and not self.allowed(existing, "import"):
            message = f"{self.verbose_name}“{existing_label}”不在您可导入的范围内（例如不属于本部门）"
            result.errors.append(RowError(number, key_header, message))
            return
        try:
            with transaction.atomic():
                saved = form.save()
                if not self.allowed(saved, "import"):
                    raise OutsideGrant
        except OutsideGrant:
            message = "导入后的记录超出了您的权限范围（例如责任部门不是本部门），不能导入"
            result.errors.append(RowError(number, "", message))
            return
        except (IntegrityError, ValidationError) as exc:
            result.errors.append(RowError(number, "", f"保存失败：{exc}"))
            return
        result.rows.append(RowResult(number, status, key, label, changes))


def _text(value, column=None) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime):
        value = value.date() if value.time() == datetime.time() else value
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = str(value).strip()
    if text.startswith("'") and text[1:].startswith(FORMULA_PREFIXES):
        text = text[1:]  # our own export's neutralised formula text, read back as it was
    if column is not None and column.pad and text.isdigit() and len(text) < column.pad:
        text = text.zfill(column.pad)
    return text


def _date(value):
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValidationError(f"“{text}”不是有效的日期，格式应为 YYYY-MM-DD，如 2015-06-30")


def _number(value):
    if isinstance(value, bool):
        raise ValidationError(f"应为数字，实际为“{_text(value)}”")
    if isinstance(value, int | decimal.Decimal):
        return decimal.Decimal(value)
    if isinstance(value, float):
        return decimal.Decimal(repr(value))
    text = str(value).strip().replace(",", "").replace("，", "")
    try:
        return decimal.Decimal(text)
    except decimal.InvalidOperation as exc:
        raise ValidationError(f"“{value}”不是数字，应填写数字，如 500 或 1200.5") from exc


def _reason(error: ValidationError) -> str:
    if error.code == "required":
        return "必填，不能为空"
    return "；".join(error.messages)


def _values(obj) -> dict:
    return {
        f.name: f.value_from_object(obj)
        for f in obj._meta.concrete_fields
        if not f.primary_key and f.name not in EXCLUDED_FIELDS
    }


def _changes(before, after, importer):
    """(column, before, after) for each field the row changes, values as shown on screen."""
    model = importer.model
    by_field = {c.field: c for c in importer.columns}
    changes = []
    for name, value in after.items():
        old = before.get(name)
        if old == value or (old in (None, "") and value in (None, "")):
            continue
        model_field = model._meta.get_field(name)
        column = by_field.get(name)
        label = column.header if column else str(model_field.verbose_name)
        changes.append((label, _display(model_field, _plain(old)), _display(model_field, _plain(value))))
    return changes


# ---------------------------------------------------------------------------------------------
# One import, from the web or the console


def run_import(importer: Importer, file, filename: str, commit: bool, progress=None) -> ImportResult:
    """Check the file, read it through the importer and write the audit event; ``progress``
    as for ``Importer.run`` (phase 读取 while the file is checked and read)."""
    result = ImportResult(filename=filename, verbose_name=importer.verbose_name)
    importer.filename = filename
    try:
        if progress is not None:
            progress("读取", 0, 0)
        data = read_limited(file)
        check_file(filename, data)
        header, rows = read_rows(data)
        if progress is None:
            importer.run(header, rows, result, commit)
        elif "progress" in inspect.signature(importer.run).parameters:
            importer.run(header, rows, result, commit, progress=progress)
        else:  # an importer with its own run (a fast path) reports only its start and end
            phase = "写入" if commit else "校验"
            progress(phase, 0, len(rows))
            importer.run(header, rows, result, commit)
            progress(phase, len(rows), len(rows))
    except ImportRejected as exc:
        result.errors = [RowError(None, "", str(exc))]
        result.rows = []
    user = importer.user
    user_name = "" if user is not None else {"cli": "命令行"}.get(current().source, "")
    meta = {"model": importer.model._meta.label_lower, "file": filename[:200]}
    if not result.ok:
        audit(
            "import_rejected",
            user=user,
            user_name=user_name,
            detail=f"拒绝导入{importer.verbose_name}文件“{filename}”：{result.errors[0]}"
            + (f" 等 {len(result.errors)} 处错误" if len(result.errors) > 1 else ""),
            data={**meta, "errors": len(result.errors), "messages": [str(e) for e in result.errors[:50]]},
        )
    elif result.committed:
        audit(
            "import",
            user=user,
            user_name=user_name,
            detail=f"导入{importer.verbose_name}文件“{filename}”：{result.summary()}",
            data={**meta, **result.counts},
        )
    return result
