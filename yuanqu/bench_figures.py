"""The figure catalogue in ``make bench``: the whole catalogue computed for the latest month,
as ``yuanqu figures`` does (unrestricted) and as the 数据目录 page does for a leader."""

import datetime


def _latest_month() -> datetime.date:
    from yuanqu.economy.models import EnterpriseMonthlyValue

    latest = EnterpriseMonthlyValue.objects.order_by("-period").values_list("period", flat=True).first()
    return latest or datetime.date.today().replace(day=1)


def _page_row(median_ms, client, label, path) -> tuple[str, float]:
    def page():
        response = client.get(path)
        assert response.status_code == 200, response.status_code

    return label, median_ms(page)


def catalogue_rows(median_ms, client=None) -> list[tuple[str, float]]:
    from yuanqu.figures.catalogue import Query, evaluate, figures

    period = _latest_month()
    catalogue = figures()

    def run():
        query = Query(period)
        for figure in catalogue.values():
            evaluate(figure, query)

    rows = [
        (
            f"数据目录: the whole catalogue ({len(catalogue)} figures, {period:%Y-%m}), as `yuanqu figures`",
            median_ms(run),
        )
    ]
    if client is not None:
        rows.append(
            _page_row(median_ms, client, "数据目录 page (leader)", f"/figures/?period={period:%Y-%m}")
        )
    return rows


def target_rows(median_ms, client=None) -> list[tuple[str, float]]:
    """The year's target sheet judged at the latest month with data, as ``yuanqu targets``
    does (unrestricted), and the 目标责任书 page for a leader."""
    from yuanqu.targets.models import Target
    from yuanqu.targets.progress import sheet, stand

    period = _latest_month()
    count = Target.objects.filter(year=period.year).count()
    rows = [
        (
            f"目标责任书: {count} targets of {period.year} judged at {period:%Y-%m}, as `yuanqu targets`",
            median_ms(lambda: stand(sheet(period.year), period)),
        )
    ]
    if client is not None:
        path = f"/targets/?year={period.year}&month={period.month}"
        rows.append(_page_row(median_ms, client, "目标责任书 page (leader)", path))
    return rows
