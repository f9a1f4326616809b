"""PDF by LibreOffice, when it is installed (``soffice``); None otherwise."""

import shutil
import subprocess
import tempfile
from pathlib import Path


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def docx_to_pdf(content: bytes, timeout: int = 120) -> bytes | None:
    """The Word file converted to PDF by a headless LibreOffice with its own profile (so it
    runs beside a user's open LibreOffice), or None when LibreOffice is not installed."""
    program = soffice()
    if program is None:
        return None
    with tempfile.TemporaryDirectory(prefix="yuanqu-report-") as folder:
        work = Path(folder)
        source = work / "report.docx"
        source.write_bytes(content)
        subprocess.run(
            [program, f"-env:UserInstallation=file://{work / 'profile'}", "--headless",
             "--convert-to", "pdf", "--outdir", str(work), str(source)],
            capture_output=True, timeout=timeout, check=False,
        )  # fmt: skip
        target = work / "report.pdf"
        return target.read_bytes() if target.exists() else None
