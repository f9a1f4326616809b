"""The numeric statements (claims) of a report draft, for the draft check (材料校核).

``extract(text, *, period=None)`` returns one dict per statement understood, in reading order:

``subject``
    What a reader calls the indicator: the noun phrase before the number, without the time
    (“1—10月”、“全年”、“2026年”), the verbs of doing (实现、完成、达到、引进、签约、累计 …),
    the words of a plan (力争、确保、预计、目标 …) and the growth and comparator words
    (同比增长、不少于 …). “新增”/“净增” are kept: 新增企业 is an indicator, 企业 another; a
    verb is dropped only when three characters or more remain (签约项目 stays 签约项目).
    A 片区 named in it stays in it (“东区工业总产值”). In “新增15家规上工业企业” (number first)
    the subject is what the number counts, with the 新增 before it: 新增规上工业企业.
``figure_key``
    The catalogue key when the subject, or the words before it with their verb (“引进亿元以上
    项目”), or the subject without its 片区, or with 规上 read as 规模以上, is a figure's key,
    name or synonym (``targets.matching``, as the target import matches 指标); else null.
``kind``
    ``growth`` for a rate of growth (“增长9%”、“同比下降3.5%”、“增速10.1%”); ``level`` for an
    amount or a share (“12.3亿元”、“78个”、“研发投入强度2.5%”) and for a change in percentage
    points (“提高1.2个百分点”, unit 个百分点, signed as growth is; in “高于全市2.1个百分点” the
    subject is the one stated before). Never compared with the records.
``value``, ``unit``
    The number as printed (full-width digits read, thousands separators dropped) and its unit;
    a growth claim's value is the growth itself, unit “%”. A range (“增长8%—9%”、“5-10家”)
    claims its lower end with comparator ``ge``.
``growth``
    The growth in percent as printed (10.1), negative for 下降/减少/回落/降低; for a level, the
    growth stated right after it (“12.3亿元、增长10.1%”, “12.3亿元，同比增长10.1%”); else null.
``comparator``
    ``ge`` for 以上/不少于/不低于/超过/余/多, ``approx`` for 左右/约/近, ``le`` for 以内/以下/不超过,
    else ``eq``.
``period``
    ``--period`` when given (“2026-10”); else the period the paragraph names before the claim
    (“2026年1—10月” → 2026-10, “前三季度” → -09, “上半年” → -06, “一季度” → -03, “2026年”/“全年” →
    -12), its year from the same words or the last year named earlier in the draft; null when
    the paragraph names none or no year is known.
``paragraph``, ``text``
    The 1-based paragraph (as ``draftcheck.paragraphs`` numbers them) and the words of the
    statement, from its subject to its number (and the growth attached to it).

Not claims: numbers of time (月、年、日), ordinals (第3名), a figure that qualifies a noun
(“10亿元以上项目”), an absolute change (“增加1.2亿元”: neither the level nor a rate), and the
last year's level that a growth is measured from (“去年同期10亿元”, “由10亿元增长到…”), which is
kept only to check the growth against (``base``).
"""

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from .draftcheck import paragraphs

FULL_WIDTH = str.maketrans("０１２３４５６７８９．％", "0123456789.%")
UNIT_WORDS = (
    "个百分点 万平方米 平方公里 平方米 亿美元 万美元 美元 亿元 万元 元 公顷 亩 万吨 吨 家 个 件 项 宗 人次 万人 人 户 % 倍"
).split()
COUNT_UNITS = {"家", "个", "件", "项", "宗", "户", "人"}
POINTS = "个百分点"
NUMBER = re.compile(
    r"(?<![\d.A-Za-z*×Ｘｘ])(?:(?P<low>\d+(?:\.\d+)?)%?[-－—~～](?=\d))?(?P<number>\d+(?:,\d{3})*(?:\.\d+)?)(?P<more>余|多)?(?P<unit>"
    + "|".join(re.escape(u) for u in UNIT_WORDS)
    + r")(?P<after>以上|左右|以内|以下)?"
)
CLAUSE_BREAK = re.compile(r"[，、：:（）()；;]|,(?!\d{3})")
SENTENCE_BREAK = re.compile(r"[。！？!?；;]")
AFTER_WORDS = {"以上": "ge", "左右": "approx", "以内": "le", "以下": "le"}
BEFORE_WORDS = {
    "不少于": "ge",
    "不低于": "ge",
    "不超过": "le",
    "超过": "ge",
    "控制在": "eq",
    "约": "approx",
    "近": "approx",
}
BEFORE = re.compile(r"(不少于|不低于|不超过|超过|控制在|约|近)(?:达到|达|为)?$")
GROWTH_WORDS = re.compile(
    r"(?:同比|比上年|比去年|较上年|较去年|比去年同期|较去年同期|比上年同期|较上年同期)?"
    r"(?P<word>增长|增速为|增速|增幅为|增幅|上升|提高|增加|下降|减少|回落|降低|下滑)(?:了)?$"
)
COMPARED = ("高于", "低于", "快于", "慢于", "比", "较", "超出")
NEGATIVE = {"下降", "减少", "回落", "降低", "下滑"}
TO_WORDS = re.compile(r"(?:增长|增加|提高|上升|提升|下降|减少|降低|回落)?(?:到|至)$")
FROM_WORDS = re.compile(r"(?:由|从)$")
BASE_WORDS = re.compile(r"^(?:去年同期|上年同期|去年|上年|同期)(?:为|是|仅)?$")
# Stripped from the end of the words before a number, again and again.
TRAILING = re.compile(
    r"(?:(?:增长|增加|提高|上升|提升|下降|减少|降低|回落)(?:到|至)|不少于|不低于|不超过|超过|控制在|约|近|达到|达|为|是|实现|完成|突破|累计|共计|合计|总计|共|分别|了|的|"
    r"同比|比上年|较上年|均|都)$"
)
# Verbs before the indicator: the subject starts after the last one. Kept in the subject: 新增.
VERBS = re.compile(r"累计完成|累计实现|累计引进|实现|完成|达到|引进|签约|新签约|新引进|新增|净增")
KEPT_VERBS = {"新增", "净增"}
# Stripped from the start, again and again: time, scope and the words of a plan.
LEADING = re.compile(
    r"^(?:\d{4}年(?:1[—–\-~～至到]\d{1,2}月份?)?|1[—–\-~～至到]\d{1,2}月份?|前三季度|前两季度|上半年|第?一季度|"
    r"全年|今年以来|今年|年内|截至\d{1,2}月(?:底|末)?|其中|全区|全园区|园区|全县|全市|力争|确保|预计|预期|目标|"
    r"计划|争取|共|累计|同比|[，、\s])"
)
PERIOD = re.compile(
    r"(?:(?P<year>\d{4})年)?(?:1月?[—–\-~～至到](?P<month>\d{1,2})月|(?P<named>前三季度|前两季度|上半年|"
    r"第?一季度|全年)|截至(?P<until>\d{1,2})月(?:底|末))|(?P<only>\d{4})年(?![\d—–\-~～至到])"
)
NAMED_MONTHS = {"前三季度": 9, "前两季度": 6, "上半年": 6, "一季度": 3, "第一季度": 3, "全年": 12}
SUBJECT_MAX = 24
# Where what a number counts ends (“4家企业产值首次突破…” counts 企业).
COUNTED_STOPS = (
    "同比", "增长", "下降", "投资", "总投资", "产值", "首次", "顺利", "实现", "达到", "完成", "突破", "排名",
    "年度", "考核", "中", "的", "已", "均", "共", "在", "全部", "正在", "入规", "投产", "开工", "竣工", "落地",
)  # fmt: skip


@dataclass
class Claim:
    """A claim with where it stands: ``start``/``end`` of its number and unit in the
    paragraph, ``growth_start``/``growth_end`` of its growth, ``base`` the level it grew from."""

    subject: str
    kind: str
    value: Decimal
    unit: str
    paragraph: int
    start: int
    end: int
    text_start: int
    text_tail: int = 0  # the end of the words after the number that are its subject
    comparator: str = "eq"
    growth: Decimal | None = None
    growth_start: int | None = None
    growth_end: int | None = None
    base: Decimal | None = None
    base_unit: str = ""
    period: datetime.date | None = None
    figure_key: str | None = None
    zone: object = None
    # Another scope the sentence puts the claim in before its subject: ("chain", IndustryChain),
    # ("department", Department) or ("other", name) for an enterprise (never the park's figure)
    owner: tuple | None = None
    target: bool = False  # in a plan's sentence (目标/力争/确保 …): a target, not a record
    names: list = field(default_factory=list)  # the names tried against the catalogue

    @property
    def text_end(self) -> int:
        return max(self.end, self.growth_end or 0, self.text_tail)

    def as_dict(self, line: str) -> dict:
        return {
            "subject": self.subject,
            "figure_key": self.figure_key,
            "kind": self.kind,
            "value": number(self.value),
            "unit": self.unit,
            "growth": number(self.growth),
            "comparator": self.comparator,
            "period": f"{self.period:%Y-%m}" if self.period else None,
            "paragraph": self.paragraph,
            "text": line[self.text_start : self.text_end],
        }


def number(value: Decimal | None):
    """A printed number as JSON gives it: 78, 12.3."""
    if value is None:
        return None
    return int(value) if "." not in str(value) else float(value)


def decimals(value: Decimal) -> int:
    """How many decimals the draft printed."""
    return max(0, -value.as_tuple().exponent)


def extract(text: str, *, period=None) -> list[dict]:
    """The claims of ``text`` as dicts (see the module docstring); ``period`` a date or “2026-10”."""
    lines = paragraphs(text)
    return [c.as_dict(lines[c.paragraph - 1]) for c in find(lines, period=period)]


def find(lines: list[str], *, period=None, matcher=None, zones=None) -> list[Claim]:
    """The claims of the paragraphs ``lines``, their figures matched by ``matcher`` (a
    ``targets.matching.FigureMatcher``; one is made when None) and their 片区 among ``zones``
    (name → Zone, the zones named by one zone only; read when None)."""
    if isinstance(period, str) and period:
        from yuanqu.utilities.periods import parse_period

        period = parse_period(period)
    if period:
        period = period.replace(day=1)  # a month is its first day (utilities.periods)
    if matcher is None:
        from yuanqu.targets.matching import FigureMatcher

        matcher = FigureMatcher()
    if zones is None:
        zones = zone_names()
    owners = owner_names(zones)
    found = []
    year = None
    matched: dict = {}  # subject → (figure_key, zone, names): a draft repeats its subjects
    for number_, raw in enumerate(lines, 1):
        line = raw.translate(FULL_WIDTH)
        periods = list(_periods(line, year))
        if periods:
            year = periods[-1][2] or year
        for claim in _line_claims(number_, line):
            if period:
                claim.period = period
            else:
                claim.period = _period_at(periods, claim.text_start)
            if claim.subject not in matched:
                _match(claim, matcher, zones)
                matched[claim.subject] = (claim.figure_key, claim.zone, claim.names)
            claim.figure_key, claim.zone, claim.names = matched[claim.subject]
            if claim.zone is None:
                claim.owner = _owner(line[: claim.start], owners)
            claim.target = _is_plan(claim, line)
            found.append(claim)
    return found


ENTERPRISE_NAME = re.compile(r"[\u4e00-\u9fff（）()]{2,}(有限责任公司|有限公司|股份公司|集团|研究院|合作社)")
SENTENCE_END = re.compile(r"[。；;！？!?]")


def owner_names(zones: dict) -> list[tuple[str, tuple]]:
    """Names that put a claim in a scope of its own when the sentence names them before its
    subject: 产业链 and 部门 (longest first), and the 片区 (whose figures the catalogue has)."""
    from yuanqu.enterprises.models import IndustryChain
    from yuanqu.users.models import Department

    names = [(name, ("zone", zone)) for name, zone in zones.items()]
    names += [(chain.name, ("chain", chain)) for chain in IndustryChain.objects.all()]
    names += [(dept.name, ("department", dept)) for dept in Department.objects.all()]
    return sorted(names, key=lambda item: len(item[0]), reverse=True)


def _owner(head: str, owners: list) -> tuple | None:
    """The scope the words before a claim (within its sentence) put it in, if any."""
    clause = SENTENCE_END.split(head)[-1]
    company = ENTERPRISE_NAME.search(clause)
    if company:
        return ("other", company.group(0))
    for name, scope in owners:
        if name and name in clause:
            return scope
    return None


def zone_names() -> dict:
    """片区 by name, for the names only one zone has (the park itself is not a 片区)."""
    from yuanqu.users.choices import ZoneKind
    from yuanqu.users.models import Zone

    by_name: dict[str, list] = {}
    for zone in Zone.objects.exclude(kind=ZoneKind.PARK):
        by_name.setdefault(zone.name, []).append(zone)
    return {name: found[0] for name, found in by_name.items() if len(found) == 1}


def _periods(line: str, year: int | None):
    """(offset, period or None, year named) of each period the line names, in order."""
    for match in PERIOD.finditer(line):
        named_year = int(match["year"] or match["only"] or 0) or None
        known = named_year or year
        if match["only"]:
            month = 12
        elif match["month"]:
            month = int(match["month"])
        elif match["until"]:
            month = int(match["until"])
        else:
            month = NAMED_MONTHS[match["named"]]
        at = None
        if known and 1 <= month <= 12 and 1900 <= known <= 2999:
            at = datetime.date(known, month, 1)
        yield match.start(), at, named_year
        year = named_year or year


def _period_at(periods, offset):
    before = [at for start, at, _ in periods if start <= offset]
    return before[-1] if before else None


def _line_claims(paragraph: int, line: str) -> list[Claim]:
    claims = []
    for sentence_start, sentence in _pieces(line, SENTENCE_BREAK):
        claims += _sentence_claims(paragraph, line, sentence_start, sentence)
    return claims


def _pieces(text: str, pattern, offset=0):
    start = 0
    for match in pattern.finditer(text + "。" if pattern is SENTENCE_BREAK else text):
        if match.start() > start:
            yield offset + start, text[start : match.start()]
        start = match.end()
    if start < len(text):
        yield offset + start, text[start:]


def _sentence_claims(paragraph, line, sentence_start, sentence) -> list[Claim]:
    claims: list[Claim] = []
    last_subject = ""
    for clause_start, clause in _pieces(sentence, CLAUSE_BREAK, sentence_start):
        position = 0
        subject_here = ""
        previous = None  # the number before in this clause: (match, was it a 由/从 base)
        for match in NUMBER.finditer(clause):
            head_start = position
            head = clause[position : match.start()]
            if clause[: match.start()].endswith("第"):
                position = match.end()
                continue
            tail = clause[match.end() :]
            value = Decimal((match["low"] or match["number"]).replace(",", ""))
            unit = match["unit"]
            start, end = clause_start + match.start(), clause_start + match.end()
            if (
                match["after"] in ("以上", "以下")
                and tail[:1]
                and _is_cjk(tail[0])
                and not tail.startswith(("同比", "增长", "的目标"))
            ):
                continue  # “10亿元以上项目”: a figure qualifying a noun, part of the next head
            position = match.end()
            if previous is not None and previous[1] and TO_WORDS.search(head):
                # 由10亿元增长到12.3亿元: the claim is the second, grown from the first
                base = previous[0]
                claim = _level(paragraph, subject_here or last_subject, value, unit, match, start, end)
                claim.text_start = previous[2]
                claim.base, claim.base_unit = Decimal(base["number"].replace(",", "")), base["unit"]
                if subject_here or last_subject:
                    claims.append(claim)
                previous = (match, False, start)
                continue
            is_from = bool(FROM_WORDS.search(head))
            if is_from:
                subject_here = subject_here or _subject(clause[: match.start() - 1]) or last_subject
                previous = (match, True, clause_start + head_start + _text_start(head))
                continue
            if BASE_WORDS.match(_strip_leading(head.strip())) and claims and unit != "%":
                claims[-1].base, claims[-1].base_unit = value, unit  # 去年同期10亿元
                previous = (match, False, start)
                continue
            growth_word = GROWTH_WORDS.search(head)
            if growth_word and unit != "%" and unit != POINTS:
                previous = (match, False, start)
                continue  # 增加1.2亿元: an absolute change, not claimed
            sign = -1 if growth_word and growth_word["word"] in NEGATIVE else 1
            if unit == POINTS:
                value = sign * value
            own = _subject(head) if previous is None else ""
            if unit == POINTS and own.startswith(COMPARED):
                own = ""  # 高于全市2.1个百分点: the subject is the one before
            count_subject, counted_length = _counted(head, tail) if unit in COUNT_UNITS else ("", 0)
            subject = count_subject or own or subject_here or last_subject
            if unit == "%" and growth_word:
                growth = sign * value
                target = claims[-1] if claims else None
                if (
                    not own
                    and target is not None
                    and target.kind == "level"
                    and target.growth is None
                    and target.unit != "%"
                ):
                    target.growth, target.growth_start, target.growth_end = growth, start, end
                    previous = (match, False, start)
                    continue
                if not subject:
                    previous = (match, False, start)
                    continue
                claim = Claim(subject, "growth", growth, "%", paragraph, start, end, start, growth=growth)
            else:
                if not subject:
                    previous = (match, False, start)
                    continue
                claim = _level(paragraph, subject, value, unit, match, start, end)
            claim.comparator = _comparator(match, head)
            if own or count_subject:
                claim.text_start = clause_start + head_start + _text_start(head)
            elif growth_word:
                claim.text_start = clause_start + head_start + growth_word.start()
            else:
                claim.text_start = start
            if count_subject:
                claim.text_tail = end + counted_length
            claims.append(claim)
            subject_here = subject_here or own
            previous = (match, False, start)
        last_subject = subject_here or last_subject
    return claims


def _level(paragraph, subject, value, unit, match, start, end) -> Claim:
    return Claim(
        subject, "level", value, unit, paragraph, start, end, start, comparator=_comparator(match, "")
    )


def _comparator(match, head) -> str:
    if match["after"]:
        return AFTER_WORDS[match["after"]]
    if match["more"] or match["low"]:
        return "ge"
    found = BEFORE.search(head.rstrip())
    return BEFORE_WORDS[found[1]] if found else "eq"


def _is_cjk(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff"


def _strip_leading(text: str) -> str:
    while True:
        stripped = LEADING.sub("", text, count=1)
        if stripped == text:
            return text
        text = stripped


def _strip_trailing(text: str) -> str:
    text = text.strip()
    while True:
        stripped = GROWTH_WORDS.sub("", text).strip()
        stripped = TRAILING.sub("", stripped).strip()
        if stripped == text:
            return text
        text = stripped


def _subject(head: str) -> str:
    """The indicator in the words before a number (see the module docstring)."""
    core = _strip_leading(_strip_trailing(head.strip()))
    verbs = list(VERBS.finditer(core))
    if verbs:
        last = verbs[-1]
        rest = core[last.end() :]
        if len(rest) >= 3 or (rest and last.group() in KEPT_VERBS):
            core = (last.group() if last.group() in KEPT_VERBS else "") + rest
    core = _strip_leading(core)
    return core[-SUBJECT_MAX:]


def _counted(head: str, tail: str) -> tuple[str, int]:
    """In “新增15家规上工业企业”, what the number counts (新增规上工业企业) and how many
    characters of ``tail`` say it; ("", 0) when the number ends its phrase (“企业15家”)."""
    noun = re.match(r"[\u4e00-\u9fffA-Za-z&]+", tail)
    if not noun or tail.startswith(("以上", "左右", "以内", "以下", "同比", "增长", "下降", "的")):
        return "", 0
    words = noun.group()
    for stop in COUNTED_STOPS:
        at = words.find(stop, 2)
        if at > 0:
            words = words[:at]
    words = words[:SUBJECT_MAX]
    verb = re.search(r"(新增|净增)$", _strip_trailing(head))
    return (verb.group() if verb else "") + words, len(words)


def _text_start(head: str) -> int:
    """Where the statement starts in the words before its number: after the time and the
    plan's words."""
    return len(head) - len(_strip_leading(head))


def _match(claim: Claim, matcher, zones: dict) -> None:
    names = [claim.subject]
    zone = None
    for name in sorted(zones, key=len, reverse=True):
        if name and name in claim.subject:
            zone = zones[name]
            names.append(claim.subject.replace(name, "", 1).strip())
            break
    more = []
    for name in names:
        if "规上" in name:
            more.append(name.replace("规上", "规模以上"))
        for verb in ("引进", "签约", "新引进"):
            more.append(verb + name)
    names += more
    claim.zone = zone
    claim.names = names
    for name in names:
        if name:
            found = matcher.match(name)
            if found.key:
                claim.figure_key = found.key
                return


# --- judging the claims ---------------------------------------------------------------------

MISMATCH = "mismatch"
INCONSISTENT = "inconsistent"
UNIT_FACTORS = None  # name → (dimension, factor), from figures.units.UNITS (no database)


def _factor(unit: str):
    global UNIT_FACTORS
    if UNIT_FACTORS is None:
        from yuanqu.figures.units import UNITS

        UNIT_FACTORS = {name: (dimension, Decimal(factor)) for name, dimension, factor in UNITS}
    return UNIT_FACTORS.get(unit, (unit, Decimal(1)))


def half_step(value: Decimal) -> Decimal:
    """Half the last printed digit: 12.3 stands for anything in [12.25, 12.35]."""
    return Decimal(5) * Decimal(10) ** -(decimals(value) + 1)


def rounded(value, places: int) -> Decimal:
    from decimal import ROUND_HALF_UP

    return Decimal(value).quantize(Decimal(10) ** -places, rounding=ROUND_HALF_UP)


def printed(value: Decimal) -> str:
    return f"{value:f}"


def ytd_label(period: datetime.date) -> str:
    return "1月" if period.month == 1 else f"1—{period.month}月"


def mismatches(claims: list[Claim], lines: list[str], user=None, catalogue=None) -> list[dict]:
    """Claims whose figure the records hold with another value for the claim's period and
    scope (the park, or the 片区 the subject names): the record converted to the claim's unit
    and rounded to the decimals the claim printed. ``ge``/``le`` claims hold when the record is
    on their side; ``approx`` claims, a plan's targets (目标/力争/确保 … in the sentence) and
    claims of a month not yet over are not checked."""
    from yuanqu.figures.catalogue import Query, evaluate, figures

    from .draftcheck import finding

    catalogue = figures() if catalogue is None else catalogue
    convert = _converter()
    this_month = timezone.localdate().replace(day=1)
    memos: dict = {}
    results: dict = {}
    found = []
    for claim in claims:
        figure = catalogue.get(claim.figure_key or "")
        if figure is None or claim.period is None or claim.unit == POINTS or claim.target:
            continue
        if claim.period >= this_month:
            continue  # the month is not over: its records are not complete
        if claim.zone is not None:
            scope, target = "zone", claim.zone
        elif claim.owner is not None:
            scope, target = claim.owner
            if scope == "other":
                continue  # an enterprise's own figure: not in the catalogue
        else:
            scope, target = "park", None
        key = (figure.key, claim.period, scope, getattr(target, "pk", None))
        if key not in results:
            memo = memos.setdefault((claim.period, scope, key[3]), {})
            query = Query(claim.period, scope, target, user, memo=memo)
            results[key] = (evaluate(figure, query), query)
        result, query = results[key]
        line = lines[claim.paragraph - 1]
        where = f"（{ytd_label(claim.period)}累计·{query.scope_label()}）"
        link = f"，见 {result.link}" if result.link else ""
        if claim.kind == "level" and result.value is not None and claim.comparator != "approx":
            record = convert(result.value, figure.unit, claim.unit, claim.period.year)
            if record is not None:
                shown = rounded(record, decimals(claim.value))
                if _differs(shown, claim.value, claim.comparator):
                    message = f"记录为{printed(shown)}{claim.unit}{where}{link}"
                    found.append(finding(MISMATCH, claim.paragraph, claim.start, claim.end, line, message))
        if claim.growth is not None and result.growth is not None and claim.comparator != "approx":
            comparator = claim.comparator if claim.kind == "growth" else "eq"
            shown = rounded(Decimal(result.growth) * 100, decimals(claim.growth))
            if _differs(shown, claim.growth, comparator):
                start = claim.start if claim.kind == "growth" else claim.growth_start
                end = claim.end if claim.kind == "growth" else claim.growth_end
                words = "增长" if shown >= 0 else "下降"
                message = f"记录为{words}{printed(abs(shown))}%{where}{link}"
                found.append(finding(MISMATCH, claim.paragraph, start, end, line, message))
    return found


def _converter():
    """``convert(value, source, target, year)``: as ``figures.units.convert`` with the units
    read once (a check converts hundreds of values), None where it cannot convert."""
    from yuanqu.figures.models import Unit
    from yuanqu.figures.units import UnitError
    from yuanqu.figures.units import convert as convert_units

    units = {u.name: (u.dimension, u.factor) for u in Unit.objects.all()}

    def convert(value, source, target, year):
        if source == target:
            return Decimal(str(value))
        if source not in units or target not in units:
            return None
        (dimension, factor), (target_dimension, target_factor) = units[source], units[target]
        if dimension == target_dimension:
            return Decimal(str(value)) * factor / target_factor
        try:
            return convert_units(value, source, target, year)  # 人民币 ↔ 美元: the year's rate
        except UnitError:
            return None

    return convert


def _differs(record: Decimal, claimed: Decimal, comparator: str) -> bool:
    if comparator == "ge":
        return record < claimed
    if comparator == "le":
        return record > claimed
    return record != claimed


def inconsistencies(claims: list[Claim], lines: list[str]) -> list[dict]:
    """Two different values for the same subject, kind and period in one draft (a claim
    without a period only against the claims of its own paragraph), beyond the rounding of
    what each printed; and a growth that the two levels quoted with it do not give."""
    from .draftcheck import finding

    found = []
    first: dict = {}
    for claim in claims:
        line = lines[claim.paragraph - 1]
        for kind, value, unit, start, end in _values(claim) if _comparable(claim) else ():
            dimension, factor = _factor(unit)
            scope = claim.period or ("paragraph", claim.paragraph)
            about = _scope_key(claim)
            key = (claim.subject, kind, scope, dimension, claim.comparator, claim.target, about)
            if key not in first:
                first[key] = (claim, value, unit, factor)
                continue
            other, other_value, other_unit, other_factor = first[key]
            if _disagree(value, unit, factor, other_value, other_unit, other_factor):
                what = "增速" if kind == "growth" else "数值"
                message = (
                    f"与第{other.paragraph}段“{claim.subject}”的{what}不一致："
                    f"{printed(other_value)}{other_unit}／{printed(value)}{unit}"
                )
                found.append(finding(INCONSISTENT, claim.paragraph, start, end, line, message))
        if claim.base is not None and claim.growth is not None and claim.kind == "level":
            message = _growth_disagrees(claim)
            if message:
                found.append(
                    finding(
                        INCONSISTENT, claim.paragraph, claim.growth_start, claim.growth_end, line, message
                    )
                )
    return found


def _scope_key(claim: Claim):
    if claim.zone is not None:
        return ("zone", claim.zone.pk)
    if claim.owner is not None:
        kind, target = claim.owner
        return (kind, getattr(target, "pk", target))
    return None


def _disagree(value, unit, factor, other_value, other_unit, other_factor) -> bool:
    """Whether two printed values cannot be the same number: printed alike (unit and
    decimals), they must be equal; else their rounding intervals must meet. A count is exact."""
    if unit == other_unit and decimals(value) == decimals(other_value):
        return value != other_value
    step = 0 if unit in COUNT_UNITS else half_step(value)
    other_step = 0 if other_unit in COUNT_UNITS else half_step(other_value)
    low, high = (value - step) * factor, (value + step) * factor
    other_low, other_high = (
        (other_value - other_step) * other_factor,
        (other_value + other_step) * other_factor,
    )
    if step == 0 or other_step == 0:
        return high < other_low or low > other_high
    return high <= other_low or low >= other_high  # rounding half up: [v − h, v + h)


def _comparable(claim: Claim) -> bool:
    """Whether the claim's subject names one thing another claim may state again: a figure of
    the catalogue, or a plain name (no masked characters, not a share “占…”, not what a number
    counts in “4家企业…”, where drafts list parts)."""
    if claim.unit == POINTS:
        return False  # “拉低全区增速1.1个百分点”: each is a contribution of its own
    if claim.figure_key:
        return True
    return (
        len(claim.subject) >= 3
        and not any(char in claim.subject for char in "*×Xx")
        and not claim.subject.startswith("占")
        and not claim.text_tail
    )


def _values(claim: Claim):
    """(kind, value, unit, start, end) of what the claim states: its level and its growth."""
    if claim.kind == "level":
        yield "level", claim.value, claim.unit, claim.start, claim.end
        if claim.growth is not None:
            yield "growth", claim.growth, "%", claim.growth_start, claim.growth_end
    else:
        yield "growth", claim.value, "%", claim.start, claim.end


def _growth_disagrees(claim: Claim) -> str:
    dimension, factor = _factor(claim.unit)
    base_dimension, base_factor = _factor(claim.base_unit)
    if dimension != base_dimension:
        return ""
    value, base = claim.value, claim.base
    # “由10亿元增长到12.3亿元”: 10 is read to the decimals of 12.3 (writers drop a trailing 0)
    level_step = half_step(value if decimals(value) >= decimals(base) else base)
    low_base, high_base = (base - level_step) * base_factor, (base + level_step) * base_factor
    low_value, high_value = (value - level_step) * factor, (value + level_step) * factor
    if low_base <= 0:
        return ""
    lowest = (low_value / high_base - 1) * 100
    highest = (high_value / low_base - 1) * 100
    growth, step = claim.growth, half_step(claim.growth)
    if growth + step < lowest or growth - step > highest:
        implied = rounded((value * factor / (base * base_factor) - 1) * 100, max(1, decimals(growth)))
        return (
            f"增速与所列数值不符：由{printed(base)}{claim.base_unit}到{printed(value)}{claim.unit}"
            f"应为{'增长' if implied >= 0 else '下降'}{printed(abs(implied))}%，文中为{printed(growth)}%"
        )
    return ""


# --- the targets of a plan ------------------------------------------------------------------

PLAN_WORDS = ("目标", "力争", "预期", "确保", "计划", "争取")


def is_target(claim: dict, line: str) -> bool:
    """A plan's sentence: a comparator, or 目标/力争/预期/确保/计划/争取 in its sentence before
    the number."""
    if claim["comparator"] != "eq":
        return True
    at = line.find(claim["text"])
    before = line[: at if at >= 0 else len(line)]
    sentence = SENTENCE_BREAK.split(before)[-1]
    return any(word in sentence + claim["text"] for word in PLAN_WORDS)


def _is_plan(claim: Claim, line: str) -> bool:
    sentence = SENTENCE_BREAK.split(line[: claim.start])[-1]
    return any(word in sentence for word in PLAN_WORDS)


def target_rows(claims: list[dict], text: str, *, year: int | None = None) -> list[list]:
    """The claims that are targets as rows of ``yuanqu import targets`` (its columns, in its
    order): 年度 (``year``, else the claim's period's year, else blank for ``--year``), 指标
    (the subject, without the 片区 it names, which goes to 片区), 类型, 目标值, 单位, 口径,
    责任单位 (blank), 数据项 (the figure matched). A claim in a unit the system does not have
    (个百分点、倍、人次) is left out, and so is a second target of the same year, 指标 and 片区."""
    from yuanqu.figures.models import Unit
    from yuanqu.targets.importers import COMPARATOR_WRITTEN

    units = set(Unit.objects.values_list("name", flat=True))
    zones = zone_names()
    lines = paragraphs(text)
    rows, seen = [], set()
    for claim in claims:
        line = lines[claim["paragraph"] - 1].translate(FULL_WIDTH)
        if claim["unit"] not in units or not is_target(claim, line):
            continue
        row_year = year or (int(claim["period"][:4]) if claim["period"] else None)
        name, zone = claim["subject"], ""
        for zone_name in sorted(zones, key=len, reverse=True):
            if zone_name in name and name != zone_name:
                name, zone = name.replace(zone_name, "", 1).strip(), zone_name
                break
        key = (row_year, name, zone)
        if key in seen:
            continue
        seen.add(key)
        growth = claim["kind"] == "growth"
        rows.append(
            [
                row_year,
                name,
                "增速" if growth else "总量",
                claim["value"],
                "%" if growth else claim["unit"],
                COMPARATOR_WRITTEN[claim["comparator"]],
                None,
                claim["figure_key"],
                zone or None,
                None,
            ]
        )
    return rows


def write_targets_xlsx(path, rows: list[list]) -> None:
    """The rows under the header of the target import, as an .xlsx file at ``path``."""
    import openpyxl

    from yuanqu.targets.importers import COLUMNS

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "目标责任书"
    sheet.append([column.header for column in COLUMNS])
    for row in rows:
        sheet.append(row)
    workbook.save(path)
