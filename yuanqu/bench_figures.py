"""The figure catalogue in ``make bench``: the whole catalogue computed for the latest month,
as ``yuanqu figures`` does (unrestricted) and as the 数据目录 page does for a leader."""

import datetime


def catalogue_rows(median_ms, client=None) -> list[tuple[str, float]]:
    from yuanqu.economy.models import EnterpriseMonthlyValue
    from yuanqu.figures.catalogue import Query, evaluate, figures

    latest = EnterpriseMonthlyValue.objects.order_by("-period").values_list("period", flat=True).first()
    period = latest or datetime.date.today().replace(day=1)
    catalogue = figures()

    def run():
        query = Query(period)
        for figure in catalogue.values():
            evaluate(figure, query)

    rows = [(f"数据目录: the whole catalogue ({len(catalogue)} figures, {period:%Y-%m}), as `yuanqu figures`", median_ms(run))]
    if client is not None:

        def page():
            response = client.get(f"/figures/?period={period:%Y-%m}")
            assert response.status_code == 200, response.status_code

        rows.append(("数据目录 page (leader)", median_ms(page)))
    return rows
