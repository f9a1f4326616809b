"""Seed the working-day calendar (工作日历) with the official adjustments for 2024–2026 from
core/data/cn_workday_adjustments_2024_2026.csv (generated from chinesecalendar 1.11.0)."""

import csv
import datetime
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "cn_workday_adjustments_2024_2026.csv"

NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "Mid-autumn Festival": "中秋节",
    "National Day": "国庆节",
}


def rows():
    with DATA.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            yield {
                "date": datetime.date.fromisoformat(row["date"]),
                "is_workday": row["is_workday"] == "1",
                "kind": row["kind"],
                "name": NAMES.get(row["holiday_name"], row["holiday_name"]),
                "notes": "调休放假（工作日调为休息）" if row["in_lieu"] == "1" else "",
            }


def seed(apps, schema_editor):
    CalendarDay = apps.get_model("core", "CalendarDay")
    existing = set(CalendarDay.objects.values_list("date", flat=True))
    CalendarDay.objects.bulk_create(CalendarDay(**row) for row in rows() if row["date"] not in existing)


def unseed(apps, schema_editor):
    CalendarDay = apps.get_model("core", "CalendarDay")
    CalendarDay.objects.filter(date__in=[row["date"] for row in rows()]).delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0003_calendar")]
    operations = [migrations.RunPython(seed, unseed)]
