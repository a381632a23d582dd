from __future__ import annotations

from typing import ClassVar

from django.db import models


class AuditEntry(models.Model):
    """One thing someone did. The user is kept as text, not a foreign key: the log must still say
    who signed after their account is removed."""

    when = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    user = models.CharField("用户", max_length=150, blank=True)
    action = models.CharField("操作", max_length=40)
    notice = models.CharField("公示", max_length=200, blank=True)
    detail = models.TextField("说明", blank=True)

    class Meta:
        ordering: ClassVar = ["-when", "-id"]
        verbose_name = "审计记录"
        verbose_name_plural = "审计日志"

    def __str__(self) -> str:
        return f"{self.when:%Y-%m-%d %H:%M} {self.user} {self.action} {self.notice}"
