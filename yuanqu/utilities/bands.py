"""Light bands (REFERENCE §8): a rule is a list of bands [lower, upper) each giving a light;
the bands of one rule must cover the whole line exactly once (empty bounds are −∞/+∞).
Used by the project lights and the target sheet's lights."""

from decimal import Decimal

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View

from yuanqu.users.permissions import has_perm, restrict

from .concurrency import VERSION_FIELD, StaleRecord, check_set_version, set_version


def _bound(value) -> str:
    return "负无穷" if value is None else f"{value}"


def check_rules(bands, kind_label="亮灯规则") -> list:
    """The bands (objects with lower, upper, light) sorted, or a Chinese configuration error
    naming the range they leave uncovered or cover twice."""
    if not bands:
        raise ValidationError(f"{kind_label}未配置任何区间，无法亮灯")
    ordered = sorted(bands, key=lambda b: (b.lower is not None, b.lower or 0))
    if ordered[0].lower is not None:
        raise ValidationError(f"{kind_label}配置错误：小于{ordered[0].lower}的区间未覆盖")
    for band, following in zip(ordered, ordered[1:], strict=False):
        if band.upper is None:
            raise ValidationError(
                f"{kind_label}配置错误：[{_bound(band.lower)}, 正无穷)之后还有区间，区间重叠"
            )
        if following.lower is None or following.lower < band.upper:
            raise ValidationError(f"{kind_label}配置错误：{band.upper}附近的区间重叠")
        if following.lower > band.upper:
            raise ValidationError(f"{kind_label}配置错误：[{band.upper}, {following.lower})区间未覆盖")
    if ordered[-1].upper is not None:
        raise ValidationError(f"{kind_label}配置错误：大于等于{ordered[-1].upper}的区间未覆盖")
    return ordered


def band_light(bands, value: Decimal, kind_label="亮灯规则") -> str:
    """The light of the band holding ``value`` (bands checked first)."""
    for band in check_rules(bands, kind_label):
        if (band.lower is None or value >= band.lower) and (band.upper is None or value < band.upper):
            return band.light
    raise ValidationError(f"{kind_label}配置错误：{value}不在任何区间内")  # unreachable when checked


# --- editing the bands of one kind together ---------------------------------------------------


def kind_label(model, kind) -> str:
    return f"“{dict(model._meta.get_field('kind').choices)[kind]}”亮灯规则"


def band_sets(model, bands, kinds) -> list[dict]:
    """The bands of each kind with the coverage check's message ("" when the set is whole)."""
    sets = []
    for kind in kinds:
        kept = [b for b in bands if b.kind == kind]
        try:
            check_rules(kept, kind_label(model, kind))
            problem = ""
        except ValidationError as exc:
            problem = exc.messages[0]
        sets.append({"kind": kind, "bands": kept, "error": problem})
    return sets


class BandFormSet(forms.BaseModelFormSet):
    """The bands of one kind (a model with kind, lower, upper, light), checked together: they
    must cover the whole line exactly once, else nothing is saved."""

    def __init__(self, *args, kind=None, **kwargs):
        self.kind = kind
        super().__init__(*args, **kwargs)

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        bands = []
        for form in self.forms:
            if not form.has_changed() and form.instance.pk is None:
                continue
            if self.can_delete and self._should_delete_form(form):
                continue
            data = form.cleaned_data
            lower, upper = data.get("lower"), data.get("upper")
            if lower is not None and upper is not None and lower >= upper:
                raise ValidationError(f"区间[{lower}, {upper})的下限须小于上限")
            bands.append(self.model(kind=self.kind, lower=lower, upper=upper, light=data.get("light")))
        check_rules(bands, kind_label(self.model, self.kind))


def band_formset(model):
    return forms.modelformset_factory(
        model, fields=["lower", "upper", "light"], formset=BandFormSet, extra=2, can_delete=True
    )


class BandSetEditView(View):
    """All bands of one kind edited together (add, change, delete), saved only when they cover
    the whole line exactly once; otherwise the gap or overlap is the form's error and nothing
    is saved. Set ``model``, ``kinds`` (its kind choices), ``title`` and ``list_url``."""

    model = None
    kinds = None
    title = "修改亮灯规则"
    list_url = ""
    template_name = "generic/bandset_edit.html"

    def allows(self, kind=None, **kwargs):
        return kind in self.kinds.values and has_perm(self.request.user, self.model, "change")

    def dispatch(self, request, kind):
        from django.http import Http404

        if kind not in self.kinds.values:
            raise Http404("没有该类亮灯规则")
        if not has_perm(request.user, self.model, "change"):
            raise PermissionDenied("没有修改亮灯规则的权限")
        self.kind = self.kinds(kind)
        self.bands = restrict(self.model.objects.filter(kind=kind), request.user, "change")
        self.formset_class = band_formset(self.model)
        return super().dispatch(request, kind)

    def render_page(self, request, formset, version=None, stale=""):
        """``version``: the set's version the page carries (the current one on a new page, the
        posted one on a form shown again, the current one after a refused stale save)."""
        context = {
            "kind": self.kind,
            "formset": formset,
            "title": self.title,
            "list_url": reverse(self.list_url),
            "version_field": VERSION_FIELD,
            "record_version": set_version(self.model) if version is None else version,
            "stale": stale,
        }
        return render(request, self.template_name, context)

    def get(self, request, kind):
        return self.render_page(request, self.formset_class(queryset=self.bands, kind=kind))

    def post(self, request, kind):
        """Saved only when nobody changed the model's bands since the page was opened
        (``concurrency.check_set_version``); else shown again with what changed."""
        formset = self.formset_class(request.POST, queryset=self.bands, kind=kind)
        posted = request.POST.get(VERSION_FIELD, "")
        if not formset.is_valid():
            return self.render_page(request, formset, version=posted)
        new = [f for f in formset.extra_forms if f.has_changed() and not formset._should_delete_form(f)]
        if new and not has_perm(request.user, self.model, "add"):
            raise PermissionDenied("没有新增亮灯规则的权限")
        if formset.deleted_forms and not has_perm(request.user, self.model, "delete"):
            raise PermissionDenied("没有删除亮灯规则的权限")
        try:
            with transaction.atomic():
                check_set_version(
                    self.model, posted, request.user, self.model._base_manager.filter(kind=kind)
                )
                for band in formset.save(commit=False):
                    band.kind = kind
                    band.save()
                for band in formset.deleted_objects:
                    band.delete()
        except StaleRecord as stale:
            return self.render_page(request, formset, version=stale.version, stale=stale.message)
        messages.success(request, f"已保存“{self.kind.label}”亮灯规则。")
        return redirect(self.list_url)
