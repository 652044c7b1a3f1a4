"""What a RUN line does, read without running it: its simple commands, the cargo calls,
the packages it installs, the users it creates and the files it copies.

Shell is only approximated: `&&`, `||`, `;`, `|` and new lines separate commands, `cd`
and `export` carry over to the commands after them, `sh -c '...'` is read inside. That
is enough for Dockerfiles, where anything cleverer makes a check step back, not guess.
"""

from __future__ import annotations

import posixpath
import re
import shlex
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from .parse import UNKNOWN, expand

#: `$(cat FILE)` becomes `@FILE@`: one word whatever its quoting (rustdock's own
#: cross-compiling Dockerfiles read the target triple from a file this way).
_CAT = re.compile(r"\"?\$\(cat ([^)\s]+)\)\"?")
_SEPARATORS = frozenset({"&&", "||", ";", "|", "&", ";;", "\n"})
_REDIRECT_FD = re.compile(r"(\d*)>&(\d)")
_ASSIGNMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")
#: Words that run the rest of the command line as a command.
_PREFIXES = frozenset({"time", "nice", "exec", "sudo", "command", "nohup", "env",
                       "if", "then", "else", "elif", "do", "while", "until", "!", "{"})
#: Words that close a compound command: nothing to run.
_CLOSERS = frozenset({"fi", "done", "esac", "}", ";;"})
#: A value only known when the RUN runs (set in one branch of a case or an if).
_VARIES = "\0varies"


@dataclass(frozen=True)
class Command:
    """One simple command of a RUN: its words, and the shell state it runs in."""

    words: tuple[str, ...]
    #: The directory an earlier `cd` in the same RUN moved to ("" when none).
    cwd: str = ""
    #: Variables set before it in the same RUN (`VAR=x cmd`, `export VAR=x`).
    env: Mapping[str, str] = field(default_factory=dict, compare=False, hash=False)

    @property
    def program(self) -> str:
        return posixpath.basename(self.words[0]) if self.words else ""

    def args(self) -> tuple[str, ...]:
        return self.words[1:]


def _lex(script: str) -> list[str]:
    script = _CAT.sub(lambda m: f"@{m.group(1)}@", script)
    script = _REDIRECT_FD.sub(r"\1>__fd\2", script)
    lines = [line for line in script.splitlines() if not line.lstrip().startswith("#")]
    lexer = shlex.shlex(" \n ".join(lines), posix=True, punctuation_chars=";&|")
    lexer.whitespace = " \t\r"
    lexer.whitespace_split = True
    lexer.commenters = ""
    try:
        return list(lexer)
    except ValueError:  # unbalanced quotes: fall back to plain words
        return script.replace("\n", " \n ").split(" ")


def shell_words(script: str) -> list[list[str]]:
    """A RUN line as simple commands (word lists), `$(cat F)` kept as one word `@F@`."""
    commands: list[list[str]] = []
    current: list[str] = []
    for word in _lex(script):
        if word in _SEPARATORS:
            commands.append(current)
            current = []
        elif word not in {"(", ")"}:
            # `(cd x && make)`: the subshell's parentheses are not part of the words.
            current.append(word.lstrip("(") if not current else word.rstrip(")") if word != ")" else word)
    commands.append(current)
    return [c for c in commands if c]


_OPERATOR_VAR = re.compile(r"\$\{\w+:?[-+](?:[^{}]|\{[^{}]*\})*\}")


def _expanded(word: str, state: Mapping[str, str]) -> str:
    """$VAR, ${VAR} and ${VAR:-default} replaced where the RUN's environment knows them;
    a value only known when the RUN runs stays as written."""
    if "$" not in word:
        return word
    known = {k: UNKNOWN if "\0" in v or "$" in v else v for k, v in state.items()}
    return expand(word, known)[0]


def commands(script: str, env: Mapping[str, str] | None = None, cwd: str = "") -> list[Command]:
    """The simple commands of a RUN, with `cd`, `export`, `sh -c`, `if` and `case` followed
    as far as a reader can: a variable set in only one branch is not known."""
    found: list[Command] = []
    state = dict(env or {})
    if env:
        # ${ARG:+--features x} may hold spaces: settle it before splitting into words.
        script = _OPERATOR_VAR.sub(lambda m: _expanded(m.group(0), state), script)
    branch = 0  # inside case arms or if/else branches
    for words in shell_words(script):
        if words[0] == "case":
            branch += 1
            continue
        if words[0] in _CLOSERS:
            branch = max(0, branch - (words[0] in {"esac", "fi"}))
            continue
        if words[0] in {"if", "then", "else", "elif"}:
            branch += words[0] == "if"
        prefix: dict[str, str] = {}
        while words and (_ASSIGNMENT.match(words[0]) or words[0] in _PREFIXES or words[0].endswith(")")):
            if _ASSIGNMENT.match(words[0]):
                key, _, value = words[0].partition("=")
                prefix[key] = _VARIES if branch else _expanded(value, state)
            words = words[1:]
        if not words:
            state.update(prefix)  # `VAR=x` alone sets it for the rest of the RUN
            continue
        if words[0] == "export":
            state.update((k, _VARIES if branch else _expanded(v, state))
                         for k, _, v in (w.partition("=") for w in words[1:] if "=" in w))
            continue
        words = [_expanded(w, {**state, **prefix}) for w in words]
        if words[0] == "cd" and len(words) > 1:
            cwd = posixpath.normpath(posixpath.join(cwd, words[1])) if cwd else words[1]
            continue
        if words[0] in {"sh", "bash", "ash", "dash"} and "-c" in words[1:-1]:
            inner = words[words.index("-c") + 1]
            found.extend(commands(inner, {**state, **prefix}, cwd))
            continue
        found.append(Command(tuple(words), cwd, MappingProxyType({**state, **prefix})))
    return found


def option_values(words: tuple[str, ...], *names: str) -> list[str]:
    """Every value of an option given as `--name value`, `--name=value` or `-pvalue`."""
    values = []
    for index, word in enumerate(words):
        for name in names:
            if word == name and index + 1 < len(words):
                values.append(words[index + 1])
            elif word.startswith(name + "=") and name.startswith("--"):
                values.append(word[len(name) + 1:])
            elif len(name) == 2 and word.startswith(name) and len(word) > 2 and not name.startswith("--"):
                values.append(word[2:])
    return values


def positional(words: tuple[str, ...], with_value: frozenset[str]) -> list[str]:
    """The words that are not options nor option values."""
    out, skip = [], False
    for word in words:
        if skip:
            skip = False
        elif word.startswith("-"):
            skip = word in with_value
        else:
            out.append(word)
    return out


# -- packages, users, copies ------------------------------------------------------------

_INSTALLERS = {
    ("apt-get", "install"), ("apt", "install"), ("apk", "add"), ("yum", "install"),
    ("dnf", "install"), ("microdnf", "install"), ("zypper", "install"),
}
_PACKAGE_OPTIONS = frozenset({"-t", "--target-release", "-o", "--option", "--repository", "-X", "--virtual", "-t"})


def installed_packages(command: Command) -> tuple[str, ...]:
    """Packages an apt-get/apk/dnf install command adds, versions stripped."""
    words = command.words
    if len(words) < 2:
        return ()
    verb = next((w for w in words[1:] if not w.startswith("-")), "")
    if (command.program, verb) not in _INSTALLERS:
        return ()
    rest = words[words.index(verb) + 1:]
    names = positional(rest, _PACKAGE_OPTIONS)
    return tuple(re.split(r"[=<>~]", name)[0] for name in names if name)


_USER_OPTIONS = frozenset(
    "-u --uid -g --gid -G --ingroup --groups -s --shell -h --home -d --home-dir -c "
    "--comment --gecos -k --skel -K --key -e -f -p --firstuid --lastuid".split()
)


@dataclass(frozen=True)
class NewUser:
    name: str
    #: The uid given, None when the tool picks one.
    uid: int | None


def created_users(command: Command) -> tuple[NewUser, ...]:
    """Users an adduser/useradd command creates, or that an echo writes to /etc/passwd."""
    if command.program in {"adduser", "useradd"}:
        names = positional(command.args(), _USER_OPTIONS)
        if not names:
            return ()
        uid = option_values(command.args(), "-u", "--uid")
        return (NewUser(names[0], int(uid[0]) if uid and uid[0].isdigit() else None),)
    if command.program in {"echo", "printf"}:
        return tuple(
            NewUser(name, int(uid))
            for word in command.args()
            for name, uid in re.findall(r"^([a-z_][\w.-]*):[^:]*:(\d+):", word)
        )
    return ()


@dataclass(frozen=True)
class FileMove:
    """A cp/mv/install/ln in a RUN: the files it reads and where they end up."""

    sources: tuple[str, ...]
    dest: str
    #: The directory it ran in (WORKDIR joined with any `cd`).
    cwd: str


_COPY_OPTIONS = frozenset({"-m", "--mode", "-o", "--owner", "-g", "--group", "-t", "--target-directory", "-S", "--suffix"})


def file_moves(command: Command, workdir: str) -> FileMove | None:
    if command.program not in {"cp", "mv", "install", "ln"}:
        return None
    args = positional(command.args(), _COPY_OPTIONS)
    target = option_values(command.args(), "-t", "--target-directory")
    if target:
        args.append(target[0])
    if len(args) < 2:
        return None
    base = posixpath.join(workdir or "/", command.cwd) if command.cwd else (workdir or "/")
    return FileMove(tuple(args[:-1]), args[-1], base)
