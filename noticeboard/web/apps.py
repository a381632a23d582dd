from __future__ import annotations

from django.apps import AppConfig


class WorkbenchConfig(AppConfig):
    name = "noticeboard.web"
    label = "workbench"
    verbose_name = "公开栏工作台"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import audit

        audit.connect()
