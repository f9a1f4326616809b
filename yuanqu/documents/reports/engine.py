"""The report writer: a shipped (or edited) Jinja2 template, rendered in a sandbox over plain
data, becomes a list of blocks from which the HTML preview and the Word file are made.

A template sees only what ``Helpers`` gives it: plain data (dicts, lists, strings, numbers)
and functions — ``figure(key, scope=None)`` prints a catalogue figure as a report prints it
(“12.35亿元”, “1,234家”) and records it in the figure list, ``growth(key)`` its growth
(“增长10.1%”), ``table(...)``, ``chart(...)``, ``pagebreak()``. No attribute access to model
instances, no file access (no loader: ``include``/``import``/``extends`` fail), no imports.

The rendered text is read line by line (blank lines are dropped):

* ``# 文本``: the title; ``## 文本`` … ``##### 文本``: headings of level 1–4, numbered
  一、（一）1.（1） by the writer (the template writes the text only);
* ``^ 文本``: a centred line (the date under the title); ``> 文本``: a right-aligned line;
* a line that is only a marker of ``table``/``chart``/``pagebreak``: that block;
* anything else: a paragraph, whose figure markers become runs that know their figure-list
  entry.
"""

import datetime
import re
import traceback
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Model
from django.db.models.query import QuerySet
from jinja2 import StrictUndefined, TemplateSyntaxError, UndefinedError
from jinja2.exceptions import SecurityError, TemplateError
from jinja2.sandbox import SandboxedEnvironment

MARK = "\ue000"  # a private-use character: never in data, never stripped as whitespace
FIGURE_MARK = re.compile(MARK + r"F(\d+)" + MARK)
BLOCK_MARK = re.compile("^" + MARK + r"B(\d+)" + MARK + "$")
ANY_MARK = re.compile(MARK + r"[FB]\d+" + MARK)
MISSING = "××"  # a figure with no value: the draft check flags it for a person to fill
CN_DIGITS = "〇一二三四五六七八九"


class ReportError(Exception):
    """A report that cannot be made; the message says why, in Chinese, in one line."""


# --- blocks ------------------------------------------------------------------------------------


@dataclass
class Run:
    text: str
    figure: int | None = None  # index into Report.figures


@dataclass
class Block:
    """``kind``: title, heading, paragraph, table, chart, pagebreak. ``runs`` for text blocks;
    ``level`` and ``number`` (“一、”) for headings; ``align`` for paragraphs (left, center,
    right); ``table``/``chart`` their data."""

    kind: str
    runs: list = field(default_factory=list)
    level: int = 0
    number: str = ""
    align: str = "left"
    table: dict | None = None
    chart: dict | None = None

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 23 → 二十三 (headings stop well before 100)."""
    if n < 10:
        return CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else CN_DIGITS[tens]) + "十" + (CN_DIGITS[ones] if ones else "")


def heading_number(level: int, n: int) -> str:
    return {1: f"{chinese_number(n)}、", 2: f"（{chinese_number(n)}）", 3: f"{n}.", 4: f"（{n}）"}[level]


# --- numbers as a report prints them -------------------------------------------------------


def _round(value, places: int) -> Decimal:
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)


def plain(value, places: int = 2) -> str:
    """12.30 → “12.3”, 1234 → “1,234”, 1234.5 → “1,234.5”: thousands separated, trailing
    zeros dropped."""
    number = _round(value, places)
    text = f"{number:,.{places}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def amount(value, unit: str) -> tuple[Decimal, str, str]:
    """(value, unit, text) as printed: 万元 from 1亿 up in 亿元 (two decimals), 万元 below it
    as a whole number; counts whole; percentages to one decimal."""
    value = Decimal(str(value))
    if unit in ("万元", "万美元") and abs(value) >= 10000:
        value, unit = value / 10000, unit.replace("万", "亿")
    if unit in ("亿元", "亿美元", "万平方米", "万吨", "万千瓦时", "亿千瓦时", "万人"):
        shown = _round(value, 2)
    elif unit == "%":
        shown = _round(value, 1)
    elif unit in ("万元", "万美元", "元", "美元") and abs(value) >= 100:
        shown = _round(value, 0)
    elif unit in ("家", "个", "件", "项", "人"):
        shown = _round(value, 0)
    else:
        shown = _round(value, 2)
    return shown, unit, plain(shown, 2) + unit


def growth_words(rate) -> tuple[Decimal, str]:
    """A growth fraction as printed: 0.101 → (10.1, “增长10.1%”), −0.023 → “下降2.3%”."""
    pct = _round(Decimal(str(rate)) * 100, 1)
    if pct == 0:
        return pct, "与上年持平"
    return pct, f"{'增长' if pct > 0 else '下降'}{plain(abs(pct), 1)}%"


# --- the report --------------------------------------------------------------------------------


@dataclass
class Report:
    kind: str
    title: str
    params: dict
    blocks: list
    figures: list  # each {key, name, period, scope, value, unit, text, link}

    def figures_json(self) -> list[dict]:
        """The figure list as ``--figures FILE.json`` writes it."""
        keys = ("key", "name", "period", "scope", "value", "unit", "text")
        return [{k: entry[k] for k in keys} for entry in self.figures]

    def html(self) -> str:
        from .html import render_html

        return render_html(self)

    def to_docx(self) -> bytes:
        from .docx import render_docx

        return render_docx(self)

    def pdf(self) -> bytes | None:
        """The Word file converted by LibreOffice, or None when ``soffice`` is not installed."""
        from .pdf import docx_to_pdf

        return docx_to_pdf(self.to_docx())


# --- what a template sees ----------------------------------------------------------------------


class Sandbox(SandboxedEnvironment):
    """The sandbox, also closed to model instances and querysets should one slip in."""

    def is_safe_attribute(self, obj, attr, value):
        if isinstance(obj, Model | QuerySet):
            return False
        return super().is_safe_attribute(obj, attr, value)

    def is_safe_callable(self, obj):
        if isinstance(obj, Model | QuerySet):
            return False
        return super().is_safe_callable(obj)


def environment() -> Sandbox:
    return Sandbox(undefined=StrictUndefined, lstrip_blocks=True, autoescape=False)


class Helpers:
    """The functions of one rendering; they fill ``figures`` and ``blocks`` (the tables,
    charts and page breaks, by marker)."""

    def __init__(self, period: datetime.date, user=None):
        from yuanqu.figures.catalogue import figures

        self.period = period
        self.user = user
        self.catalogue = figures()
        self.memo: dict = {}
        self.figures: list[dict] = []
        self.blocks: list[Block] = []
        self.results: dict = {}
        self.scopes: dict = {}

    # figures
    def _query(self, scope, period):
        from yuanqu.figures.catalogue import Query
        from yuanqu.figures.scopes import ScopeError, find_scope
        from yuanqu.utilities.periods import parse_period

        if scope not in self.scopes:  # each name is looked up once per report
            try:
                self.scopes[scope] = find_scope(scope)
            except ScopeError as exc:
                raise ReportError(str(exc)) from None
        kind, target = self.scopes[scope]
        if period is None:
            month = self.period
        elif isinstance(period, datetime.date):
            month = period.replace(day=1)
        else:
            try:
                month = parse_period(period)
            except Exception as exc:  # a ValidationError: its message is Chinese
                raise ReportError(getattr(exc, "messages", [str(exc)])[0]) from None
        return Query(month, kind, target, self.user, self.memo)

    def result(self, key, scope=None, period=None):
        from yuanqu.figures.catalogue import evaluate

        figure = self.catalogue.get(key)
        if figure is None:
            raise ReportError(f"数据项“{key}”不在数据目录中")
        query = self._query(scope, period)
        cache = (key, query.period, query.scope, getattr(query.target, "pk", None))
        if cache not in self.results:
            self.results[cache] = evaluate(figure, query)
        return figure, query, self.results[cache]

    def _record(self, figure, query, result, value, unit, text, name=None) -> str:
        self.figures.append(
            {
                "key": figure.key,
                "name": name or figure.name,
                "period": f"{query.period:%Y-%m}",
                "scope": query.scope_label(),
                "value": None if value is None else float(value),
                "unit": unit,
                "text": text,
                "link": result.link,
            }
        )
        return f"{MARK}F{len(self.figures) - 1}{MARK}"

    def figure(self, key, scope=None, period=None):
        """The figure's value as printed (“12.35亿元”; a growth figure “9.1%”)."""
        figure, query, result = self.result(key, scope, period)
        if result.value is None:
            return self._record(figure, query, result, None, figure.unit, MISSING)
        if figure.kind == "growth":
            value, text = _round(Decimal(str(result.value)) * 100, 1), None
            text = plain(value, 1) + "%"
            return self._record(figure, query, result, value, "%", text)
        value, unit, text = amount(result.value, figure.unit)
        return self._record(figure, query, result, value, unit, text)

    def growth(self, key, scope=None, period=None):
        """The figure's growth on last year as printed (“增长10.1%”, “下降2.3%”)."""
        figure, query, result = self.result(key, scope, period)
        rate = result.value if figure.kind == "growth" else result.growth
        name = figure.name if figure.kind == "growth" else f"{figure.name}增速"
        if rate is None:
            return self._record(figure, query, result, None, "%", f"增长{MISSING}%", name)
        value, text = growth_words(rate)
        return self._record(figure, query, result, value, "%", text, name)

    def value(self, key, scope=None, period=None):
        """The figure's value as a number (for a condition or a sentence's choice of word);
        printing it goes through ``figure``."""
        _, _, result = self.result(key, scope, period)
        return None if result.value is None else float(result.value)

    def rate(self, key, scope=None, period=None):
        """The figure's growth as a percentage number (None when it has none)."""
        figure, _, result = self.result(key, scope, period)
        rate = result.value if figure.kind == "growth" else result.growth
        return None if rate is None else float(_round(Decimal(str(rate)) * 100, 1))

    def has(self, key) -> bool:
        return key in self.catalogue

    def name(self, key) -> str:
        figure = self.catalogue.get(key)
        if figure is None:
            raise ReportError(f"数据项“{key}”不在数据目录中")
        return figure.name

    # blocks
    def _block(self, block: Block) -> str:
        self.blocks.append(block)
        return f"{MARK}B{len(self.blocks) - 1}{MARK}"

    def table(self, rows, columns, title="", unit=""):
        """A table of ``rows`` (dicts) with ``columns``: a list of [key, header] or
        [key, header, unit]; a column's unit goes into its header (“累计（亿元）”), ``unit``
        for every number column without its own. Cells may hold figures (``figure(...)``)."""
        header, keys = [], []
        for column in columns:
            key, label, *rest = list(column)
            own = rest[0] if rest else ""
            keys.append(key)
            header.append(f"{label}（{own}）" if own else label)
        if unit:
            title = f"{title}（单位：{unit}）" if title else ""
        body = []
        for row in rows:
            cells = []
            for key in keys:
                cell = row.get(key) if isinstance(row, dict) else None
                cells.append("—" if cell is None or cell == "" else _cell(cell))
            body.append(cells)
        return self._block(Block("table", table={"title": title, "header": header, "rows": body}))

    def chart(self, title, labels, series, unit="", kind="bar"):
        """A chart: ``series`` a list of numbers or a dict {name: numbers} (None where a value
        is missing); ``kind`` bar, barh or line; ``unit`` shown on the value axis."""
        if not isinstance(series, dict):
            series = {title: series}
        data = {
            str(name): [None if v is None else float(v) for v in values] for name, values in series.items()
        }
        if kind not in ("bar", "barh", "line"):
            raise ReportError(f"图表类型“{kind}”不对，应为 bar、barh 或 line")
        labels = [str(label) for label in labels]
        for name, values in data.items():
            if len(values) != len(labels):
                raise ReportError(f"图表“{title}”的系列“{name}”有{len(values)}个数，标签有{len(labels)}个")
        chart = {"title": str(title), "labels": labels, "series": data, "unit": str(unit), "kind": kind}
        return self._block(Block("chart", chart=chart))

    def figures_table(self, keys, title="", scope=None, period=None):
        """A table of catalogue figures: 指标, 单位, the value and its growth (each in the figure
        list); figures without a value for the scope and month are left out."""
        rows = []
        for key in keys:
            figure, query, result = self.result(key, scope, period)
            if result.value is None:  # not computed for the scope, or no data this month
                continue
            if figure.kind == "growth":
                value = self.figure(key, scope, period)
                growth = "—"
                unit = "%"
            else:
                unit = amount(result.value, figure.unit)[1] if result.value is not None else figure.unit
                value = self._bare(self.figure(key, scope, period))
                growth = "—" if figure.kind == "ratio" else self._bare(self.growth(key, scope, period))
            rows.append({"name": figure.name, "unit": unit, "value": value, "growth": growth})
        columns = [["name", "指标"], ["unit", "单位"], ["value", query_label(self.period if period is None else period)],
                   ["growth", "同比增长", "%"]]  # fmt: skip
        return self.table(rows, columns, title)

    def _bare(self, marker):
        """A figure printed as a bare number in a table whose header gives the unit."""
        index = int(FIGURE_MARK.match(marker).group(1))
        entry = self.figures[index]
        if entry["value"] is None:
            if index == len(self.figures) - 1:
                self.figures.pop()  # not printed: not in the figure list
            return "—"
        entry["text"] = plain(entry["value"], 2)
        return marker

    def pagebreak(self):
        return self._block(Block("pagebreak"))

    def functions(self) -> dict:
        return {
            "figure": self.figure,
            "growth": self.growth,
            "value": self.value,
            "rate": self.rate,
            "has": self.has,
            "name": self.name,
            "table": self.table,
            "chart": self.chart,
            "pagebreak": self.pagebreak,
            "figures_table": self.figures_table,
            "number": lambda value, unit="": "—" if value is None else amount(value, unit)[2],
            "pct": lambda value: "—" if value is None else plain(_round(value, 1), 1) + "%",
            "signed": _signed,
        }


def query_label(period) -> str:
    from yuanqu.utilities.periods import describe_ytd

    if isinstance(period, str):
        period = datetime.date(int(period[:4]), int(period[5:7]), 1)
    return describe_ytd(period).replace("–", "—") + "累计"


def _signed(value, places=1) -> str:
    """+1.2 / −0.5 (a change in points)."""
    if value is None:
        return "—"
    number = _round(value, places)
    return ("+" if number > 0 else "") + plain(number, places)


def _cell(value) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int | float | Decimal):
        return plain(value, 2)
    return str(value)


# --- rendering ---------------------------------------------------------------------------------


def _template_line(exc) -> int | None:
    if getattr(exc, "lineno", None):
        return exc.lineno
    line = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename == "<template>":
            line = frame.lineno
    return line


def _message(exc) -> str:
    if isinstance(exc, ReportError):
        return str(exc)
    if isinstance(exc, UndefinedError):
        found = re.search(r"'([^']+)' is undefined", str(exc))
        if found:
            return f"未定义的名称“{found.group(1)}”"
        found = re.search(r"has no attribute '([^']+)'", str(exc))
        return f"没有“{found.group(1)}”这一项" if found else f"未定义的值（{exc}）"
    if isinstance(exc, SecurityError):
        found = re.search(r"attribute '([^']+)'", str(exc))
        return f"模板不允许访问“{found.group(1)}”" if found else "模板不允许这样的访问"
    if isinstance(exc, TemplateSyntaxError):
        return f"模板语法错误（{exc.message}）"
    if isinstance(exc, TypeError) and "no loader" in str(exc):
        return "模板不能引用其他文件（include、import、extends 不可用）"
    return f"{type(exc).__name__}：{exc}"


def render(text: str, context: dict, helpers: Helpers) -> list[Block]:
    """The template rendered over ``context`` and the helpers, read into blocks."""
    env = environment()
    # also as a test and filters: ``keys | select("has")``, ``keys | map("name")``
    env.tests["has"] = helpers.has
    env.filters.update(name=helpers.name, value=helpers.value, rate=helpers.rate)
    try:
        template = env.from_string(text)
        rendered = template.render({**context, **helpers.functions()})
    except (TemplateError, ReportError, TypeError, ValueError, ArithmeticError, KeyError) as exc:
        line = _template_line(exc)
        where = f"模板第{line}行：" if line else "模板："
        raise ReportError(where + _message(exc)) from exc
    return parse(rendered, helpers)


def _runs(text: str, figures: list) -> list[Run]:
    runs, position = [], 0
    for found in FIGURE_MARK.finditer(text):
        if found.start() > position:
            runs.append(Run(text[position : found.start()]))
        index = int(found.group(1))
        runs.append(Run(figures[index]["text"], index))
        position = found.end()
    if position < len(text):
        runs.append(Run(text[position:]))
    return runs


def parse(rendered: str, helpers: Helpers) -> list[Block]:
    blocks: list[Block] = []
    counters = [0, 0, 0, 0, 0]
    for raw in rendered.splitlines():
        line = raw.strip()
        if not line:
            continue
        found = BLOCK_MARK.match(line)
        if found:
            block = helpers.blocks[int(found.group(1))]
            if block.table:
                block.table["rows"] = [
                    [_runs(cell, helpers.figures) for cell in row] for row in block.table["rows"]
                ]
            blocks.append(block)
            continue
        stray = ANY_MARK.search(FIGURE_MARK.sub("", line))
        if stray:
            raise ReportError("模板：表格、图表和分页须单独成行")
        hashes = len(line) - len(line.lstrip("#"))
        if hashes and line[hashes : hashes + 1] == " ":
            text = line[hashes + 1 :].strip()
            if hashes == 1:
                blocks.append(Block("title", _runs(text, helpers.figures), align="center"))
                continue
            level = min(hashes - 1, 4)
            counters[level] += 1
            for deeper in range(level + 1, 5):
                counters[deeper] = 0
            blocks.append(
                Block("heading", _runs(text, helpers.figures), level, heading_number(level, counters[level]))
            )
            continue
        align = "left"
        if line.startswith("^ "):
            align, line = "center", line[2:].strip()
        elif line.startswith("> "):
            align, line = "right", line[2:].strip()
        blocks.append(Block("paragraph", _runs(line, helpers.figures), align=align))
    return blocks
