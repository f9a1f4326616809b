"""``yuanqu seed-demo [--enterprises N] [--seed S]``: build the demo zone once.

The zone, its enterprises and accounts come from this app's ``demo.py``; every other module
adds its data through the generator it registers (``yuanqu.registry.register_demo``), run in
the registered order. Each generator skips itself when its data are already there.
"""

import time

from django.core.management.base import BaseCommand, CommandError

from yuanqu.enterprises import demo
from yuanqu.registry import demo_generators


class Command(BaseCommand):
    help = "生成演示园区（示范高新技术产业开发区）及其企业、资质、规上记录和演示账号；已存在时不重复生成"

    def add_arguments(self, parser):
        parser.add_argument(
            "--enterprises", type=int, default=demo.DEFAULT_ENTERPRISES, help="企业数量（默认 600）"
        )
        parser.add_argument(
            "--seed", type=int, default=demo.DEFAULT_SEED, help="随机种子（相同种子生成相同数据）"
        )

    def handle(self, *args, **options):
        if options["enterprises"] < 1:
            raise CommandError("--enterprises 企业数量至少为1")
        started = time.perf_counter()
        summary = demo.generate(options["enterprises"], options["seed"])
        if summary is None:
            self.stdout.write(f"演示数据已存在（{demo.PARK_NAME}），未重复生成。")
            return
        for generator in demo_generators():
            generator.run()
        seconds = time.perf_counter() - started
        # Counted after every module has added its accounts (督查人员 comes with supervision),
        # from the same list the login table prints.
        accounts = len(demo.demo_logins())
        self.stdout.write(
            self.style.SUCCESS(
                f"已生成演示园区“{demo.PARK_NAME}”：企业 {summary.enterprises} 家，联系人 {summary.contacts} 人，"
                f"资质 {summary.qualifications} 条，规上记录 {summary.scale_records} 条，"
                f"账号 {accounts} 个，用时 {seconds:.1f} 秒。"
            )
        )
