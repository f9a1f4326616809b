"""``yuanqu seed-demo [--enterprises N] [--seed S]``: build the demo zone once."""

import time

from django.core.management.base import BaseCommand, CommandError

from yuanqu.demands.demo import generate_demands
from yuanqu.economy.demo import generate_economy
from yuanqu.enterprises import demo
from yuanqu.evaluation.demo import generate_evaluation
from yuanqu.investment.demo import generate_investment
from yuanqu.projects.demo import generate_projects
from yuanqu.supervision.demo import generate_supervision


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
        generate_economy()  # monthly reports and targets of the 规上 enterprises; skipped when present
        generate_evaluation()  # 亩均 evaluation of the last two full years; skipped when present
        generate_demands()  # about 1,100 demands over the last year; skipped when demands exist
        generate_projects()  # about 80 key projects with this year's monthly progress; skipped when present
        generate_supervision()  # about 60 supervised tasks and a rectification list; skipped when present
        generate_investment()  # about 150 leads over two years; skipped when leads exist
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
