"""``yuanqu worker``: run the background jobs (django-tasks' database backend) until stopped.

``--once`` runs what is queued and exits (the tests, a cron line). On start and then at most
once a minute between batches the worker sweeps (``sweep_jobs``): a job left 进行中 by a
worker that was killed (no heartbeat for ``YUANQU_JOB_STALE_MINUTES``, 10) ends as 未完成,
and the files of jobs older than ``YUANQU_JOB_KEEP_DAYS`` (7) go, the jobs showing 已过期.
Stop it with Ctrl+C or SIGTERM: a running job finishes first (twice: at once).
"""

import time

from django.core.management.base import BaseCommand
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker

from yuanqu.jobs.tasks import sweep_jobs

SWEEP_SECONDS = 60


class Command(BaseCommand):
    help = "运行后台任务（大批量导入、导出，生成材料），直到停止；--once 执行完排队的任务后退出"

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="执行完排队的任务后退出")
        parser.add_argument(
            "--interval", type=float, default=1.0, help="队列为空时每隔几秒查看一次（默认 1）"
        )

    def handle(self, *args, once=False, interval=1.0, **options):
        worker = Worker(
            queue_names=["*"],
            interval=0.2,
            batch=True,  # returns when the queue is empty; the loop below waits and looks again
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id=get_random_string(32),
            excluded_queue_names=[],
        )
        if not once:
            worker.configure_signals()
            self.stdout.write("后台任务进程已启动（Ctrl+C 停止）")
        swept = None
        while True:
            if swept is None or time.monotonic() - swept >= SWEEP_SECONDS:
                ended, expired = sweep_jobs()
                if ended:
                    self.stdout.write(f"{ended} 个后台任务因处理进程停止而中断，已标记为未完成")
                if expired and options.get("verbosity", 1) > 1:
                    self.stdout.write(f"已清除 {expired} 个过期后台任务的文件")
                swept = time.monotonic()
            worker.run()
            if once or not worker.running:
                return
            time.sleep(interval)
