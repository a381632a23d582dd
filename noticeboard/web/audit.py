"""The audit log (SPEC §4): every sign-in, failed sign-in, sign-out, and everything that changes a
notice or prints it. Written by the views, and by Django's auth signals for signing in and out."""

from __future__ import annotations

SIGN_IN = "登录"
SIGN_IN_FAILED = "登录失败"
SIGN_OUT = "退出"
NEW = "新建公示"
EDIT = "修改公示"
UPLOAD = "上传数据表"
CELL = "改正单元格"
SIGN = "签批"
BUILD = "正式生成"


def record(user: str, action: str, notice: str = "", detail: str = "") -> None:
    from .models import AuditEntry

    AuditEntry.objects.create(user=user[:150], action=action, notice=notice[:200], detail=detail)


def _signed_in(sender, request, user, **kwargs) -> None:
    record(user.get_username(), SIGN_IN, detail=_address(request))


def _signed_out(sender, request, user, **kwargs) -> None:
    if user is not None:
        record(user.get_username(), SIGN_OUT, detail=_address(request))


def _failed(sender, credentials, request=None, **kwargs) -> None:
    record(str(credentials.get("username", "")), SIGN_IN_FAILED, detail=_address(request))


def _address(request) -> str:
    return f"来自 {request.META.get('REMOTE_ADDR', '')}" if request is not None else ""


def connect() -> None:
    from django.contrib.auth import signals

    signals.user_logged_in.connect(_signed_in, dispatch_uid="workbench-audit-in")
    signals.user_logged_out.connect(_signed_out, dispatch_uid="workbench-audit-out")
    signals.user_login_failed.connect(_failed, dispatch_uid="workbench-audit-failed")
