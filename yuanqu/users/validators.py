from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError


class CharacterClassValidator:
    """At least N of four classes: lower case, upper case, digits, other characters."""

    def __init__(self, min_classes=3):
        self.min_classes = min_classes

    def classes(self, password):
        return sum(
            [
                any(c.islower() for c in password),
                any(c.isupper() for c in password),
                any(c.isdigit() for c in password),
                any(not c.isalnum() for c in password),
            ]
        )

    def validate(self, password, user=None):
        if self.classes(password) < self.min_classes:
            raise ValidationError(
                f"密码须包含小写字母、大写字母、数字、符号四类中的至少{self.min_classes}类",
                code="password_too_simple",
            )

    def get_help_text(self):
        return f"密码须包含小写字母、大写字母、数字、符号四类中的至少{self.min_classes}类。"


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's length rule with a Chinese message: Django 5.2 changed the message's msgid
    and its zh-hans catalogue still has the old one, so the user would read English."""

    def get_error_message(self):
        return f"密码太短，至少需要{self.min_length}个字符"

    def get_help_text(self):
        return f"密码至少需要{self.min_length}个字符。"


class MaximumLengthValidator:
    """A password no longer than N characters: hashing a very long one costs the server,
    and nobody types one."""

    def __init__(self, max_length=128):
        self.max_length = max_length

    def validate(self, password, user=None):
        if len(password) > self.max_length:
            raise ValidationError(
                f"密码太长，最多{self.max_length}个字符（现有{len(password)}个）", code="password_too_long"
            )

    def get_help_text(self):
        return f"密码最多{self.max_length}个字符。"
