"""The ``yuanqu`` console script.

``yuanqu demo`` and ``yuanqu serve`` are handled here; everything else is a Django
management command (``yuanqu migrate``, ``yuanqu import enterprises FILE`` …).
"""

import argparse
import os
import sys

# Commands whose console name differs from the Django command module.
ALIASES = {"seed-demo": "seed_demo", "check-draft": "check_draft"}


def _setup(debug_default: str | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yuanqu.settings")
    if debug_default is not None:
        os.environ.setdefault("YUANQU_DEBUG", debug_default)
    import django

    django.setup()


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
    return _serve(args.host, args.port, workers=2)


def serve(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="yuanqu serve", description="启动 yuanqu 服务（gunicorn）")
    parser.add_argument("--host", default=os.environ.get("YUANQU_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("YUANQU_PORT", "8000")))
    parser.add_argument("--workers", type=int, default=int(os.environ.get("YUANQU_WORKERS", "2")))
    args = parser.parse_args(argv)
    _setup()
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
