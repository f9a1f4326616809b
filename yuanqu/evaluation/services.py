"""亩均效益综合评价 (REFERENCE §6) as plain functions.

score = Σ_k min(x_k / benchmark_k × weight_k, cap_k); the class follows the rank (A = the
first cut_a % of the ranked enterprises …) or the score (A ≥ cut_a points …), as the year's
scheme says. A value that cannot be computed (no land area, no data, a zero denominator) is
None with the reason; the scheme's rule for that indicator decides whether the enterprise is
left unscored (and shown with the reason), gets the indicator's average points, or 0 points
with a note. Nothing becomes a silent 0. Values stay ``Decimal``; round only for display.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .choices import AppealStatus, Change, ClassBasis, Grade, IndicatorCode, WhenMissing

HUNDRED = Decimal(100)
GRADES = [Grade.A, Grade.B, Grade.C, Grade.D]

# Annual inputs: key → (label, unit, economy indicator code that supplies it or None).
INPUTS = {
    "land_area_mu": ("用地面积", "亩", None),
    "tax_wan": ("评价税收", "万元", "tax_all_levels"),
    "revenue_wan": ("主营业务收入", "万元", "revenue"),
    "value_added_wan": ("工业增加值", "万元", None),
    "energy_tce": ("综合能耗", "吨标煤", None),
    "emissions_t": ("主要污染物排放量", "吨", None),
    "employees": ("年平均职工人数", "人", "employees"),
    "rd_wan": ("R&D经费支出", "万元", "rd_expenditure"),
    "electricity_wan_kwh": ("用电量", "万千瓦时", "electricity"),
}

# Indicator → (numerator, denominator, unit). 评价税收 万元 / 用电量 万千瓦时 = 元/千瓦时.
FORMULAS = {
    IndicatorCode.TAX_PER_MU: ("tax_wan", "land_area_mu", "万元/亩"),
    IndicatorCode.VA_PER_MU: ("value_added_wan", "land_area_mu", "万元/亩"),
    IndicatorCode.REVENUE_PER_MU: ("revenue_wan", "land_area_mu", "万元/亩"),
    IndicatorCode.VA_PER_ENERGY: ("value_added_wan", "energy_tce", "万元/吨标煤"),
    IndicatorCode.VA_PER_EMISSION: ("value_added_wan", "emissions_t", "万元/吨"),
    IndicatorCode.LABOUR_PRODUCTIVITY: ("value_added_wan", "employees", "万元/人"),
    IndicatorCode.RD_INTENSITY: ("rd_wan", "revenue_wan", "比值"),
    IndicatorCode.TAX_PER_KWH: ("tax_wan", "electricity_wan_kwh", "元/千瓦时"),
}

# 黄岩区 2022 规上 weights and benchmarks for 2022 data (REFERENCE §6.3, source [S28]); the
# default of a new scheme. (code, weight, benchmark, when data are missing)
HUANGYAN_2022 = [
    (IndicatorCode.TAX_PER_MU, 30, "24.097", WhenMissing.NOT_SCORED),
    (IndicatorCode.VA_PER_MU, 20, "136.16", WhenMissing.NOT_SCORED),
    (IndicatorCode.VA_PER_ENERGY, 20, "2.694", WhenMissing.NOT_SCORED),
    (IndicatorCode.VA_PER_EMISSION, 10, "4929.81", WhenMissing.AVERAGE),  # no emission data: average
    (IndicatorCode.LABOUR_PRODUCTIVITY, 10, "18.14", WhenMissing.NOT_SCORED),
    (IndicatorCode.RD_INTENSITY, 10, "0.0302", WhenMissing.NOT_SCORED),
]


@dataclass
class Rule:
    """One indicator of a scheme (a SchemeIndicator does as well)."""

    code: str
    weight: Decimal
    benchmark: Decimal
    max_points: Decimal | None = None
    when_missing: str = WhenMissing.NOT_SCORED


@dataclass
class Figure:
    value: Decimal | None
    note: str = ""


@dataclass
class Scored:
    """One enterprise's evaluation: per indicator (value, points, note), the total or why not."""

    indicators: dict = field(default_factory=dict)
    score: Decimal | None = None
    notes: list = field(default_factory=list)


def label(code) -> str:
    return str(IndicatorCode(code).label)


def input_label(key) -> str:
    return INPUTS[key][0]


# --- the computation --------------------------------------------------------------------


def indicator_value(code, inputs: dict) -> Figure:
    """One indicator from the annual inputs; None with the reason when it does not exist."""
    numerator, denominator, _unit = FORMULAS[IndicatorCode(code)]
    top, bottom = inputs.get(numerator), inputs.get(denominator)
    missing = [input_label(k) for k, v in ((numerator, top), (denominator, bottom)) if v is None]
    if missing:
        return Figure(None, f"缺少{'、'.join(missing)}，无法计算{label(code)}")
    if bottom <= 0:
        return Figure(None, f"{input_label(denominator)}为{bottom}，无法计算{label(code)}")
    return Figure(Decimal(top) / Decimal(bottom))


def indicator_points(value: Decimal, rule) -> Decimal:
    """value / benchmark × weight, not above the rule's cap."""
    points = Decimal(value) / Decimal(rule.benchmark) * Decimal(rule.weight)
    if rule.max_points is not None:
        points = min(points, Decimal(rule.max_points))
    return points


def score_enterprise(rules, inputs: dict) -> Scored:
    """Values and points of one enterprise; indicators left for the scheme-wide average are
    marked ``average`` and filled by ``score_all``."""
    result = Scored()
    if inputs.get("land_area_mu") is None:
        result.notes.append("用地面积未登记，不参加评价")
    for rule in rules:
        figure = indicator_value(rule.code, inputs)
        entry = {"value": figure.value, "points": None, "note": figure.note}
        if figure.value is not None:
            entry["points"] = indicator_points(figure.value, rule)
        elif rule.when_missing == WhenMissing.ZERO:
            entry["points"] = Decimal(0)
            entry["note"] += "，按方案记0分"
        elif rule.when_missing == WhenMissing.AVERAGE:
            entry["average"] = True
        elif inputs.get("land_area_mu") is not None or rule.code not in PER_MU:
            result.notes.append(figure.note)
        result.indicators[rule.code] = entry
    if not result.notes and not any(e.get("average") for e in result.indicators.values()):
        result.score = sum((e["points"] for e in result.indicators.values()), Decimal(0))
    return result


PER_MU = {IndicatorCode.TAX_PER_MU, IndicatorCode.VA_PER_MU, IndicatorCode.REVENUE_PER_MU}


def score_all(rules, inputs_by_key: dict) -> dict:
    """Every enterprise's ``Scored``; a missing value under the “average” rule gets the mean
    points of that indicator over the enterprises scored with a value for it."""
    scored = {key: score_enterprise(rules, inputs) for key, inputs in inputs_by_key.items()}
    eligible = [s for s in scored.values() if not s.notes]
    for rule in rules:
        if rule.when_missing != WhenMissing.AVERAGE:
            continue
        present = [
            s.indicators[rule.code]["points"]
            for s in eligible
            if s.indicators[rule.code]["points"] is not None
        ]
        average = sum(present, Decimal(0)) / len(present) if present else Decimal(0)
        for s in eligible:
            entry = s.indicators[rule.code]
            if entry.pop("average", False):
                entry["points"] = average
                entry["note"] += (
                    f"，按参评企业该指标平均得分{average:.2f}计" if present else "，无企业有该数据，记0分"
                )
    for s in eligible:
        s.score = sum((e["points"] for e in s.indicators.values()), Decimal(0))
    return scored


def _count(n: int, percent: Decimal) -> int:
    return int((Decimal(n) * Decimal(percent) / HUNDRED).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def classify(scores: dict, basis: str, cut_a, cut_b, cut_c) -> dict:
    """key → (rank, class). Equal scores share the rank and the class of the first of them.
    By rank: A takes the first round(n × cut_a %) places, B up to round(n × cut_b %), C up to
    round(n × cut_c %), D the rest. By score: A ≥ cut_a points, B ≥ cut_b, C ≥ cut_c, else D."""
    ordered = sorted(scores.items(), key=lambda item: (-item[1], str(item[0])))
    n = len(ordered)
    result = {}
    position = 0
    previous = None
    for index, (key, score) in enumerate(ordered, start=1):
        if score != previous:
            position, previous = index, score
        if basis == ClassBasis.RANK:
            limits = [_count(n, cut_a), _count(n, cut_b), _count(n, cut_c)]
            grade = next((g for g, limit in zip(GRADES, limits, strict=False) if position <= limit), Grade.D)
        else:
            grade = next(
                (g for g, cut in zip(GRADES, (cut_a, cut_b, cut_c), strict=False) if score >= Decimal(cut)),
                Grade.D,
            )
        result[key] = (position, grade)
    return result


def compare(previous: str, current: str) -> str:
    """How the class moved from last year (A is best)."""
    if not current:
        return ""
    if not previous:
        return Change.NEW
    before, now = GRADES.index(previous), GRADES.index(current)
    return Change.UP if now < before else Change.DOWN if now > before else Change.SAME


def distribution(grades) -> dict:
    """Count per class, A to D, plus the enterprises without one."""
    counts = Counter(grades)
    result = {str(g): counts.get(g, 0) for g in GRADES}
    result["未评"] = counts.get("", 0)
    return result


# --- configuration -----------------------------------------------------------------------


def configuration_errors(rules, basis, cut_a, cut_b, cut_c) -> dict:
    """Chinese messages keyed by the field at fault ("indicators" for the indicator table)."""
    errors = {}
    codes = [r.code for r in rules]
    if not rules:
        errors["indicators"] = "至少设置一项评价指标"
    duplicates = sorted({c for c in codes if codes.count(c) > 1})
    if duplicates:
        errors["indicators"] = f"指标“{'、'.join(label(c) for c in duplicates)}”重复"
    total = sum((Decimal(r.weight) for r in rules), Decimal(0))
    if rules and total != HUNDRED:
        errors["indicators"] = f"各指标权重合计须为100，现为{total.normalize():f}"
    bad = [label(r.code) for r in rules if r.benchmark is None or Decimal(r.benchmark) <= 0]
    if bad:
        errors["indicators"] = f"基准值须大于0：{'、'.join(bad)}"
    if None in (cut_a, cut_b, cut_c):
        return errors
    if basis == ClassBasis.RANK:
        if cut_a <= 0:
            errors["cut_a"] = "A类档线须大于0"
        elif cut_b <= cut_a:
            errors["cut_b"] = "B类档线须大于A类档线：按排名比例时档线是累计百分比，不能重叠"
        elif cut_c <= cut_b:
            errors["cut_c"] = "C类档线须大于B类档线：按排名比例时档线是累计百分比，不能重叠"
        elif cut_c > HUNDRED:
            errors["cut_c"] = "累计百分比不能超过100"
    else:
        if cut_b >= cut_a:
            errors["cut_b"] = "B类最低分须低于A类最低分，档线不能重叠"
        elif cut_c >= cut_b:
            errors["cut_c"] = "C类最低分须低于B类最低分，档线不能重叠"
        elif cut_c < 0:
            errors["cut_c"] = "C类最低分不能为负数"
    return errors


def default_rules() -> list[Rule]:
    return [Rule(code, Decimal(w), Decimal(b), None, m) for code, w, b, m in HUANGYAN_2022]


# --- the data ---------------------------------------------------------------------------


def covered(scheme) -> dict:
    """The enterprises the scheme covers: id → why (规上 category, or land above the threshold)."""
    from yuanqu.enterprises.choices import EnterpriseStatus, ScaleKind
    from yuanqu.enterprises.models import Enterprise, ScaleRecord

    labels = dict(ScaleKind.choices)
    reasons = {}
    records = ScaleRecord.objects.filter(year=scheme.year, kind__in=scheme.populations or [])
    for enterprise_id, kind in records.values_list("enterprise_id", "kind"):
        reasons.setdefault(enterprise_id, f"{scheme.year}年{labels[kind]}")
    if scheme.land_threshold_mu is not None:
        others = (
            Enterprise.objects.filter(land_area_mu__gte=scheme.land_threshold_mu)
            .exclude(status__in=[EnterpriseStatus.CANCELLED, EnterpriseStatus.MOVED_OUT])
            .exclude(pk__in=reasons)
        )
        for enterprise_id in others.values_list("pk", flat=True):
            reasons[enterprise_id] = f"用地面积达到{scheme.land_threshold_mu}亩"
    return reasons


def annual_inputs(enterprises, year: int, values=None) -> dict:
    """id → {input key: (value, source)} for the year: the evaluation data entered for the
    enterprise first, else the monthly reports' full-year figure (12月 1–12月累计; 人数 the
    mean of the month-end counts), else (None, why)."""
    from yuanqu.economy.choices import IndicatorKind
    from yuanqu.economy.models import EnterpriseMonthlyValue

    from .models import EvaluationInput

    ids = [e.pk for e in enterprises]
    values = EnterpriseMonthlyValue.objects.all() if values is None else values
    codes = {code: key for key, (_l, _u, code) in INPUTS.items() if code}
    rows = values.filter(enterprise_id__in=ids, period__year=year, is_current=True, indicator__code__in=codes)
    monthly = {}
    for enterprise_id, code, kind, month, ytd in rows.values_list(
        "enterprise_id", "indicator__code", "indicator__kind", "period__month", "ytd_value"
    ):
        monthly.setdefault((enterprise_id, codes[code]), (kind, {}))[1][month] = ytd
    entered = {i.enterprise_id: i for i in EvaluationInput.objects.filter(enterprise_id__in=ids, year=year)}
    result = {}
    for enterprise in enterprises:
        own = entered.get(enterprise.pk)
        data = {
            "land_area_mu": (enterprise.land_area_mu, "企业库用地面积")
            if enterprise.land_area_mu is not None
            else (None, "企业库未登记用地面积")
        }
        for key in INPUTS:
            if key == "land_area_mu":
                continue
            if own is not None and getattr(own, key) is not None:
                data[key] = (getattr(own, key), f"评价基础数据（{own.source or '录入'}）")
                continue
            kind, months = monthly.get((enterprise.pk, key), (None, {}))
            months = {m: v for m, v in months.items() if v is not None}
            if not INPUTS[key][2]:
                data[key] = (None, "未录入评价基础数据")
            elif not months:
                data[key] = (None, f"{year}年无月报数据")
            elif kind == IndicatorKind.STOCK:
                mean = sum(months.values(), Decimal(0)) / len(months)
                data[key] = (mean, f"经济运行月报，{len(months)}个月月末数平均")
            elif 12 in months:
                data[key] = (months[12], "经济运行月报，1–12月累计")
            else:
                data[key] = (None, f"月报缺少{year}年12月累计数，全年数据不全")
        result[enterprise.pk] = data
    return result


# --- the run -----------------------------------------------------------------------------


def _plain(value):
    if isinstance(value, Decimal):
        return f"{value.quantize(Decimal('0.000001')).normalize():f}"
    return value


def evaluate(scheme, values=None) -> dict:
    """Score the scheme's year again, inside one transaction; results are saved only where
    they changed (each save goes to the change log). ``values`` are the monthly reports the
    acting user may read. Returns the counts."""
    from yuanqu.enterprises.models import Enterprise

    from .models import EvaluationResult

    rules = list(scheme.indicators.all())
    errors = configuration_errors(rules, scheme.class_basis, scheme.cut_a, scheme.cut_b, scheme.cut_c)
    if errors:
        raise ValidationError("；".join(errors.values()))
    reasons = covered(scheme)
    enterprises = list(Enterprise.objects.filter(pk__in=reasons))
    data = annual_inputs(enterprises, scheme.year, values)
    scored = score_all(rules, {pk: {k: v for k, (v, _s) in d.items()} for pk, d in data.items()})
    ranks = classify(
        {pk: s.score for pk, s in scored.items() if s.score is not None},
        scheme.class_basis,
        scheme.cut_a,
        scheme.cut_b,
        scheme.cut_c,
    )
    previous = dict(
        EvaluationResult.objects.filter(year=scheme.year - 1, enterprise_id__in=reasons)
        .exclude(grade="")
        .values_list("enterprise_id", "grade")
    )
    counts = {"evaluated": 0, "not_evaluated": 0, "saved": 0, "removed": 0}
    with transaction.atomic():
        existing = {r.enterprise_id: r for r in scheme.results.select_for_update()}
        for enterprise in enterprises:
            s = scored[enterprise.pk]
            result = existing.pop(enterprise.pk, None) or EvaluationResult(
                scheme=scheme, enterprise=enterprise
            )
            before = _snapshot(result) if result.pk else None
            rank, computed = ranks.get(enterprise.pk, (None, ""))
            result.year = scheme.year
            result.evaluated = s.score is not None
            result.note = "；".join([f"参评依据：{reasons[enterprise.pk]}", *s.notes])
            result.land_area_mu = enterprise.land_area_mu
            result.inputs = {
                key: {"value": _plain(value), "source": source}
                for key, (value, source) in data[enterprise.pk].items()
            }
            result.values = {
                code: {"value": _plain(e["value"]), "points": _plain(e["points"]), "note": e["note"]}
                for code, e in s.indicators.items()
            }
            result.score = s.score.quantize(Decimal("0.0001")) if s.score is not None else None
            result.rank = rank
            result.computed_class = computed
            result.grade = (result.adjusted_class or computed) if computed else ""
            result.previous_grade = previous.get(enterprise.pk, "")
            result.change = compare(result.previous_grade, result.grade)
            counts["evaluated" if result.evaluated else "not_evaluated"] += 1
            if before != _snapshot(result):
                result.save()
                counts["saved"] += 1
        for result in existing.values():  # no longer covered
            if result.appeals.exists():
                result.evaluated, result.score, result.rank, result.grade = False, None, None, ""
                result.computed_class, result.change = "", ""
                result.note = "重新评价时已不在参评范围（有申诉记录，保留）"
                result.save()
            else:
                result.delete()
            counts["removed"] += 1
        scheme.evaluated_at = timezone.now()
        scheme.save(update_fields=["evaluated_at", "last_updated"])
    return counts


SNAPSHOT = (
    "evaluated",
    "note",
    "land_area_mu",
    "inputs",
    "values",
    "score",
    "rank",
    "computed_class",
    "grade",
    "previous_grade",
    "change",
)


def _snapshot(result) -> tuple:
    return tuple(
        str(getattr(result, name)) if isinstance(getattr(result, name), Decimal) else getattr(result, name)
        for name in SNAPSHOT
    )


# --- appeals -----------------------------------------------------------------------------

CORRECTABLE = (
    "land_area_mu",
    "tax_wan",
    "revenue_wan",
    "value_added_wan",
    "energy_tce",
    "emissions_t",
    "employees",
    "rd_wan",
    "electricity_wan_kwh",
)


def resolve_appeal(
    appeal,
    user,
    status,
    resolution,
    corrections=None,
    adjusted_class="",
    adjust_reason="",
    values=None,
    on: datetime.date | None = None,
):
    """Resolve an appeal. An accepted one may correct data (用地面积 in the registry, the
    rest in the year's evaluation data) and/or set the class (调档, with a reason); the year
    is then scored again. Everything happens in one transaction and goes to the change log."""
    from yuanqu.enterprises.services import correct_land_area

    from .models import EvaluationInput

    corrections = {k: v for k, v in (corrections or {}).items() if v is not None}
    if appeal.status != AppealStatus.PENDING:
        raise ValidationError("该申诉已处理，不能再次处理")
    if status not in (AppealStatus.ACCEPTED, AppealStatus.REJECTED):
        raise ValidationError({"status": "请选择“已采纳”或“不予采纳”"})
    if not (resolution or "").strip():
        raise ValidationError({"resolution": "请填写处理意见"})
    if status == AppealStatus.REJECTED and (corrections or adjusted_class):
        raise ValidationError({"status": "不予采纳的申诉不能更正数据或调档"})
    if adjusted_class and not adjust_reason.strip():
        raise ValidationError({"adjust_reason": "调档须填写理由"})
    unknown = set(corrections) - set(CORRECTABLE)
    if unknown:
        raise ValidationError(f"不能更正的数据项：{'、'.join(sorted(unknown))}")
    result = appeal.result
    with transaction.atomic():
        if "land_area_mu" in corrections:
            enterprise = correct_land_area(
                result.enterprise, corrections.pop("land_area_mu"), "亩均评价申诉更正"
            )
            corrections_done = {"land_area_mu": str(enterprise.land_area_mu)}
        else:
            corrections_done = {}
        if corrections:
            data, _created = EvaluationInput.objects.get_or_create(
                enterprise=result.enterprise, year=result.year
            )
            for key, value in corrections.items():
                setattr(data, key, value)
                corrections_done[key] = str(value)
            if not data.source:
                data.source = "申诉更正"
            data.save()
        if adjusted_class:
            result.adjusted_class, result.adjust_reason = adjusted_class, adjust_reason.strip()
            result.save()
        appeal.status = status
        appeal.resolution = resolution.strip()
        appeal.resolver = user
        appeal.resolved_on = on or timezone.localdate()
        appeal.corrections = corrections_done
        appeal.save()
        if corrections_done or adjusted_class:
            evaluate(result.scheme, values)
    return appeal
