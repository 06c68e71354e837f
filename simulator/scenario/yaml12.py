"""Scenario YAML, read the way YAML 1.2 reads it, within bounds, with a line for every
problem.

PyYAML implements YAML 1.1, whose implicit types are traps in a scenario: `at: 1:30` is the
number 90 (base 60), `country: NO` is false, `017` is 15 (octal). YAML 1.2's core schema (what
editors and most tools mean by YAML today) reads all of these as the text written; only
true/false, null, decimal, 0o and 0x integers and floats are typed. ISO timestamps stay typed
as in 1.1 (scenario times are written that way). Merge keys (`<<: *base`) work; a key repeated
in one mapping is refused (YAML says keys are unique; PyYAML keeps the last one silently).
libyaml parses when it is installed (the C parser: a 2 MB file in a second, not twenty).

Bounds, checked on the node tree before anything is built: nesting (MAX_DEPTH), and the number
of values once aliases are expanded (MAX_NODES: an alias bomb of a few hundred bytes expands to
billions); a value that contains itself is refused too.

NEL (U+0085), LINE SEPARATOR (U+2028) and PARAGRAPH SEPARATOR (U+2029) are line breaks to
YAML 1.1 (and both parsers) but text to YAML 1.2, to editors and to `grep -n`: read as breaks
they put every later line number one off, fail a plain value that holds one, and turn NEL in a
quoted value into a space. They are read as the text they are (stand-ins from the private-use
area while parsing, put back in every key and value).
"""

from __future__ import annotations

import re
from collections.abc import Callable

import yaml

MAX_DEPTH = 40  # YAML nesting; scenarios need about 8
MAX_NODES = 500_000  # values after aliases are expanded; data belongs in JSONL/CSV files
BREAKS_1_1 = {"\x85": "\ue085", "\u2028": "\ue028", "\u2029": "\ue029"}  # -> stand-ins
HIDE = str.maketrans(BREAKS_1_1)
SHOW = str.maketrans({v: k for k, v in BREAKS_1_1.items()})


class YamlProblem(Exception):
    """Unreadable YAML: the line (1-based) and what is wrong."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


class Resolver12(yaml.resolver.BaseResolver):
    """YAML 1.2 core schema implicit types (plus 1.1 timestamps and merge keys)."""


Resolver12.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"))
Resolver12.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$"),
    list("-+0123456789"))
Resolver12.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
               r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"),
    list("-+0123456789."))
Resolver12.add_implicit_resolver(
    "tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""])
Resolver12.add_implicit_resolver(
    "tag:yaml.org,2002:timestamp",
    re.compile(r"""^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]
                   |[0-9][0-9][0-9][0-9] -[0-9][0-9]? -[0-9][0-9]?
                    (?:[Tt]|[ \t]+)[0-9][0-9]?
                    :[0-9][0-9] :[0-9][0-9] (?:\.[0-9]*)?
                    (?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$""", re.X),
    list("0123456789"))
Resolver12.add_implicit_resolver("tag:yaml.org,2002:merge", re.compile(r"^(?:<<)$"), ["<"])


class Constructor12(yaml.constructor.SafeConstructor):
    """Integers as YAML 1.2 writes them: decimal (a leading 0 is still decimal), 0o, 0x; a
    repeated key is refused with its line; a value that cannot be built says where."""

    def construct_yaml_int(self, node: yaml.ScalarNode) -> int:
        text = str(self.construct_scalar(node))
        sign, digits = (-1, text[1:]) if text.startswith("-") else (1, text.lstrip("+"))
        if digits.startswith(("0o", "0x")):
            return sign * int(digits[2:], 8 if digits[1] == "o" else 16)
        return sign * int(digits, 10)

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        seen: dict[object, int] = {}
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = self.construct_object(key_node, deep=deep)
            if isinstance(key, list | dict):
                raise YamlProblem(key_node.start_mark.line + 1,
                                  "a key must be a plain name, not a list or mapping")
            if key in seen:
                raise YamlProblem(key_node.start_mark.line + 1,
                                  f"'{key}' is given twice in this mapping (first on line "
                                  f"{seen[key]}); keep one")
            seen[key] = key_node.start_mark.line + 1
        return super().construct_mapping(node, deep=deep)

    def construct_object(self, node: yaml.Node, deep: bool = False) -> object:
        try:
            return super().construct_object(node, deep=deep)
        except (YamlProblem, yaml.YAMLError):
            raise
        except (ValueError, TypeError, OverflowError) as exc:
            text = str(exc).split("\n")[0][:120]
            raise YamlProblem(node.start_mark.line + 1,
                              f"this value cannot be read ({text}); write it as plain text, "
                              "a number or an ISO time") from None


Constructor12.add_constructor(  # type: ignore[type-var]  # the stub's bound misses subclasses
    "tag:yaml.org,2002:int", Constructor12.construct_yaml_int)


def _reader_class() -> type:
    """libyaml's parser with the 1.2 constructor and resolver, or PyYAML's own."""
    try:
        from yaml.cyaml import CParser  # type: ignore[attr-defined]  # libyaml's, unlisted in the stub
    except ImportError:  # no libyaml: the pure-Python parser, same semantics
        from yaml.composer import Composer
        from yaml.parser import Parser
        from yaml.reader import Reader
        from yaml.scanner import Scanner

        bases: tuple[type, ...] = (Reader, Scanner, Parser, Composer)
    else:
        bases = (CParser,)

    def __init__(self: object, stream: str) -> None:  # noqa: N807 - a class body function
        bases[0].__init__(self, stream)  # type: ignore[misc]  # one of the parser's bases
        for base in bases[1:]:
            base.__init__(self)  # type: ignore[misc]  # one of the parser's bases
        Constructor12.__init__(self)  # type: ignore[arg-type]  # `self` mixes it in
        Resolver12.__init__(self)  # type: ignore[arg-type]  # `self` mixes it in

    return type("Reader12", (*bases, Constructor12, Resolver12), {"__init__": __init__})


Reader12 = _reader_class()


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [child for pair in node.value for child in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def check_shape(root: yaml.Node) -> None:
    """YamlProblem when the tree, aliases expanded, is too deep, too large or contains
    itself: one pass over distinct nodes (each alias's size is counted, not walked again)."""
    done: dict[int, tuple[int, int]] = {}  # node -> (depth, expanded size)
    path: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, finished = stack.pop()
        key = id(node)
        if finished:
            parts = [done[id(c)] for c in _children(node)]
            depth = 1 + max((d for d, _ in parts), default=0)
            size = 1 + sum(s for _, s in parts)
            done[key] = (depth, size)
            path.discard(key)
            line = node.start_mark.line + 1
            if depth > MAX_DEPTH:
                raise YamlProblem(line, f"nested more than {MAX_DEPTH} levels deep; a "
                                        "scenario needs far fewer")
            if size > MAX_NODES:
                raise YamlProblem(line, f"this holds more than {MAX_NODES:,} values once its "
                                        "aliases (*name) are expanded; put data in JSONL or "
                                        "CSV files beside the scenario (data: people: {file: "
                                        "...})")
            continue
        if key in done:
            continue
        path.add(key)
        stack.append((node, True))
        for child in _children(node):
            if id(child) in path:
                raise YamlProblem(child.start_mark.line + 1,
                                  "an alias refers to a value that contains it (a loop); "
                                  "repeat the values instead")
            if id(child) not in done:
                stack.append((child, False))


def read(text: str, name: str, progress: Callable[[], None] | None = None
         ) -> tuple[object, yaml.Node | None]:
    """The data and the node tree (for line numbers) of a YAML text; YamlProblem with a
    line for every way it can be unreadable."""
    hidden = any(c in text for c in BREAKS_1_1) and not any(
        c in text for c in BREAKS_1_1.values())  # (a text holding stand-ins is read as is)
    if hidden:
        text = text.translate(HIDE)
    loader = Reader12(text)
    loader.name = name
    try:
        root = loader.get_single_node()
        if root is None:
            return None, None
        check_shape(root)
        data = loader.construct_document(root)
        return (_shown(data) if hidden else data), root
    except yaml.MarkedYAMLError as exc:
        # an unclosed bracket or quote is noticed later; where it opened is what to fix
        opened = exc.context_mark if exc.context_mark and exc.problem_mark and \
            exc.context_mark.line < exc.problem_mark.line and "flow" in str(exc.context) \
            else None
        mark = opened or exc.problem_mark or exc.context_mark
        raise YamlProblem(mark.line + 1 if mark else 1,
                          f"not valid YAML: {exc.problem}; check the indentation and "
                          "quoting") from None
    except yaml.YAMLError as exc:  # e.g. control characters, which have a position too
        line = text.count("\n", 0, getattr(exc, "position", 0) or 0) + 1
        reason = getattr(exc, "reason", "") or str(exc).split("\n")[0]
        raise YamlProblem(line, f"not valid YAML: {reason}; remove control characters and "
                                "NUL bytes") from None
    finally:
        loader.dispose()


def _shown(value: object) -> object:
    """The data with the stand-ins of NEL, U+2028 and U+2029 put back (keys and values)."""
    if isinstance(value, str):
        return value.translate(SHOW)
    if isinstance(value, dict):
        return {_shown(k): _shown(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_shown(v) for v in value]
    return value
