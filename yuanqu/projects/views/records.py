"""A project's records: monthly reports (typed or imported), yearly plans and milestones."""

from yuanqu.utilities.import_views import BulkImportView, MonthlyUploadForm

from ..forms import MilestoneForm, MonthlyProgressForm, ProjectYearPlanForm
from ..importers import ProgressImporter
from ..models import Milestone, MonthlyProgress, ProjectYearPlan
from .common import ChildEditView


class MonthlyProgressImportView(BulkImportView):
    importer = ProgressImporter
    upload_form = MonthlyUploadForm


class MonthlyProgressEditView(ChildEditView):
    """Only adds: a month that has a report already gets its next version."""

    queryset = MonthlyProgress.objects.all()
    form = MonthlyProgressForm


class ProjectYearPlanEditView(ChildEditView):
    queryset = ProjectYearPlan.objects.all()
    form = ProjectYearPlanForm


class MilestoneEditView(ChildEditView):
    queryset = Milestone.objects.all()
    form = MilestoneForm
