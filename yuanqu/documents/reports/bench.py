"""The report writer in ``make bench``: the annual report (年度工作总结) of the latest year with
data, generated from its shipped template to a Word file (charts drawn each time), as
``yuanqu report annual --year Y --out FILE.docx`` does; its charts, figures and pages."""

import re
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path


def _pages(content: bytes) -> int | None:
    """The Word file's pages as LibreOffice lays them out (None without soffice/pdfinfo)."""
    from .pdf import docx_to_pdf

    if shutil.which("pdfinfo") is None:
        return None
    pdf = docx_to_pdf(content)
    if pdf is None:
        return None
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "report.pdf"
        path.write_bytes(pdf)
        info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    found = re.search(r"Pages:\s+(\d+)", info)
    return int(found.group(1)) if found else None


def annual_rows(median_ms) -> list[tuple[str, float]]:
    from yuanqu.economy.models import EnterpriseMonthlyValue

    from . import generate

    latest = EnterpriseMonthlyValue.objects.order_by("-period").values_list("period", flat=True).first()
    if latest is None:
        return []
    made, cpu = {}, []

    def run():
        started = time.process_time()
        report = generate("annual", year=latest.year)
        made["report"], made["docx"] = report, report.to_docx()
        cpu.append((time.process_time() - started) * 1000)

    ms = median_ms(run)
    report = made["report"]
    charts = sum(block.kind == "chart" for block in report.blocks)
    pages = _pages(made["docx"])
    label = (
        f"年度工作总结 {latest.year} to .docx: {charts} charts, {len(report.figures)} figures, "
        f"{pages if pages is not None else '?'} pages, CPU {statistics.median(cpu[1:] or cpu):.0f} ms (target < 3 s)"
    )
    return [(label, ms)]
