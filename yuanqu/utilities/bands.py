"""Light bands (REFERENCE §8): a rule is a list of bands [lower, upper) each giving a light;
the bands of one rule must cover the whole line exactly once (empty bounds are −∞/+∞).
Used by the project lights and the target sheet's lights."""

from decimal import Decimal

from django.core.exceptions import ValidationError


def _bound(value) -> str:
    return "负无穷" if value is None else f"{value}"


def check_rules(bands, kind_label="亮灯规则") -> list:
    """The bands (objects with lower, upper, light) sorted, or a Chinese configuration error
    naming the range they leave uncovered or cover twice."""
    if not bands:
        raise ValidationError(f"{kind_label}未配置任何区间，无法亮灯")
    ordered = sorted(bands, key=lambda b: (b.lower is not None, b.lower or 0))
    if ordered[0].lower is not None:
        raise ValidationError(f"{kind_label}配置错误：小于{ordered[0].lower}的区间未覆盖")
    for band, following in zip(ordered, ordered[1:], strict=False):
        if band.upper is None:
            raise ValidationError(
                f"{kind_label}配置错误：[{_bound(band.lower)}, 正无穷)之后还有区间，区间重叠"
            )
        if following.lower is None or following.lower < band.upper:
            raise ValidationError(f"{kind_label}配置错误：{band.upper}附近的区间重叠")
        if following.lower > band.upper:
            raise ValidationError(f"{kind_label}配置错误：[{band.upper}, {following.lower})区间未覆盖")
    if ordered[-1].upper is not None:
        raise ValidationError(f"{kind_label}配置错误：大于等于{ordered[-1].upper}的区间未覆盖")
    return ordered


def band_light(bands, value: Decimal, kind_label="亮灯规则") -> str:
    """The light of the band holding ``value`` (bands checked first)."""
    for band in check_rules(bands, kind_label):
        if (band.lower is None or value >= band.lower) and (band.upper is None or value < band.upper):
            return band.light
    raise ValidationError(f"{kind_label}配置错误：{value}不在任何区间内")  # unreachable when checked
