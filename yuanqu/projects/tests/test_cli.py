"""``yuanqu projects --period 2023-10 --json``."""

import io
import json

import pytest
from django.core.management import CommandError, call_command


def run(*args):
    out = io.StringIO()
    call_command("projects", *args, stdout=out)
    return out.getvalue()


def test_json_rows(on_track, far_behind):
    rows = json.loads(run("--period", "2023-10", "--json"))
    assert rows == [
        {
            "code": "ZD2023-001",
            "name": "高纯多晶硅项目",
            "level": "district",
            "annual_plan": 1200.0,
            "ytd": 1000.0,
            "completion": 0.8333,
            "time_progress": 0.8333,
            "light": "green",
            "reason": "",
        },
        {
            "code": "ZD2023-002",
            "name": "光伏组件项目",
            "level": "district",
            "annual_plan": 1200.0,
            "ytd": 400.0,
            "completion": 0.3333,
            "time_progress": 0.8333,
            "light": "red",
            "reason": "完成投资400万元，序时应完成1,000万元，落后序时进度50.0个百分点",
        },
    ]


def test_text_output_and_bad_period(on_track):
    assert "ZD2023-001 高纯多晶硅项目" in run("--period", "2023-10")
    with pytest.raises(CommandError, match="月份“2023-13”格式不对"):
        run("--period", "2023-13")
