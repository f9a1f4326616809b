"""Generic views every domain app builds its pages from.

A concrete view only says which queryset, filterset, form and table it uses; the base
classes apply the user's restriction to every queryset, keep the change log through the
models' signals and serve both full pages and HTMX fragments.
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import ProtectedError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.views import View
from django_tables2 import RequestConfig

from yuanqu.core.changelog import history_for
from yuanqu.users.permissions import has_perm, restrict

from .concurrency import VERSION_FIELD, StaleRecord, check_version, take_untouched, version_of
from .grants import OutsideGrant, ensure_within_grant
from .htmx import htmx_partial

# The most rows a list page shows at once (``?per_page=``): the pages render every row of the
# page, so an unbounded number is a request for the whole table.
MAX_PER_PAGE = 500


def _positive(text, high):
    """A page number or page size from the query string: a whole number in 1..``high``, else None."""
    text = (text or "").strip()
    if text.isascii() and text.isdigit() and len(text) <= 18 and 1 <= int(text) <= high:
        return int(text)
    return None


class BoundedRequestConfig(RequestConfig):
    """django-tables2's configuration with ``?page=`` and ``?per_page=`` bounded: a size
    outside 1..MAX_PER_PAGE or a malformed one is the view's default size, a page past the
    end the last page, a malformed or negative page the first (tables2 itself crashes on
    ``per_page=-1``)."""

    def __init__(self, request, per_page):
        super().__init__(request, paginate=False)
        self.per_page = per_page

    def configure(self, table):
        super().configure(table)  # request and ordering
        get = self.request.GET
        per_page = _positive(get.get(table.prefixed_per_page_field), MAX_PER_PAGE) or self.per_page
        table.paginate(per_page=per_page, page=1)
        last = table.paginator.num_pages
        text = (get.get(table.prefixed_page_field) or "").strip()
        if text.isascii() and text.isdigit():
            page = last if len(text) > 18 else min(max(int(text), 1), last)
            if page != 1:
                table.page = table.paginator.page(page)
        return table


def url_name(model, action):
    return f"{model._meta.app_label}:{model._meta.model_name}_{action}"


def optional_reverse(name, *args):
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


class BaseObjectView(View):
    queryset = None
    template_name = None

    @property
    def model(self):
        return self.queryset.model

    def restricted(self, action):
        return restrict(self.queryset.all(), self.request.user, action)

    def base_context(self):
        model = self.model
        user = self.request.user
        return {
            "model": model,
            "verbose_name": model._meta.verbose_name,
            "verbose_name_plural": model._meta.verbose_name_plural,
            "can_add": has_perm(user, model, "add"),
            "can_import": has_perm(user, model, "import"),
            "can_export": has_perm(user, model, "export"),
            "list_url": optional_reverse(url_name(model, "list")),  # contacts have no list page
        }


class ObjectListView(BaseObjectView):
    """A filtered, sorted, paginated table; ``?export=xlsx`` exports the filtered rows."""

    filterset = None
    filterset_form_template = "generic/filter_form.html"
    table = None
    template_name = "generic/object_list.html"
    # The part an HTMX request (filter, sort, page) replaces; the full page includes it too.
    table_template_name = "htmx/table.html"
    per_page = 25

    def get_queryset(self, action="view"):
        return self.restricted(action)

    def extra_context(self, queryset):
        return {}

    def get(self, request):
        if not has_perm(request.user, self.model, "view"):
            # No view grant at all: the page is not this user's (a grant that matches no
            # record still shows the page, with an empty table).
            raise PermissionDenied("没有查看权限")
        if request.GET.get("export") == "xlsx":
            return self.export(request)
        filterset = self.filterset(request.GET or None, queryset=self.get_queryset(), request=request)
        self.current_filterset = filterset  # for extra_context, which need not build another
        queryset = filterset.qs
        table = self.table(queryset, user=request.user)
        BoundedRequestConfig(request, self.per_page).configure(table)
        context = {
            **self.base_context(),
            "filterset": filterset,
            "filter_form": filterset.form,
            "table": table,
            "total": table.paginator.count if hasattr(table, "paginator") else len(queryset),
            "table_template_name": self.table_template_name,
            **self.extra_context(queryset),
        }
        if htmx_partial(request):
            return render(request, self.table_template_name, context)
        return render(request, self.template_name, context)

    def export_sheet(self, request):
        """The export's rows (the filtered list, restricted with ``export``) and its title."""
        from .excel import table_rows

        params = request.GET.copy()
        params.pop("export", None)
        base = restrict(self.get_queryset(), request.user, "export")
        filterset = self.filterset(params or None, queryset=base, request=request)
        table = self.table(filterset.qs, user=request.user, exporting=True)
        return table_rows(table), str(self.model._meta.verbose_name_plural)

    def export(self, request):
        """The filtered list as Excel; more than ``YUANQU_BACKGROUND_EXPORT_ROWS`` rows are
        written by the worker and the user is sent to the job's page."""
        from .excel import export_xlsx

        if not has_perm(request.user, self.model, "export"):
            raise PermissionDenied("没有导出权限")
        params = request.GET.copy()
        params.pop("export", None)
        base = restrict(self.get_queryset(), request.user, "export")
        filterset = self.filterset(params or None, queryset=base, request=request)
        plural = str(self.model._meta.verbose_name_plural)
        total = filterset.qs.count()
        if total > settings.YUANQU_BACKGROUND_EXPORT_ROWS:
            from yuanqu.jobs.tasks import start_export

            job = start_export(
                request, self.model._meta.label_lower, plural, dict(request.GET.lists()), total
            )
            messages.info(request, f"共 {total} 行，已转为后台导出，完成后可在本页下载。")
            return redirect(job.get_absolute_url())
        table = self.table(filterset.qs, user=request.user, exporting=True)
        return export_xlsx(request, title=plural, model=self.model, table=table, filters=params.dict())


class ObjectView(BaseObjectView):
    """One record's page, with its history."""

    template_name = None

    def get_object(self, pk):
        return get_object_or_404(self.restricted("view"), pk=pk)

    def extra_context(self, obj):
        return {}

    def get(self, request, pk):
        obj = self.get_object(pk)
        user = request.user
        context = {
            **self.base_context(),
            "object": obj,
            "can_change": restrict(self.queryset.filter(pk=obj.pk), user, "change").exists(),
            "can_delete": restrict(self.queryset.filter(pk=obj.pk), user, "delete").exists(),
            "history": history_for(obj)[:100],
            **self.extra_context(obj),
        }
        return render(request, self.template_name or "generic/object.html", context)


class ObjectEditView(BaseObjectView):
    """Create (no pk) or edit a record, with the child rows of an inline formset when one is
    set (a task's milestones); the saved record must stay within the user's grant.

    An edit form carries the version of the record it showed (``concurrency.VERSION_FIELD``,
    hidden); a save from a page opened before someone else's change (or with no version) is
    refused with who changed what, nothing written. The form is shown again with the user's
    input, the other person's values in the fields the user left alone, and the current
    version, so a second 保存, made knowingly, goes through without putting old values back.
    A page with child rows (an inline formset) counts their changes too."""

    form = None
    formset = None  # an inline formset class for child rows, saved in the same transaction
    formset_prefix = "items"
    template_name = "generic/object_edit.html"
    outside_grant_message = "保存后的记录超出了您的权限范围（例如不属于本部门），未保存。"

    def get_form_class(self):
        return self.form

    def get_form_kwargs(self, obj):
        return {"instance": obj, "user": self.request.user}

    def get_formset(self, obj, data=None):
        if self.formset is None:
            return None
        return self.formset(data=data, instance=obj, prefix=self.formset_prefix)

    def get_object(self, pk):
        if pk is None:
            if not has_perm(self.request.user, self.model, "add"):
                raise PermissionDenied("没有新建权限")
            return self.model()
        return get_object_or_404(self.restricted("change"), pk=pk)

    def initial(self, obj):
        return {}

    def check_together(self, form, formset) -> bool:
        """Rules across the form and its formset (add the errors to them); True when valid."""
        return True

    def saved_message(self, saved, is_new) -> str:
        return f"已{'新建' if is_new else '保存'}{self.model._meta.verbose_name}“{saved}”。"

    def add_version_field(self, form, obj, formset, version=None):
        """The hidden input holding the record's version: the current one on a new page; on
        a form shown again, the one posted (a form error changes nothing) or, after a refused
        stale save, ``version`` — the one the user has now been shown."""
        if obj.pk is None:
            return
        form.fields[VERSION_FIELD] = forms.CharField(widget=forms.HiddenInput, required=False)
        if version is not None:
            form.data = form.data.copy()
            form.data[form.add_prefix(VERSION_FIELD)] = str(version)
        elif not form.is_bound:
            form.initial[VERSION_FIELD] = version_of(obj, children=formset is not None)

    def render_form(self, request, obj, form, formset=None):
        formset = formset if formset is not None else self.get_formset(obj)
        if VERSION_FIELD not in form.fields:
            self.add_version_field(form, obj, formset)
        context = {
            **self.base_context(),
            "object": obj,
            "form": form,
            "formset": formset,
            "is_new": obj.pk is None,
        }
        return render(request, self.template_name, context)

    def get(self, request, pk=None):
        obj = self.get_object(pk)
        form = self.get_form_class()(
            initial=self.initial(obj) if obj.pk is None else None, **self.get_form_kwargs(obj)
        )
        return self.render_form(request, obj, form)

    def post(self, request, pk=None):
        obj = self.get_object(pk)
        is_new = obj.pk is None
        form = self.get_form_class()(data=request.POST, files=request.FILES, **self.get_form_kwargs(obj))
        formset = self.get_formset(obj, request.POST)
        valid = form.is_valid() and (formset is None or formset.is_valid())
        if valid and self.check_together(form, formset):
            try:
                with transaction.atomic():
                    if not is_new:
                        posted = request.POST.get(form.add_prefix(VERSION_FIELD))
                        check_version(obj, posted, request.user, children=formset is not None)
                    saved = form.save()
                    if formset is not None:
                        formset.instance = saved
                        formset.save()
                    ensure_within_grant(saved, request.user, "add" if is_new else "change", self.queryset)
            except StaleRecord as stale:
                form.add_error(None, stale.message)
                if stale.since is not None:
                    fresh = get_object_or_404(self.restricted("change"), pk=obj.pk)
                    take_untouched(
                        form, self.get_form_class()(**self.get_form_kwargs(fresh)), fresh, stale.since
                    )
                self.add_version_field(form, obj, formset, stale.version)
            except OutsideGrant:
                form.add_error(None, self.outside_grant_message)
            else:
                messages.success(request, self.saved_message(saved, is_new))
                return redirect(saved.get_absolute_url())
        return self.render_form(request, obj, form, formset)


class ObjectDeleteView(BaseObjectView):
    template_name = "generic/object_delete.html"

    def get(self, request, pk):
        obj = get_object_or_404(self.restricted("delete"), pk=pk)
        return render(request, self.template_name, {**self.base_context(), "object": obj})

    def post(self, request, pk):
        obj = get_object_or_404(self.restricted("delete"), pk=pk)
        name = str(obj)
        try:
            with transaction.atomic():
                obj.delete()
        except ProtectedError:
            messages.error(request, f"“{name}”仍被其他记录引用，不能删除。")
            return redirect(obj.get_absolute_url())
        messages.success(request, f"已删除{self.model._meta.verbose_name}“{name}”。")
        parent = obj.changelog_parent() if hasattr(obj, "changelog_parent") else None
        return redirect(parent.get_absolute_url() if parent else reverse(url_name(self.model, "list")))
