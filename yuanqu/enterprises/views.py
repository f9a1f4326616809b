from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from yuanqu.users.permissions import can, can_add_child, restrict
from yuanqu.utilities import views as generic
from yuanqu.utilities.privacy import mask_field

from .filtersets import EnterpriseFilterSet, IndustryChainFilterSet, QualificationFilterSet
from .forms import ContactForm, EnterpriseForm, IndustryChainForm, QualificationForm, ScaleRecordForm
from .models import Contact, Enterprise, Industry, IndustryChain, Qualification, ScaleRecord
from .services import qualification_counts, valid_on
from .tables import EnterpriseTable, IndustryChainTable, QualificationTable

ENTERPRISES = Enterprise.objects.select_related("industry", "industry_chain", "zone", "department")


class EnterpriseListView(generic.ObjectListView):
    queryset = ENTERPRISES
    filterset = EnterpriseFilterSet
    table = EnterpriseTable
    template_name = "enterprises/enterprise_list.html"
    table_template_name = "enterprises/enterprise_table.html"

    def extra_context(self, queryset):
        filterset = getattr(self, "current_filterset", None) or EnterpriseFilterSet(
            self.request.GET or None, queryset=queryset, request=self.request
        )
        on = filterset.qualification_date() if filterset.is_valid() else timezone.localdate()
        return {"qualification_counts": qualification_counts(queryset, on), "counts_on": on}


class EnterpriseView(generic.ObjectView):
    queryset = ENTERPRISES
    template_name = "enterprises/enterprise.html"

    def extra_context(self, obj):
        user = self.request.user
        today = timezone.localdate()
        qualifications = list(restrict(obj.qualifications.all(), user, "view"))
        contacts = list(restrict(obj.contacts.all(), user, "view"))
        show_personal = can(user, obj, "view_personal")
        for contact in contacts:
            contact.mobile_display = (
                contact.mobile if show_personal else mask_field(Contact, "mobile", contact.mobile)
            )
        for q in qualifications:
            q.is_valid = valid_on(q, today)
        return {
            "qualifications": qualifications,
            "contacts": contacts,
            "scale_records": list(restrict(obj.scale_records.all(), user, "view")),
            "show_personal": show_personal,
            "can_add": {
                "qualification": can_add_child(user, Qualification, "enterprise", obj),
                "contact": can_add_child(user, Contact, "enterprise", obj),
                "scalerecord": can_add_child(user, ScaleRecord, "enterprise", obj),
            },
            "changeable": {
                "qualification": set(
                    restrict(obj.qualifications.all(), user, "change").values_list("pk", flat=True)
                ),
                "contact": set(restrict(obj.contacts.all(), user, "change").values_list("pk", flat=True)),
                "scalerecord": set(
                    restrict(obj.scale_records.all(), user, "delete").values_list("pk", flat=True)
                ),
            },
            "today": today,
        }


class EnterpriseEditView(generic.ObjectEditView):
    queryset = Enterprise.objects.all()
    form = EnterpriseForm
    template_name = "enterprises/enterprise_edit.html"


class EnterpriseDeleteView(generic.ObjectDeleteView):
    queryset = Enterprise.objects.all()


class QualificationListView(generic.ObjectListView):
    queryset = Qualification.objects.select_related("enterprise")
    filterset = QualificationFilterSet
    table = QualificationTable


class EnterpriseChildEditView(generic.ObjectEditView):
    """Adding a contact/qualification/record starts from an enterprise (``?enterprise=pk``)."""

    def initial(self, obj):
        pk = self.request.GET.get("enterprise")
        if pk and pk.isdigit():
            enterprise = restrict(Enterprise.objects.filter(pk=pk), self.request.user, "view").first()
            if enterprise is None:
                raise Http404
            return {"enterprise": enterprise}
        return {}


class QualificationEditView(EnterpriseChildEditView):
    queryset = Qualification.objects.all()
    form = QualificationForm


class QualificationDeleteView(generic.ObjectDeleteView):
    queryset = Qualification.objects.all()


class ContactEditView(EnterpriseChildEditView):
    queryset = Contact.objects.all()
    form = ContactForm


class ContactDeleteView(generic.ObjectDeleteView):
    queryset = Contact.objects.all()


class ScaleRecordEditView(EnterpriseChildEditView):
    queryset = ScaleRecord.objects.all()
    form = ScaleRecordForm


class ScaleRecordDeleteView(generic.ObjectDeleteView):
    queryset = ScaleRecord.objects.all()


def industry_options(request):
    """Type-ahead: GB/T 4754 小类 whose code starts with, or name contains, the text."""
    text = (request.GET.get("industry") or request.GET.get("q") or "").strip().split(" ")[0]
    options = Industry.objects.filter(level=4)
    if text:
        options = (
            options.filter(code__startswith=text) if text.isdigit() else options.filter(name__contains=text)
        )
    return render(request, "enterprises/industry_options.html", {"options": options[:30]})


class IndustryChainListView(generic.ObjectListView):
    queryset = IndustryChain.objects.all()
    filterset = IndustryChainFilterSet
    table = IndustryChainTable


class IndustryChainEditView(generic.ObjectEditView):
    queryset = IndustryChain.objects.all()
    form = IndustryChainForm

    def post(self, request, pk=None):
        response = super().post(request, pk)
        if response.status_code == 302:
            from django.shortcuts import redirect

            return redirect("enterprises:industrychain_list")
        return response


class IndustryChainDeleteView(generic.ObjectDeleteView):
    queryset = IndustryChain.objects.all()
