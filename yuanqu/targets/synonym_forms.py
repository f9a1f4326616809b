"""The form of a synonym (指标别名): another name for a catalogue figure, picked from the
catalogue."""

from django import forms

from yuanqu.figures.forms import figure_choices
from yuanqu.utilities.forms import BaseModelForm

from .models import Synonym


class SynonymForm(BaseModelForm):
    figure = forms.ChoiceField(
        label="数据项",
        choices=figure_choices,
        help_text="导入目标责任书时，指标名称为该别名的行按此数据项计算完成情况",
    )

    class Meta:
        model = Synonym
        fields = ["name", "figure"]
        help_texts = {"name": "目标责任书或报表中对该数据项的其他叫法，如 GDP、FDI"}

    def clean_name(self):
        return self.cleaned_data["name"].strip()
