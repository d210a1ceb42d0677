"""`uwh portal` and `uwh users`: starting the portal and managing its accounts from the command line."""

from __future__ import annotations

import argparse
import sys
from datetime import timedelta

from core.config import Layout
from core.settings import installation_settings


def _cmd_portal(args: argparse.Namespace) -> int:
    from portal.server import serve

    settings = installation_settings()
    host, port = args.host or settings.portal_host, args.port or settings.portal_port
    print(f"报送平台：http://{host}:{port}/（Ctrl-C 停止）", flush=True)
    serve(host, port)
    return 0


def _store():
    from portal.accounts import AccountStore

    return AccountStore(Layout.from_env().ensure().portal / "accounts.sqlite")


def _link(username: str, purpose: str) -> str:
    settings = installation_settings()
    token = _store().issue_link(username, purpose, timedelta(hours=settings.invitation_hours))
    return f"{settings.portal_address}/invite/{token}"


def _cmd_users(args: argparse.Namespace) -> int:
    from ingest.tenants import load_tenants
    from portal.accounts import ROLE_ZH, AccountError, Role

    store = _store()
    hours = installation_settings().invitation_hours
    try:
        if args.action == "list":
            for u in store.users():
                print(
                    f"{u.username}\t{ROLE_ZH[u.role]}\t{u.district_code or ''}\t{u.display_name}\t{'启用' if u.active else '已停用'}"
                )
            return 0
        if args.action == "add":
            role = Role.DISTRICT if args.district else (Role.ADMIN if args.admin else Role.CITY)
            if args.district and args.district not in load_tenants(Layout.from_env().registry):
                raise AccountError(f"区县代码 {args.district} 不在登记名册中（uwh tenants 列出全部区县）")
            store.add_user(args.username, role, district_code=args.district, display_name=args.name or "")
            print(
                f"已新建账号 {args.username}（{ROLE_ZH[role]}）。请把下面的邀请链接发给本人（{hours:g}小时内有效，仅可使用一次）："
            )
            print(_link(args.username, "invite"))
            return 0
        if store.user(args.username) is None:
            raise AccountError(f"没有用户 {args.username}（uwh users list 列出全部账号）")
        if args.action == "reset":
            print(f"{args.username} 的重置密码链接（{hours:g}小时内有效，仅可使用一次）：")
            print(_link(args.username, "reset"))
        else:
            store.set_active(args.username, args.action == "enable")
            print(f"账号 {args.username} 已{'启用' if args.action == 'enable' else '停用（已登录的会话同时失效）'}。")
        return 0
    except AccountError as exc:
        print(f"未执行：{exc}", file=sys.stderr)
        return 2


def add_portal_commands(sub) -> None:
    p = sub.add_parser(
        "portal",
        help="start the web portal for districts and the city (127.0.0.1 by default)",
        description="启动报送平台（区县上传、检查、报送；市总工会查看报送情况）。默认只在本机 127.0.0.1 上提供服务。",
        epilog="例：uwh portal --port 8770   |   在反向代理后：uwh portal --host 127.0.0.1 --port 9000",
    )
    p.add_argument("--host", help="address to listen on (default: 127.0.0.1)")
    p.add_argument("--port", type=int, help="port (default: 8770)")
    p.set_defaults(func=_cmd_portal)

    p = sub.add_parser(
        "users",
        help="portal accounts: list, add (prints an invitation link), disable, enable, reset",
        description="管理报送平台账号。新建和重置密码都给出一次性链接（过期失效），不在命令行传递密码。",
        epilog="例：uwh users add zhuhui01 --district 430405 --name 张三   |   uwh users reset zhuhui01   |   uwh users list",
    )
    p.add_argument("action", choices=["list", "add", "disable", "enable", "reset"])
    p.add_argument("username", nargs="?")
    who = p.add_mutually_exclusive_group()
    who.add_argument("--district", help="a clerk of this district (six-digit code)")
    who.add_argument("--city", action="store_true", help="city staff (default for add without --district)")
    who.add_argument("--admin", action="store_true", help="city staff who also manage accounts")
    p.add_argument("--name", help="the person's name, shown in the portal")
    p.set_defaults(func=_cmd_users)
