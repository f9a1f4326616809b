"""Which catalogue figure a name means: the 指标 of a target sheet, the subject of a sentence
in a draft. By the figure's key (case-insensitive), then its name, then the synonyms the
administrator keeps (``Synonym``: GDP = 地区生产总值); a name that matches nothing is a
reported target.

``FigureMatcher`` reads the catalogue and the synonyms once, for callers that match many
names (the draft check); ``match_figure(name)`` matches one.
"""

from dataclasses import dataclass

from yuanqu.figures.catalogue import figures

REPORTED = "填报指标（未匹配数据目录）"


@dataclass
class Match:
    """How a name found its figure."""

    key: str = ""
    how: str = ""  # 数据项 / 代码 / 名称 / 别名“GDP”

    def text(self) -> str:
        if not self.key:
            return REPORTED
        figure = figures().get(self.key)
        name = f"{figure.name}（{self.key}）" if figure else self.key
        return f"{name}，按{self.how}匹配"


class FigureMatcher:
    """Matches names against the catalogue and the synonyms as they are when it is made."""

    def __init__(self, catalogue=None):
        from .models import Synonym

        self.catalogue = figures() if catalogue is None else catalogue
        self.keys = {key.casefold(): key for key in self.catalogue}
        self.names = {}
        for key, figure in self.catalogue.items():
            self.names.setdefault(figure.name, key)
        self.synonyms = {}
        for synonym in Synonym.objects.order_by("pk"):
            self.synonyms.setdefault(synonym.name.casefold(), synonym)

    def match(self, name: str) -> Match:
        text = name.strip()
        folded = text.casefold()
        if folded in self.keys:
            return Match(self.keys[folded], "数据项代码")
        if text in self.names:
            return Match(self.names[text], "名称")
        synonym = self.synonyms.get(folded)
        if synonym is not None:
            return Match(synonym.figure, f"别名“{synonym.name}”")
        return Match()


def match_figure(name: str) -> Match:
    """The catalogue figure a 指标 names: by key, by name, then by a synonym; else reported."""
    return FigureMatcher().match(name)
