"""目标管理考核 gets a fifth component, 目标完成. Existing periods keep their four weights (which
add up to 100) and get a target weight of 0; existing scores a target score of 0. New periods
default to 30/15/20/15/20."""

from decimal import Decimal

from django.db import migrations, models


def weight(label, default, **kwargs):
    return models.DecimalField(decimal_places=2, default=default, max_digits=5, verbose_name=label, **kwargs)


TARGET_HELP = "按责任单位的年度目标亮灯计算：（绿灯数 + 0.5 × 黄灯数）÷ 亮灯目标数"


class Migration(migrations.Migration):
    dependencies = [
        ("supervision", "0002_task_editing_urges_assessment"),
    ]

    operations = [
        # Added at 0 so that the existing rows keep their totals, then the default for new periods.
        migrations.AddField(
            model_name="assessmentperiod",
            name="weight_targets",
            field=weight("目标完成率权重", Decimal(0), help_text=TARGET_HELP),
        ),
        migrations.AlterField(
            model_name="assessmentperiod",
            name="weight_targets",
            field=weight("目标完成率权重", 20, help_text=TARGET_HELP),
        ),
        migrations.AlterField(
            model_name="assessmentperiod", name="weight_tasks", field=weight("任务按时完成率权重", 30)
        ),
        migrations.AlterField(
            model_name="assessmentperiod", name="weight_reports", field=weight("按时报送率权重", 15)
        ),
        migrations.AlterField(
            model_name="assessmentperiod",
            name="weight_demands_satisfied",
            field=weight("诉求满意率权重", 15),
        ),
        migrations.AddField(
            model_name="assessmentscore",
            name="target_rate",
            field=models.DecimalField(decimal_places=1, max_digits=5, null=True, verbose_name="目标完成率"),
        ),
        migrations.AddField(
            model_name="assessmentscore",
            name="target_score",
            field=models.DecimalField(decimal_places=2, default=Decimal(0), max_digits=6, verbose_name="目标得分"),
            preserve_default=False,
        ),
    ]
