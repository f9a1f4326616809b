"""Draft check (材料校核) of a plain-text report draft.

``check(text, *, period=None, user=None)`` returns ``{"findings": [...], "claims": [...]}``
(the claims: ``claims.py``); each finding is a dict
``{kind, paragraph, start, end, text, message}``: ``paragraph`` is the 1-based index of the
non-empty paragraph (one line of the text), ``start``/``end`` are character offsets within
that line (``end`` exclusive), ``text`` the flagged characters and ``message`` a Chinese
sentence for the user. Findings come in reading order.

Kinds:

``placeholder``
    A figure left unfilled where a number belongs: a run of ``*`` (``*``, ``**``, ``***`` …)
    or of ``×``/``X``/``x`` standing for a number, or empty brackets ``[ ]`` / ``【 】``.
    A ``*`` or ``X`` run is a missing figure only when it is next to a digit, is followed by
    a unit or measure word (亿元、万元、%、个、家、项、次、名、亩、公顷、万吨、月、年、倍、余、多 …)
    is one end of a range ("*-*%"), or follows a number context (增长、达、完成、共、约 …)
    and is not followed by more Chinese text. Published reports also mask names with ``*``: a masked company, place or
    person ("**铝业"、"***公司"、"***市"、"***省长") is not a missing figure and is not flagged.
    Markdown emphasis (``**科技创新不断突破。**``, a ``**`` pair wrapping text) is not flagged.
``repeat``
    A sentence (split on 。！？；) of at least 12 characters that occurs more than once;
    one finding per later copy, naming the paragraph of the first copy.
``near_repeat``
    Two sentences of at least 15 characters, of lengths within 2 of each other, at most
    2 characters apart (edit distance), e.g. 坚决不移 / 坚持不移; one finding per later
    sentence, naming the paragraph of the earlier one.
``mismatch``
    A claim whose catalogue figure the records hold with another value for its period and
    scope; the message gives the record's value and the link to the records
    (``claims.mismatches``).
``inconsistent``
    Two different figures for the same subject, kind and period in one draft, or a growth the
    two levels quoted with it do not give (``claims.inconsistencies``).
"""

import re
from collections import Counter

PLACEHOLDER = "placeholder"
REPEAT = "repeat"
NEAR_REPEAT = "near_repeat"

# Unit and measure words a number stands before; longest first is not needed, any prefix
# match counts.
UNITS = (
    "亿元 万元 元 % ％ 个 家 项 次 名 人 亩 公顷 万吨 吨 平方米 平方公里 公里 千米 米 月 年 日 天 "
    "小时 倍 万 千 百 亿 余 多 条 篇 种 户 处 批 台 套 座 期 件 辆 位 所 栋 头 只 斤 千瓦 兆瓦 "
    "美元 标准 届 轮 场 批次 分钟 股 类 宗"
).split()
# Words that start with a unit character but begin a name after a mask ("***人民政府").
NOT_UNITS = ("人民", "人大", "人社", "百货", "万达", "万科", "年华", "千禾", "元素", "所属", "头部", "标准化")
# Words directly before a number.
NUMBER_CONTEXT = (
    "增长", "下降", "增加", "减少", "提高", "达", "达到", "完成", "共", "约", "近", "超过", "超",
    "实现", "累计", "总计", "合计", "新增", "净增", "占", "提升到", "提升至", "为", "是", "至", "到",
)  # fmt: skip

# Words ending in a context word that are not one ("中共**委员会").
NOT_CONTEXT = ("中共",)
RANGE_AFTER = re.compile(r"[-－—~～至][*×Xx\d]")
RANGE_BEFORE = re.compile(r"[*×Xx\d][-－—~～至]$")

SENTENCE_END = "。！？；!?;"
PUNCTUATION = set("，。！？；：、,.!?;:（）()《》“”‘’\"'【】[]—…·")
REPEAT_MIN = 12
NEAR_MIN = 15
NEAR_MAX_EDITS = 2

MASK = re.compile(r"\*+|×{2,}|(?<![A-Za-z])(?:X+|x+|Ｘ+|ｘ+)(?![A-Za-z])")
EMPTY_BRACKETS = re.compile(r"\[[ \u3000]*\]|【[ \u3000]*】")


def paragraphs(text: str) -> list[str]:
    """The non-empty lines of ``text``, line endings removed (offsets count within them)."""
    return [line for line in text.splitlines() if line.strip()]


def _is_cjk(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff"


def _unit_after(rest: str) -> bool:
    if rest.startswith(NOT_UNITS):
        return False
    return rest.startswith(tuple(UNITS))


def _emphasis_spans(line: str) -> set[int]:
    """Start offsets of ``**`` runs that open or close Markdown emphasis."""
    runs = [m for m in re.finditer(r"\*+", line) if len(m.group()) == 2]
    spans = set()
    index = 0
    while index < len(runs) - 1:
        opening, closing = runs[index], runs[index + 1]
        inner = line[opening.end() : closing.start()]
        after = line[closing.end()] if closing.end() < len(line) else " "
        # Opens on a word (not a space or punctuation), closes after a finished sentence or at
        # the end of the line: "**科技创新不断突破。**", "一是**项目建设提速。**", "**2022年工作回顾**".
        # "投资**亿元，增长**。" and "以上**家；**钢管" are missing figures, not emphasis.
        body = inner.rstrip(SENTENCE_END + "：:")
        opens = (
            len(body) >= 4
            and not any(char in SENTENCE_END for char in body)
            and not inner[0].isspace()
            and inner[0] not in PUNCTUATION
        )
        closes = not inner[-1].isspace() and (after.isspace() or inner[-1] in SENTENCE_END + "：:")
        if opens and closes:
            spans.update({opening.start(), closing.start()})
            index += 2
        else:
            index += 1
    return spans


def _is_missing_figure(line: str, start: int, end: int) -> bool:
    before = line[start - 1] if start else ""
    after = line[end] if end < len(line) else ""
    if before.isdigit() or after.isdigit():
        return True
    if _unit_after(line[end:]):
        return True
    if RANGE_AFTER.match(line, end) or RANGE_BEFORE.search(line[:start]):
        return True  # one end of a range such as "*-*%"
    head = line[:start]
    if head.endswith(NOT_CONTEXT):
        return False
    return head.endswith(NUMBER_CONTEXT) and not (_is_cjk(after) or after in "*×Xx")


def _placeholders(number: int, line: str) -> list[dict]:
    found = []
    emphasis = _emphasis_spans(line)
    for match in MASK.finditer(line):
        if match.start() in emphasis or not _is_missing_figure(line, match.start(), match.end()):
            continue
        found.append(
            finding(PLACEHOLDER, number, match.start(), match.end(), line, f"未填数字：“{match.group()}”")
        )
    for match in EMPTY_BRACKETS.finditer(line):
        found.append(
            finding(PLACEHOLDER, number, match.start(), match.end(), line, f"空白待填：“{match.group()}”")
        )
    return found


def finding(kind: str, paragraph: int, start: int, end: int, line: str, message: str) -> dict:
    return {
        "kind": kind,
        "paragraph": paragraph,
        "start": start,
        "end": end,
        "text": line[start:end],
        "message": message,
    }


def sentences(line: str) -> list[tuple[int, int, str]]:
    """(start, end, text) of each sentence of a line, terminator and outer spaces excluded."""
    found = []
    start = 0
    for index, char in enumerate(line + "。"):
        if char in SENTENCE_END or index == len(line):
            piece = line[start:index]
            stripped = piece.strip()
            if stripped:
                offset = start + piece.index(stripped)
                found.append((offset, offset + len(stripped), stripped))
            start = index + 1
    return found


def _chunks(length: int) -> list[tuple[int, int]]:
    """Three consecutive slices of a string of ``length``: with at most two edits one of
    them survives unchanged, shifted by at most two places (pigeonhole)."""
    third = length // 3
    return [(0, third), (third, 2 * third), (2 * third, length)]


def edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance of ``a`` and ``b``, or ``limit + 1`` once it exceeds ``limit``.

    Only the cells within ``limit`` of the diagonal are computed (a path leaving that band
    costs more than ``limit``), so a pair of sentences costs their length times 2·limit + 1."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    # each edit changes the characters' counts by at most two: a cheap lower bound first
    counts = Counter(a)
    counts.subtract(b)
    if sum(map(abs, counts.values())) > 2 * limit:
        return limit + 1
    over = limit + 1
    width = len(b)
    previous = {j: j for j in range(0, min(width, limit) + 1)}
    for i, char_a in enumerate(a, 1):
        current = {}
        low, high = max(0, i - limit), min(width, i + limit)
        best = over
        for j in range(low, high + 1):
            if j == 0:
                cost = i
            else:
                cost = min(
                    previous.get(j, over) + 1,
                    current.get(j - 1, over) + 1,
                    previous.get(j - 1, over) + (char_a != b[j - 1]),
                )
            current[j] = cost
            if cost < best:
                best = cost
        if best > limit:
            return over
        previous = current
    return min(previous.get(width, over), over)


def _repeats(lines: list[str]) -> list[dict]:
    found = []
    first_seen: dict[str, int] = {}
    index: dict[tuple[int, int, str], list[tuple[str, int]]] = {}
    for number, line in enumerate(lines, 1):
        for start, end, text in sentences(line):
            if len(text) >= REPEAT_MIN and text in first_seen:
                found.append(
                    finding(REPEAT, number, start, end, line, f"与第{first_seen[text]}段重复：“{text}”")
                )
                continue
            if len(text) >= REPEAT_MIN:
                first_seen[text] = number
            if len(text) < NEAR_MIN:
                continue
            near = _nearest(text, index)
            if near:
                other, other_number, edits = near
                found.append(
                    finding(
                        NEAR_REPEAT,
                        number,
                        start,
                        end,
                        line,
                        f"与第{other_number}段的句子仅差{edits}字，请核对：“{text}”／“{other}”",
                    )
                )
            for part, (left, right) in enumerate(_chunks(len(text))):
                index.setdefault((len(text), part, text[left:right]), []).append((text, number))
    return found


def _nearest(text: str, index: dict) -> tuple[str, int, int] | None:
    """The earliest indexed sentence within ``NEAR_MAX_EDITS`` edits of ``text``."""
    best = None
    seen = set()
    for length in range(len(text) - NEAR_MAX_EDITS, len(text) + NEAR_MAX_EDITS + 1):
        for part, (left, right) in enumerate(_chunks(length)):
            for shift in range(-NEAR_MAX_EDITS, NEAR_MAX_EDITS + 1):
                if left + shift < 0:
                    continue
                piece = text[left + shift : right + shift]
                for other, number in index.get((length, part, piece), ()):
                    if other in seen or other == text:
                        continue
                    seen.add(other)
                    edits = edit_distance(other, text, NEAR_MAX_EDITS)
                    if edits <= NEAR_MAX_EDITS and (best is None or number < best[1]):
                        best = (other, number, edits)
    return best


def check(text: str, *, period=None, user=None) -> dict:
    """``{"findings": [...], "claims": [...]}`` of a draft; ``period`` (a date or “2026-10”)
    is the period of every claim, else each claim's is read from the draft; ``user`` is who
    checks (None in the console): the records a claim is compared with are the ones they may
    view."""
    from . import claims as claims_module

    lines = paragraphs(text)
    findings = [f for number, line in enumerate(lines, 1) for f in _placeholders(number, line)]
    findings += _repeats(lines)
    found = claims_module.find(lines, period=period)
    findings += claims_module.mismatches(found, lines, user)
    findings += claims_module.inconsistencies(found, lines)
    findings.sort(key=lambda f: (f["paragraph"], f["start"], f["kind"]))
    return {"findings": findings, "claims": [c.as_dict(lines[c.paragraph - 1]) for c in found]}
