"""统一社会信用代码 (GB 32100-2015) with its embedded 组织机构代码 (GB 11714-1997)."""

from django.core.exceptions import ValidationError

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = [pow(3, i, 31) for i in range(17)]
ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]
# GB 32100-2015 table 1: registration authority → entity categories.
AUTHORITY_CATEGORIES = {"1": "1239", "5": "1239", "9": "123", "Y": "1"}


def normalise_uscc(code: str) -> str:
    return (code or "").replace(" ", "").replace("-", "").replace("\u3000", "").strip().upper()


def uscc_check_char(first17: str) -> str:
    total = sum(ALPHABET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def _org_value(c: str) -> int:
    return int(c) if c.isdigit() else ord(c) - ord("A") + 10


def org_code_check_char(body8: str) -> str:
    value = 11 - sum(_org_value(c) * w for c, w in zip(body8, ORG_WEIGHTS, strict=True)) % 11
    return {10: "X", 11: "0"}.get(value, str(value))


def uscc_errors(code: str) -> list[str]:
    """Every reason the code is not a valid USCC, in Chinese; empty when it is valid."""
    code = normalise_uscc(code)
    if not code:
        return ["统一社会信用代码不能为空"]
    bad = sorted({c for c in code if c not in ALPHABET}, key=code.index)
    errors = []
    if len(code) != 18:
        errors.append(f"统一社会信用代码应为18位，实际为{len(code)}位")
    if bad:
        errors.append(f"含有不允许的字符：{'、'.join(bad)}（不使用 I、O、Z、S、V 及符号）")
    if errors:
        return errors
    expected = uscc_check_char(code[:17])
    if code[17] != expected:
        errors.append(f"第18位校验码应为 {expected}，实际为 {code[17]}")
    org_expected = org_code_check_char(code[8:16])
    if code[16] != org_expected:
        errors.append(f"第9-17位组织机构代码 {code[8:17]} 的校验码应为 {org_expected}，实际为 {code[16]}")
    return errors


def uscc_warnings(code: str) -> list[str]:
    code = normalise_uscc(code)
    allowed = AUTHORITY_CATEGORIES.get(code[:1])
    if allowed is None:
        return [f"登记管理部门码 {code[:1]} 不在 GB 32100-2015 表1 中"]
    if code[1:2] not in allowed:
        return [f"机构类别码 {code[1:2]} 与登记管理部门码 {code[:1]} 不匹配"]
    return []


def validate_uscc(value: str) -> None:
    errors = uscc_errors(value)
    if errors:
        raise ValidationError("；".join(errors), code="invalid_uscc")


def make_uscc(prefix2: str, division6: str, org_body8: str) -> str:
    """A valid code from its parts (used by the demo generator and tests)."""
    org = org_body8 + org_code_check_char(org_body8)
    first17 = prefix2 + division6 + org
    return first17 + uscc_check_char(first17)
