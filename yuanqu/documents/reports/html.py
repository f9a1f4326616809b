"""A report as an HTML fragment for the preview: headings with their numbers, paragraphs whose
figures are links to their records (``<a class="figure" data-figure="N" href="LINK">``),
tables with the unit in the header, charts as embedded PNG."""

import base64

from django.utils.html import escape, format_html

from .charts import cached_png


def _runs(runs, figures) -> str:
    parts = []
    for run in runs:
        if run.figure is None:
            parts.append(escape(run.text))
        else:
            entry = figures[run.figure]
            parts.append(
                format_html(
                    '<a class="figure" data-figure="{}" href="{}" title="{}">{}</a>',
                    run.figure,
                    entry["link"] or "#",
                    f"{entry['name']} · {entry['period']} · {entry['scope']}",
                    run.text,
                )
            )
    return "".join(parts)


def render_html(report) -> str:
    figures = report.figures
    out = [format_html('<article class="report report-{}">', report.kind)]
    for block in report.blocks:
        if block.kind == "title":
            out.append(f'<h1 class="report-title">{_runs(block.runs, figures)}</h1>')
        elif block.kind == "heading":
            level = block.level + 1
            out.append(
                f'<h{level} class="report-heading level-{block.level}">{escape(block.number)}'
                f"{_runs(block.runs, figures)}</h{level}>"
            )
        elif block.kind == "paragraph":
            out.append(f'<p class="align-{block.align}">{_runs(block.runs, figures)}</p>')
        elif block.kind == "table":
            table = block.table
            caption = f"<caption>{escape(table['title'])}</caption>" if table["title"] else ""
            head = "".join(f"<th>{escape(h)}</th>" for h in table["header"])
            body = "".join(
                "<tr>" + "".join(f"<td>{_runs(cell, figures)}</td>" for cell in row) + "</tr>"
                for row in table["rows"]
            )
            out.append(
                f'<table class="table table-sm table-bordered">{caption}<thead><tr>{head}</tr></thead>'
                f"<tbody>{body}</tbody></table>"
            )
        elif block.kind == "chart":
            data = base64.b64encode(cached_png(block.chart)).decode("ascii")
            out.append(
                format_html(
                    '<figure class="report-chart"><img src="data:image/png;base64,{}" alt="{}"></figure>',
                    data,
                    block.chart["title"],
                )
            )
        elif block.kind == "pagebreak":
            out.append('<hr class="page-break">')
    out.append("</article>")
    return "\n".join(out)
