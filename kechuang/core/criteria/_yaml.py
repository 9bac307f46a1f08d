"""A reader for the small, plain subset of YAML the package's data files are written in.

The core uses the standard library only, so it cannot import PyYAML at run time. The data files
keep to: block mappings and sequences indented by spaces, ``#`` comments, plain or quoted
scalars (strings, integers, ``true``/``false``/``null``) and one-line flow lists and mappings of
scalars (``[a, b]``, ``{a: 1}``). Anything else is refused with the line number, never guessed.
A test checks that PyYAML reads every data file to the same value.
"""

from __future__ import annotations

import re
from typing import Any

_INT = re.compile(r"[-+]?[0-9]+")
_KEY = re.compile(r"([^\s'\"#\[\]{},:][^#:]*?)\s*:(?:\s+|$)(.*)")


class YamlSubsetError(ValueError):
    def __init__(self, line: int, problem: str) -> None:
        self.line = line
        super().__init__(f"line {line}: {problem}")


def load(text: str) -> Any:
    lines = []
    for number, raw in enumerate(text.splitlines(), start=1):
        if "\t" in raw[: len(raw) - len(raw.lstrip())]:
            raise YamlSubsetError(number, "tabs are not allowed for indentation")
        content = _strip_comment(raw).rstrip()
        if content.strip() and content.strip() != "---":
            lines.append((len(content) - len(content.lstrip(" ")), content.strip(), number))
    if not lines:
        return None
    value, end = _block(lines, 0, lines[0][0])
    if end != len(lines):
        raise YamlSubsetError(lines[end][2], "unexpected indentation")
    return value


def _strip_comment(line: str) -> str:
    quote = None
    for index, char in enumerate(line):
        if quote:
            if char == quote:
                quote = None
        elif char in "'\"":
            quote = char
        elif char == "#" and (index == 0 or line[index - 1] in " \t"):
            return line[:index]
    return line


def _block(lines: list, start: int, indent: int) -> tuple[Any, int]:
    if lines[start][1].startswith("- ") or lines[start][1] == "-":
        return _sequence(lines, start, indent)
    return _mapping(lines, start, indent)


def _sequence(lines: list, index: int, indent: int, under_key: bool = False) -> tuple[list, int]:
    items: list = []
    while index < len(lines) and lines[index][0] == indent:
        _, content, number = lines[index]
        if not (content.startswith("- ") or content == "-"):
            if under_key:
                break  # "key:" followed by items at its own indent; the next key ends them
            raise YamlSubsetError(number, "expected a list item ('- ')")
        rest = content[1:].strip()
        if not rest:
            if index + 1 >= len(lines) or lines[index + 1][0] <= indent:
                items.append(None)
                index += 1
                continue
            value, index = _block(lines, index + 1, lines[index + 1][0])
            items.append(value)
            continue
        if rest.startswith("- ") or rest == "-":
            # "- - item" opens a list nested in this item.
            inner = indent + (len(content) - len(rest))
            lines[index] = (inner, rest, number)
            value, index = _sequence(lines, index, inner)
            items.append(value)
            continue
        if _KEY.fullmatch(rest) and not rest.startswith(("'", '"', "[", "{")):
            # "- key: value" opens a mapping whose further keys sit under the key.
            inner = indent + (len(content) - len(rest))
            lines[index] = (inner, rest, number)
            value, index = _mapping(lines, index, inner)
            items.append(value)
            continue
        items.append(_scalar(rest, number))
        index += 1
    if index < len(lines) and lines[index][0] > indent:
        raise YamlSubsetError(lines[index][2], "unexpected indentation")
    return items, index


def _mapping(lines: list, index: int, indent: int) -> tuple[dict, int]:
    result: dict = {}
    while index < len(lines) and lines[index][0] == indent:
        _, content, number = lines[index]
        match = _KEY.fullmatch(content)
        if not match:
            raise YamlSubsetError(number, "expected 'key: value'")
        key, rest = match.group(1).strip(), match.group(2).strip()
        if key in result:
            raise YamlSubsetError(number, f"duplicate key {key!r}")
        index += 1
        if rest:
            result[key] = _scalar(rest, number)
        elif index < len(lines) and lines[index][0] > indent:
            result[key], index = _block(lines, index, lines[index][0])
        elif index < len(lines) and lines[index][0] == indent and lines[index][1][:2] == "- ":
            result[key], index = _sequence(lines, index, indent, under_key=True)
        else:
            result[key] = None
    if index < len(lines) and lines[index][0] > indent:
        raise YamlSubsetError(lines[index][2], "unexpected indentation")
    return result, index


def _scalar(text: str, number: int) -> Any:
    if text.startswith("["):
        if not text.endswith("]"):
            raise YamlSubsetError(number, "a flow list must close on the same line")
        inner = text[1:-1].strip()
        return [_scalar(part.strip(), number) for part in _split(inner, number)] if inner else []
    if text.startswith("{"):
        if not text.endswith("}"):
            raise YamlSubsetError(number, "a flow mapping must close on the same line")
        inner = text[1:-1].strip()
        mapping = {}
        for part in _split(inner, number) if inner else []:
            key, sep, value = part.partition(":")
            if not sep:
                raise YamlSubsetError(number, "expected 'key: value' in a flow mapping")
            mapping[key.strip()] = _scalar(value.strip(), number)
        return mapping
    if text[0] in "'\"":
        if len(text) < 2 or text[-1] != text[0]:
            raise YamlSubsetError(number, "unterminated quoted string")
        body = text[1:-1]
        if text[0] == "'":
            return body.replace("''", "'")
        if "\\" in body:
            raise YamlSubsetError(number, "escapes in double-quoted strings are not supported")
        return body
    if text in ("null", "~"):
        return None
    if text in ("true", "false"):
        return text == "true"
    if _INT.fullmatch(text):
        return int(text)
    if text[0] in "&*!|>%@`" or ": " in text or text.endswith(":"):
        raise YamlSubsetError(number, f"unsupported YAML syntax: {text!r}")
    if re.fullmatch(r"[-+]?(\d+\.\d*|\.\d+)([eE][-+]?\d+)?|\d{4}-\d\d-\d\d.*", text):
        # PyYAML would read these as floats or dates: the files quote them instead.
        raise YamlSubsetError(number, f"quote {text!r}: floats and dates are not read")
    return text


def _split(inner: str, number: int) -> list[str]:
    if any(c in inner for c in "[]{}\"'"):
        raise YamlSubsetError(number, "nested or quoted flow items are not supported")
    return inner.split(",")
