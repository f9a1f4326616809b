"""Weekly watch (周调度): the projects a leader follows week by week, and their versioned
weekly reports."""

import datetime

from django.core.exceptions import ValidationError

from yuanqu.core.versioning import record_version


def week_of(day: datetime.date) -> datetime.date:
    """The Monday of the day's week (a weekly report is filed under it)."""
    return day - datetime.timedelta(days=day.weekday())


def set_watch(project, user, watched: bool, today: datetime.date | None = None):
    """Put a project on the leader's weekly watch (周调度) or take it off; who and when are
    kept on the project and the change log records it."""
    project.weekly_watch = watched
    project.watch_set_by = user if user is not None and user.is_authenticated else None
    project.watch_set_on = today or datetime.date.today()
    project.save()
    return project


def record_weekly(project, week, *, progress_text, problems="", next_step="", reason="", user=None):
    """Save a week's report as a new version; a correction needs a reason, the old is kept."""
    from ..models import WeeklyReport

    if not project.weekly_watch:
        raise ValidationError(f"{project}未列入周调度，无需报送周报")
    if not (progress_text or "").strip():
        raise ValidationError({"progress_text": "请填写本周进展"})
    week = week_of(week)
    return record_version(
        WeeklyReport,
        {"project": project, "week": week},
        {"progress_text": progress_text.strip(), "problems": problems, "next_step": next_step},
        reason=reason,
        user=user,
        what="周报",
        when=f"{week:%Y-%m-%d}所在周",
    )


def weekly_board(projects, week: datetime.date) -> list[dict]:
    """The watched projects with the current report of ``week`` (None: 本周未报)."""
    from ..models import WeeklyReport

    watched = list(projects.filter(weekly_watch=True))
    reports = {
        r.project_id: r
        for r in WeeklyReport.objects.filter(project__in=watched, week=week_of(week), is_current=True)
    }
    return [{"project": p, "report": reports.get(p.pk)} for p in watched]
