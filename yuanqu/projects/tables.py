import django_tables2 as tables
from django.utils.html import format_html

from yuanqu.utilities.tables import BaseTable

from .models import KeyProject


class KeyProjectTable(BaseTable):
    code = tables.Column(linkify=True)
    name = tables.Column(linkify=True)
    levels = tables.Column(empty_values=(), orderable=False, verbose_name="级别")
    annual_plan = tables.Column(empty_values=(), orderable=False, verbose_name="年度计划（万元）")
    ytd = tables.Column(empty_values=(), orderable=False, verbose_name="累计完成（万元）")
    completion = tables.Column(empty_values=(), orderable=False, verbose_name="完成率")
    light = tables.Column(empty_values=(), orderable=False, verbose_name="亮灯")
    # The reason wraps (every other cell stays on one line) so the list fits 1366 px.
    reason = tables.Column(
        empty_values=(),
        orderable=False,
        verbose_name="原因",
        attrs={"td": {"class": "cell-wrap-20"}},
    )
    open_blockers = tables.Column(empty_values=(), orderable=False, verbose_name="未解决堵点")

    class Meta(BaseTable.Meta):
        model = KeyProject
        # The light, its reason and the open blockers next to the name: what a leader reads
        # first is on screen at 1366 px without scrolling sideways.
        fields = (
            "code",
            "name",
            "light",
            "reason",
            "open_blockers",
            "completion",
            "annual_plan",
            "ytd",
            "type",
            "levels",
            "enterprise",
            "department",
            "leader",
            "total_investment_wan",
            "fai_registered",
        )
        sequence = fields

    def __init__(self, *args, period=None, **kwargs):
        self.period = period
        self._lights = {}
        super().__init__(*args, **kwargs)

    def _result(self, record):
        """The record's light, computed with those of the whole page (or export) at once."""
        from .services.lights import lights_by_project

        if record.pk not in self._lights:
            page = getattr(self, "page", None)
            rows = page.object_list if page is not None else self.data
            records = [getattr(row, "record", row) for row in rows]
            if record.pk not in {r.pk for r in records}:
                records = [record]
            self._lights.update(lights_by_project(records, self.period))
        return self._lights[record.pk]

    def render_levels(self, record):
        plans = [p for p in record.plans.all() if p.year == self.period.year]
        return "、".join(p.get_level_display() for p in plans) or "—"

    def render_annual_plan(self, record):
        value = self._result(record).annual_plan
        return "—" if value is None else value

    def render_ytd(self, record):
        return self._result(record).ytd

    def render_completion(self, record):
        return self._result(record).completion_pct

    def render_light(self, record):
        result = self._result(record)
        return format_html(
            '<span class="light light-{}" aria-hidden="true"></span> {}', result.light, result.label
        )

    def value_light(self, record):
        return self._result(record).label

    def render_reason(self, record):
        """原因 of a yellow or red light, the same text as the project page and the exports."""
        return self._result(record).cause or "—"

    def value_reason(self, record):
        return self._result(record).cause or None

    def render_open_blockers(self, record):
        count = getattr(record, "open_blockers", None)
        if count is None:
            return "—"
        if not count:
            return "0"
        url = f"{record.get_absolute_url()}?period={self.period:%Y-%m}#blockers"
        return format_html('<a href="{}" title="查看该项目的堵点">{}</a>', url, count)

    def value_open_blockers(self, record):
        return getattr(record, "open_blockers", None)

    def value_fai_registered(self, record):
        return "是" if record.fai_registered else "否"
