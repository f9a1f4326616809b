"""The report writer (材料生成): ``generate(kind, …)`` renders a shipped or edited template over
the figure catalogue and the modules' services into a ``Report`` (blocks, figure list, HTML,
Word, PDF when LibreOffice is present)."""

from .engine import Block, Report, ReportError, Run
from .generate import KINDS, generate, shipped_template

__all__ = ["KINDS", "Block", "Report", "ReportError", "Run", "generate", "shipped_template"]
