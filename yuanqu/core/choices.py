from django.db import models
from django.utils.translation import gettext_lazy as _


class ChangeAction(models.TextChoices):
    CREATE = "create", _("新建")
    UPDATE = "update", _("修改")
    DELETE = "delete", _("删除")


class AuditEventKind(models.TextChoices):
    LOGIN = "login", _("登录成功")
    LOGIN_FAILED = "login_failed", _("登录失败")
    LOCKOUT = "lockout", _("账号锁定")
    LOGIN_LOCKED = "login_locked", _("锁定期间尝试登录")
    UNLOCK = "unlock", _("解除锁定")
    LOGOUT = "logout", _("退出登录")
    PASSWORD_CHANGED = "password_changed", _("修改密码")
    TOKEN_CREATED = "token_created", _("生成接口令牌")
    ACCOUNT_REQUESTED = "account_requested", _("账号申请")
    ACCOUNT_APPROVED = "account_approved", _("批准账号申请")
    ACCOUNT_REJECTED = "account_rejected", _("驳回账号申请")
    ADMIN_CREATED = "admin_created", _("控制台新建管理员")
    TOKEN_REJECTED = "token_rejected", _("接口令牌失效")
    SESSION_EXPIRED = "session_expired", _("会话到期")
    ADDRESS_LOCKED = "address_locked", _("来源地址锁定")
    OTP_ENROLLED = "otp_enrolled", _("绑定动态口令")
    OTP_FAILED = "otp_failed", _("动态口令错误")
    EXPORT = "export", _("导出数据")
    PERSONAL_READ = "personal_read", _("接口读取个人信息")
    REKEY = "rekey", _("重新加密个人信息")
    IMPORT = "import", _("导入数据")
    IMPORT_REJECTED = "import_rejected", _("导入被拒绝")
    TEMPLATE_DOWNLOAD = "template_download", _("下载导入模板")
    ACCESS_DENIED = "access_denied", _("越权访问")
    AUDIT_PURGE = "audit_purge", _("清理过期审计记录")
