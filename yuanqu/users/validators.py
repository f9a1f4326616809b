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
