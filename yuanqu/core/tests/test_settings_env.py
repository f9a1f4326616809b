"""The real ``yuanqu`` console script with a cleaned environment: every console command runs
on a local install with no environment at all (the secret key is generated into the var
directory once and reused), while production serving — ``yuanqu serve`` and gunicorn on
``yuanqu.wsgi`` — refuses to start without its own settings, with one Chinese line."""

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

import yuanqu
from yuanqu.settings import local_field_key, local_secret_key

pytestmark = pytest.mark.engine_free

BIN = Path(sys.executable).parent
ROOT = Path(yuanqu.__file__).resolve().parent.parent  # the code under test, not an installed copy
PRINT_KEY = ["shell", "--no-imports", "-c", "from django.conf import settings; print(settings.SECRET_KEY)"]
FIELD_KEY = "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWY="  # base64 of 32 bytes
PRODUCTION = {
    "YUANQU_SECRET_KEY": "k" * 60,
    "YUANQU_ALLOWED_HOSTS": "yuanqu.example.gov.cn",
    "YUANQU_FIELD_KEY": FIELD_KEY,
}


def clean_env(tmp_path, **extra):
    """Nothing of the caller's environment but PATH: no settings module, no database."""
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "PYTHONPATH": str(ROOT),
        "YUANQU_VAR_DIR": str(tmp_path / "var"),
        **extra,
    }


def run(tmp_path, program, *args, **extra):
    return subprocess.run(
        [str(BIN / program), *args],
        env=clean_env(tmp_path, **extra),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )


def yuanqu_cli(tmp_path, *args, **extra):
    return run(tmp_path, "yuanqu", *args, **extra)


def one_line(result):
    """The refusal: exactly one line on stderr, nothing on stdout, no traceback."""
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_console_commands_run_without_any_environment(tmp_path):
    checked = yuanqu_cli(tmp_path, "check")
    assert checked.returncode == 0, checked.stderr
    assert "System check identified no issues" in checked.stdout
    key_file = tmp_path / "var" / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    key = key_file.read_text().strip()
    assert len(key) >= 50
    # Reused after: the next command signs with the same key, and leaves no temporary file.
    printed = yuanqu_cli(tmp_path, *PRINT_KEY)
    assert printed.returncode == 0, printed.stderr
    assert printed.stdout.strip() == key
    assert sorted(p.name for p in (tmp_path / "var").iterdir() if "secret" in p.name) == ["secret_key"]


def test_first_runs_at_the_same_time_agree_on_one_key(tmp_path):
    runs = [
        subprocess.Popen(
            # Only the settings, not the apps: the race is in reading them.
            [sys.executable, "-c", "from yuanqu.settings import SECRET_KEY; print(SECRET_KEY)"],
            env=clean_env(tmp_path),
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    keys = set()
    for process in runs:
        out, err = process.communicate(timeout=60)
        assert process.returncode == 0, err
        keys.add(out.strip())
    assert keys == {(tmp_path / "var" / "secret_key").read_text().strip()}


def test_an_environment_key_wins_over_the_local_file(tmp_path):
    printed = yuanqu_cli(tmp_path, *PRINT_KEY, YUANQU_SECRET_KEY="e" * 60)
    assert printed.returncode == 0, printed.stderr
    assert printed.stdout.strip() == "e" * 60
    assert not (tmp_path / "var" / "secret_key").exists()


def test_serve_refuses_without_the_production_settings(tmp_path):
    refused = yuanqu_cli(tmp_path, "serve")
    assert refused.returncode == 2
    line = one_line(refused)
    assert line.startswith(
        "yuanqu：生产环境启动服务须设置环境变量 YUANQU_SECRET_KEY、YUANQU_ALLOWED_HOSTS、DATABASE_URL"
    )
    # Only what is missing is named.
    partly = yuanqu_cli(
        tmp_path,
        "serve",
        YUANQU_SECRET_KEY="k" * 60,
        DATABASE_URL="sqlite:///x.sqlite3",
        YUANQU_FIELD_KEY=FIELD_KEY,
    )
    assert partly.returncode == 2
    assert "须设置环境变量 YUANQU_ALLOWED_HOSTS（" in one_line(partly)


def test_serve_refuses_without_the_personal_data_key(tmp_path):
    """Production never encrypts personal data with a key made up on the spot."""
    refused = yuanqu_cli(
        tmp_path,
        "serve",
        YUANQU_SECRET_KEY="k" * 60,
        YUANQU_ALLOWED_HOSTS="yuanqu.example.gov.cn",
        DATABASE_URL="sqlite:///x.sqlite3",
    )
    assert refused.returncode == 2
    assert one_line(refused).startswith("yuanqu：生产环境启动服务须设置环境变量 YUANQU_FIELD_KEY（")


def test_a_field_key_that_is_no_32_byte_key_is_named(tmp_path):
    refused = yuanqu_cli(tmp_path, "check", YUANQU_FIELD_KEY="not-a-key")
    assert refused.returncode == 2
    assert one_line(refused).startswith(
        "yuanqu：环境变量 YUANQU_FIELD_KEY 应为 base64 编码的 32 字节密钥（可用 openssl rand -base64 32 生成）"
    )
    old = yuanqu_cli(tmp_path, "check", YUANQU_FIELD_KEY=FIELD_KEY, YUANQU_FIELD_KEYS_OLD="c2hvcnQ=")
    assert old.returncode == 2
    assert "环境变量 YUANQU_FIELD_KEYS_OLD 中的一项 应为 base64 编码的 32 字节密钥" in one_line(old)


def test_a_local_install_generates_its_field_key_once(tmp_path):
    first = local_field_key(tmp_path)
    assert len(first) == 32 and local_field_key(tmp_path) == first
    assert stat.S_IMODE((tmp_path / "field_key").stat().st_mode) == 0o600


def test_gunicorn_on_the_wsgi_module_refuses_and_halts(tmp_path):
    refused = run(tmp_path, "gunicorn", "--bind", "127.0.0.1:0", "--workers", "1", "yuanqu.wsgi")
    assert refused.returncode == 4  # “App failed to load”: gunicorn halts, it does not respawn
    assert "Traceback" not in refused.stderr
    assert (
        "yuanqu：生产环境启动服务须设置环境变量 YUANQU_SECRET_KEY、YUANQU_ALLOWED_HOSTS、DATABASE_URL"
        in refused.stderr
    )


def test_the_wsgi_application_loads_with_the_production_settings(tmp_path):
    database = f"sqlite:///{tmp_path / 'prod.sqlite3'}"
    loaded = run(
        tmp_path, "python", "-c", "import yuanqu.wsgi; print('已加载')", DATABASE_URL=database, **PRODUCTION
    )
    assert loaded.returncode == 0, loaded.stderr
    assert loaded.stdout.strip() == "已加载"
    # Debug serving (the demo, development) needs none of them.
    debug = run(tmp_path, "python", "-c", "import yuanqu.wsgi; print('已加载')", YUANQU_DEBUG="true")
    assert debug.returncode == 0, debug.stderr


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("YUANQU_DEBUG", "maybe", "yuanqu：环境变量 YUANQU_DEBUG 应为 true 或 false，现为“maybe”"),
        ("YUANQU_LOGIN_MAX_FAILURES", "五", "yuanqu：环境变量 YUANQU_LOGIN_MAX_FAILURES 应为整数，现为“五”"),
        (
            "YUANQU_TARGET_TOLERANCE_PP",
            "-1",
            "yuanqu：环境变量 YUANQU_TARGET_TOLERANCE_PP 应为不小于 0 的数值，现为“-1”",
        ),
        ("DATABASE_URL", "mysq://x", "yuanqu：环境变量 DATABASE_URL 无法识别"),
    ],
)
def test_a_bad_value_stops_the_console_with_one_chinese_line(tmp_path, variable, value, message):
    refused = yuanqu_cli(tmp_path, "check", **{variable: value})
    assert refused.returncode == 2
    assert one_line(refused).startswith(message)


def test_a_bad_port_for_serve_is_named(tmp_path):
    refused = yuanqu_cli(tmp_path, "serve", YUANQU_PORT="八千")
    assert refused.returncode == 2
    assert one_line(refused) == "yuanqu：环境变量 YUANQU_PORT 应为整数，现为“八千”"


def test_a_truncated_key_file_is_refused_not_used(tmp_path):
    (tmp_path / "secret_key").write_text("short\n")
    with pytest.raises(ImproperlyConfigured, match="内容不完整"):
        local_secret_key(tmp_path)
    fresh = tmp_path / "fresh"
    assert local_secret_key(fresh) == local_secret_key(fresh)


def test_pooling_settings_are_read_from_the_environment(tmp_path):
    shown = run(
        tmp_path,
        "python",
        "-c",
        "from yuanqu import settings as s; d = s.DATABASES['default'];"
        " print(d['CONN_MAX_AGE'], d['DISABLE_SERVER_SIDE_CURSORS'])",
        YUANQU_DB_CONN_MAX_AGE="0",
        YUANQU_DB_DISABLE_SERVER_SIDE_CURSORS="true",
    )
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.split() == ["0", "True"]
