"""Control characters: refused in what users type or import, dropped from what is exported.

A control character (ESC, backspace, a NUL …) is invisible on screen, cannot be held by XML
1.0 (openpyxl refuses to write it, xlsxwriter writes an ``_x001B_`` escape) and is never part
of a name or a text anyone meant to enter; tab, line feed and carriage return are text.
"""

import re

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def printable(text: str) -> str:
    """The text without control characters."""
    return text if text.isprintable() else CONTROL_CHARACTERS.sub("", text)


def control_character_error(text: str, label: str = "") -> str:
    """A Chinese message naming the field and the first control character in ``text``, or ""
    when it has none."""
    if text.isprintable():
        return ""
    found = CONTROL_CHARACTERS.search(text)
    if found is None:
        return ""
    where = f"“{label}”" if label else "内容"
    return (
        f"{where}第{found.start() + 1}个字符是不可见的控制字符（U+{ord(found.group()):04X}），"
        "请删除后重新填写（常见于从其他系统复制粘贴的文字）"
    )
