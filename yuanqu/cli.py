"""The ``yuanqu`` console script.

``yuanqu demo`` and ``yuanqu serve`` are handled here; everything else is a Django
management command (``yuanqu migrate``, ``yuanqu import enterprises FILE`` …).

Every command runs with no environment (a local install, see ``yuanqu.settings``); serving
with ``YUANQU_DEBUG`` false refuses to start without its own settings. Either way a setting
that cannot be read stops the command with one line in Chinese and exit code 2, never a
traceback.
"""

import argparse
import os
import subprocess
import sys

# Commands whose console name differs from the Django command module.
ALIASES = {"seed-demo": "seed_demo", "check-draft": "check_draft"}
# Exit code of a refusal for want of settings (gunicorn halts when a worker exits with 4,
# “App failed to load”, instead of starting it again).
SETTINGS_ERROR = 2
APP_LOAD_ERROR = 4


def _refuse(message: str, code: int = SETTINGS_ERROR) -> None:
    sys.stderr.write(f"yuanqu：{message}\n")
    sys.stderr.flush()
    raise SystemExit(code)


def _setup(debug_default: str | None = None, code: int = SETTINGS_ERROR) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yuanqu.settings")
    if debug_default is not None:
        os.environ.setdefault("YUANQU_DEBUG", debug_default)
    import django
    from django.core.exceptions import ImproperlyConfigured

    try:
        django.setup()
    except ImproperlyConfigured as exc:
        _refuse(str(exc), code)


def require_serving(code: int = SETTINGS_ERROR) -> None:
    """Read the settings for serving, or stop with one Chinese line naming what production
    serving lacks (``settings.SERVING_MISSING``). Used by ``yuanqu serve`` and yuanqu.wsgi;
    the apps are loaded afterwards, by the WSGI application in each worker."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yuanqu.settings")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    try:
        missing = settings.SERVING_MISSING
    except ImproperlyConfigured as exc:
        _refuse(str(exc), code)
    if missing:
        _refuse(
            f"生产环境启动服务须设置环境变量 {'、'.join(missing)}"
            "（本机试用请设 YUANQU_DEBUG=true 或运行 yuanqu demo，见 docs/deployment.md）",
            code,
        )


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name) or str(default)
    try:
        return int(value)
    except ValueError:
        _refuse(f"环境变量 {name} 应为整数，现为“{value}”")


def _serve(host: str, port: int, workers: int) -> int:
    from gunicorn.app.wsgiapp import run

    sys.argv = [
        "gunicorn",
        "yuanqu.wsgi:application",
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(workers),
        "--access-logfile",
        "-",
    ]
    run()
    return 0


def demo(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="yuanqu demo", description="建立演示园区并启动服务")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--no-serve", action="store_true", help="只建库和演示数据，不启动服务")
    args = parser.parse_args(argv)
    _setup(debug_default="true")
    from django.conf import settings
    from django.core.management import call_command

    os.makedirs(settings.VAR_DIR, exist_ok=True)
    call_command("migrate", interactive=False, verbosity=0)
    call_command("seed_demo")
    call_command("collectstatic", interactive=False, verbosity=0)
    from yuanqu.enterprises.demo import print_logins

    print(f"\n演示园区已就绪：http://{args.host}:{args.port}/\n")
    print_logins(sys.stdout)
    sys.stdout.flush()
    if args.no_serve:
        return 0
    # The background worker (large imports and exports) runs beside the server and stops with it.
    worker = subprocess.Popen([sys.executable, "-m", "yuanqu.cli", "worker"])
    try:
        return _serve(args.host, args.port, workers=2)
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=10)
        except subprocess.TimeoutExpired:
            worker.kill()


def serve(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="yuanqu serve", description="启动 yuanqu 服务（gunicorn）")
    parser.add_argument("--host", default=os.environ.get("YUANQU_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=_env_int("YUANQU_PORT", 8000))
    parser.add_argument("--workers", type=int, default=_env_int("YUANQU_WORKERS", 2))
    args = parser.parse_args(argv)
    require_serving()
    return _serve(args.host, args.port, args.workers)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "manage":
        argv = argv[1:]
    if argv and argv[0] == "demo":
        return demo(argv[1:])
    if argv and argv[0] == "serve":
        return serve(argv[1:])
    if argv:
        argv[0] = ALIASES.get(argv[0], argv[0])
    _setup()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["yuanqu", *argv])
    return 0


if __name__ == "__main__":
    sys.exit(main())
