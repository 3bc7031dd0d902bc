"""The command line's own words in Danish: the help page and the usage errors.

Typer/click write "Usage:", "Options:", "Show this message and exit." and English usage errors, and how
they do it changes between typer versions (click until 0.25, a vendored click without translations from
0.26). So the help page is drawn here from the commands' declared (Danish) help, and a usage error becomes
one Danish line built from the exception's fields, never from its English text where that can be avoided.
"""

from __future__ import annotations

import os
import re
import sys
import unicodedata
from collections.abc import Callable, Iterable
from typing import Any, NoReturn, TypeVar

import typer
from typer.core import TyperCommand, TyperGroup

from trivsel_tui.texts import t

CommandFunction = TypeVar("CommandFunction", bound=Callable[..., Any])

# The framework's exception classes, found through the public BadParameter so that both the click-based
# and the vendored-click typer work.
USAGE_ERROR: type[Exception] = next(c for c in typer.BadParameter.__mro__ if c.__name__ == "UsageError")

# What a value must look like, for the options whose value the framework converts (and can refuse).
EXPECTED = {
    "cases": "cli_usage.expected_cases",
    "seed": "cli_usage.expected_integer",
    "db": "cli_usage.expected_file",
    "rules": "cli_usage.expected_file",
    "out": "cli_usage.expected_file",
    "year": "cli_usage.expected_year",
}


def literal(text: str) -> str:
    """A user-typed word as shown in a message: control characters escaped, never sent to the terminal."""
    return "".join(
        char.encode("unicode_escape").decode("ascii") if unicodedata.category(char) == "Cc" else char for char in text
    )


def _option_label(param: Any) -> str:
    opts: list[str] = [*param.opts, *getattr(param, "secondary_opts", [])]
    if getattr(param, "param_type_name", "") == "argument":
        return str(param.metavar or param.name.upper())
    label = ", ".join(opts)
    if not getattr(param, "is_flag", False):
        label += f" {param.metavar or t('cli_help.value')}"
    return label


def _param_help(param: Any) -> str:
    if "--help" in param.opts:
        return t("cli_help.help_option")
    return str(param.help or "")


def _format_help(command: Any, ctx: Any, formatter: Any) -> None:
    params = [p for p in command.get_params(ctx) if not getattr(p, "hidden", False)]
    arguments = [p for p in params if getattr(p, "param_type_name", "") == "argument"]
    options = [p for p in params if p not in arguments]
    pieces = [t("cli_help.options_placeholder"), *(_option_label(p) for p in arguments)]
    if isinstance(command, TyperGroup):
        pieces.append(t("cli_help.command_placeholder"))
    formatter.write_usage(ctx.command_path, " ".join(pieces), prefix=t("cli_help.usage") + " ")
    if command.help:
        formatter.write_paragraph()
        with formatter.indentation():
            formatter.write_text(command.help)
    _section(formatter, t("cli_help.arguments"), ((_option_label(p), _param_help(p)) for p in arguments))
    _section(formatter, t("cli_help.options"), ((_option_label(p), _param_help(p)) for p in options))
    if isinstance(command, TyperGroup):
        rows = []
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            if sub is not None and not sub.hidden:
                rows.append((name, (sub.short_help or sub.help or "").strip().split("\n")[0]))
        _section(formatter, t("cli_help.commands"), rows)


def _section(formatter: Any, heading: str, rows: Iterable[tuple[str, str]]) -> None:
    listed = list(rows)
    if listed:
        with formatter.section(heading):
            formatter.write_dl(listed)


class DanishCommand(TyperCommand):
    def format_help(self, ctx: Any, formatter: Any) -> None:
        _format_help(self, ctx, formatter)


class DanishGroup(TyperGroup):
    def format_help(self, ctx: Any, formatter: Any) -> None:
        _format_help(self, ctx, formatter)


class DanishTyper(typer.Typer):
    """A Typer whose groups and commands draw their help in Danish, without each command having to ask."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**{"cls": DanishGroup, "rich_markup_mode": None, **kwargs})

    def command(
        self, name: str | None = None, *, cls: type[TyperCommand] | None = None, **kwargs: Any
    ) -> Callable[[CommandFunction], CommandFunction]:
        return super().command(name, cls=cls or DanishCommand, **kwargs)


def _param_name(exc: Any) -> str:
    param = getattr(exc, "param", None)
    if param is None:
        return ""
    if getattr(param, "param_type_name", "") == "argument":
        return str(param.metavar or param.name.upper())
    return str(param.opts[0])


def _plain_usage_message(exc: Any, text: str) -> str:
    """Usage errors that carry no fields, only English text (click's ctx.fail)."""
    command = getattr(exc, "ctx", None) and exc.ctx.command
    known = ", ".join(command.list_commands(exc.ctx)) if isinstance(command, TyperGroup) else ""
    if text.startswith("Missing command"):
        return t("cli_usage.missing_command", commands=known)
    if match := re.match(r"No such command '(.*)'", text, re.DOTALL):
        return t("cli_usage.no_such_command", name=literal(match[1]), commands=known)
    if match := re.match(r"Got unexpected extra arguments? ?(?:\(s\))? \((.*)\)$", text, re.DOTALL):
        return t("cli_usage.extra_arguments", arguments=literal(match[1]))
    return t("cli_usage.unreadable")


def usage_message(exc: Any) -> str:
    """One Danish line for a usage error of click or typer, whatever version."""
    kind = type(exc).__name__
    text = str(getattr(exc, "message", ""))
    if kind == "NoSuchOption":
        option = literal(exc.option_name)
        if exc.possibilities:
            return t("cli_usage.no_such_option_suggest", option=option, possibilities=", ".join(exc.possibilities))
        return t("cli_usage.no_such_option", option=option)
    if kind == "BadOptionUsage":
        key = "cli_usage.needs_value" if "requires" in text else "cli_usage.takes_no_value"
        return t(key, option=literal(exc.option_name))
    if kind == "MissingParameter":
        return t("cli_usage.missing", name=_param_name(exc))
    if kind == "BadParameter" and getattr(exc, "param", None) is not None:
        expected = EXPECTED.get(exc.param.name)
        if expected is None:
            return t("cli_usage.invalid_value_plain", name=_param_name(exc))
        return t("cli_usage.invalid_value", name=_param_name(exc), expected=t(expected))
    return _plain_usage_message(exc, text)


def _fail(message: str, code: int) -> NoReturn:
    typer.echo(f"trivsel: {message}", err=True)
    sys.exit(code)


def run_in_danish(command: Callable[..., Any], prog_name: str) -> NoReturn:
    """Run the typer app; its own errors come out as one Danish line, exit 2 (1 when aborted)."""
    try:
        code = command(prog_name=prog_name, standalone_mode=False)
    except USAGE_ERROR as exc:
        where = exc.ctx.command_path if getattr(exc, "ctx", None) else prog_name  # type: ignore[attr-defined]
        _fail(t("cli_usage.see_help", message=usage_message(exc), command=where), 2)
    except typer.Abort:
        _fail(t("cli_usage.aborted"), 1)
    except BrokenPipeError:
        # The reader (e.g. `| head`) went away: stop quietly, as click does in standalone mode.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
    sys.exit(code if isinstance(code, int) else 0)
