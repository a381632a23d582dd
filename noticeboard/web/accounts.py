"""The workbench's accounts, for the CLI's `noticeboard user`: a name, its roles (Django groups named
by role) and a password that Django stores hashed. Each call brings the tables up to date first."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .. import desk
from .settings import WorkbenchError, configure, migrate

ROLE_SEPARATORS = re.compile(r"[,，、\s]+")


class AccountError(WorkbenchError):
    """A request the accounts cannot carry out, said in plain Chinese."""


@dataclass
class Account:
    name: str
    roles: list[str]
    last_login: str | None  # local time, as text


def _ready(root: Path) -> None:
    from django.utils import translation

    configure(root)
    migrate()
    translation.activate("zh-hans")  # the password validators speak the language active when they run


def split_roles(given: list[str] | tuple[str, ...]) -> list[str]:
    """``--role 初审 --role 审核`` and ``--role 初审,审核`` and ``--role 初审、审核`` alike."""
    roles: list[str] = []
    for item in given:
        roles += [r for r in ROLE_SEPARATORS.split(item) if r and r not in roles]
    return roles


def check_roles(root: Path, roles: list[str]) -> list[str]:
    known = desk.roles(root)
    unknown = [r for r in roles if r not in known]
    if not roles:
        raise AccountError(f"noticeboard: 错误: 至少要给一个角色（--role），可用的角色有：{'、'.join(known)}。")
    if unknown:
        raise AccountError(
            f"noticeboard: 错误: 没有「{'、'.join(unknown)}」这个角色。这个工作区的角色有：{'、'.join(known)}。"
            "审核角色来自 noticeboard.yaml 的 reviews。"
        )
    return roles


def password_problems(name: str, password: str) -> list[str]:
    """Django's validators (length, common passwords, all digits, too like the name), in Chinese."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    try:
        validate_password(password, get_user_model()(username=name))
    except ValidationError as exc:
        return list(exc.messages)
    return []


def add_user(root: Path, name: str, roles: list[str], password: str) -> bool:
    """Creates the account, or for a name that exists sets its roles and password anew (how a 管理员
    resets a forgotten password). True: a new account."""
    _ready(root)
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db import transaction

    name = name.strip()
    if not name or len(name) > 150 or ROLE_SEPARATORS.search(name) or "/" in name:
        raise AccountError("noticeboard: 错误: 名字不能为空、不能有空格或逗号，最多150个字。")
    roles = check_roles(root, split_roles(roles))
    problems = password_problems(name, password)
    if problems:
        raise AccountError("noticeboard: 错误: 密码不能用：" + "".join(problems))
    users = get_user_model()
    with transaction.atomic():
        user = users.objects.filter(username=name).first()
        created = user is None
        if user is None:
            user = users(username=name)
        user.set_password(password)
        user.save()
        user.groups.set([Group.objects.get_or_create(name=role)[0] for role in roles])
    return created


def list_users(root: Path) -> list[Account]:
    _ready(root)
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    accounts = []
    for user in get_user_model().objects.order_by("username").prefetch_related("groups"):
        last = timezone.localtime(user.last_login).strftime("%Y-%m-%d %H:%M") if user.last_login else None
        accounts.append(Account(user.username, sorted(g.name for g in user.groups.all()), last))
    return accounts


def remove_user(root: Path, name: str) -> None:
    _ready(root)
    from django.contrib.auth import get_user_model

    deleted, _ = get_user_model().objects.filter(username=name).delete()
    if not deleted:
        names = "、".join(a.name for a in list_users(root)) or "（还没有账号）"
        raise AccountError(f"noticeboard: 错误: 没有叫「{name}」的账号。现有账号：{names}。")


def any_account(root: Path) -> bool:
    _ready(root)
    from django.contrib.auth import get_user_model

    return get_user_model().objects.exists()
