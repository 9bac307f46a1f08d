"""Indicator formulas: arithmetic over data-element and indicator codes.

User text is never handed to Python (no eval, exec or compile): a small tokenizer and a
recursive-descent parser accept exactly codes, decimal numbers, + - * /, unary signs and
parentheses, and compile the text once into nested closures so that evaluation is cheap.
"""

from __future__ import annotations

import decimal
import re
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Context, Decimal
from typing import NamedTuple

# Every evaluation uses this context's methods directly, so results do not depend on whatever
# decimal context the calling thread happens to have.
_CONTEXT = Context(
    prec=28,
    rounding=ROUND_HALF_EVEN,
    traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow],
)

_Run = Callable[[Mapping[str, Decimal]], Decimal]


def format_decimal(value: Decimal, places: int = 6) -> str:
    """``value`` for messages: at most ``places`` decimals, no trailing zeros, no exponent."""
    rounded = value.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP, _CONTEXT)
    text = format(rounded.normalize(_CONTEXT), "f")
    return "0" if text == "-0" else text


class FormulaError(Exception):
    """A formula problem a user can act on, described in Chinese and English."""

    code = "formula"

    def __init__(self, message_zh: str, message_en: str) -> None:
        self.message_zh = message_zh
        self.message_en = message_en
        super().__init__(f"{message_zh} / {message_en}")


class FormulaSyntaxError(FormulaError):
    code = "syntax"

    def __init__(
        self, text: str, column: int, token: str, problem_zh: str, problem_en: str
    ) -> None:
        self.text = text
        self.column = column  # 1-based, as an editor shows it
        self.token = token  # "" at the end of the formula
        if token:
            where_zh, where_en = f"第 {column} 列“{token}”", f"at column {column} ('{token}')"
        else:
            where_zh, where_en = (
                f"第 {column} 列（公式末尾）",
                f"at column {column} (end of formula)",
            )
        super().__init__(
            f"公式语法错误，{where_zh}：{problem_zh}。公式：{text}",
            f"Formula syntax error {where_en}: {problem_en}. Formula: {text}",
        )


class UnknownReference(FormulaError):
    code = "unknown_reference"

    def __init__(
        self,
        names: Iterable[str],
        *,
        formula_text: str | None = None,
        used_by: Mapping[str, Sequence[str]] | None = None,
    ) -> None:
        self.names = tuple(sorted(names))
        self.formula_text = formula_text
        self.used_by = {name: tuple(codes) for name, codes in (used_by or {}).items()}
        zh = "、".join(self._describe(name, "（用于指标 {}）", "、") for name in self.names)
        en = ", ".join(self._describe(name, " (used by {})", ", ") for name in self.names)
        if formula_text is None:
            super().__init__(f"引用了未定义的代码：{zh}", f"Unknown codes referenced: {en}")
        else:
            super().__init__(
                f"公式“{formula_text}”引用了未定义的代码：{zh}",
                f"Formula '{formula_text}' references unknown codes: {en}",
            )

    def _describe(self, name: str, pattern: str, separator: str) -> str:
        codes = self.used_by.get(name)
        return name + pattern.format(separator.join(codes)) if codes else name


class DivisionByZero(FormulaError):
    code = "division_by_zero"

    def __init__(self, divisor: str, formula_text: str) -> None:
        self.divisor = divisor
        self.formula_text = formula_text
        super().__init__(
            f"除数为零：公式“{formula_text}”中的“{divisor}”等于 0",
            f"Division by zero: '{divisor}' is 0 in formula '{formula_text}'",
        )


class MissingValue(FormulaError):
    code = "missing_value"

    def __init__(self, names: Iterable[str], formula_text: str) -> None:
        self.names = tuple(sorted(names))
        self.formula_text = formula_text
        super().__init__(
            f"缺少数据：{'、'.join(self.names)}（公式“{formula_text}”）",
            f"Missing values for {', '.join(self.names)} (formula '{formula_text}')",
        )


class CycleError(FormulaError):
    code = "cycle"

    def __init__(self, path: Sequence[str]) -> None:
        self.path = list(path)
        chain = " → ".join(self.path)
        super().__init__(
            f"指标之间存在循环引用：{chain}", f"Indicators refer to each other in a cycle: {chain}"
        )


@dataclass(frozen=True)
class Formula:
    """A parsed formula; build it with :func:`parse`."""

    text: str
    references: frozenset[str]
    _run: _Run = field(repr=False, compare=False)

    def evaluate(self, values: Mapping[str, Decimal]) -> Decimal:
        """The value for ``values``; raises MissingValue or DivisionByZero."""
        try:
            return self._run(values)
        except KeyError:
            # The happy path pays nothing for missing values; only a failure builds the full list.
            missing = [name for name in sorted(self.references) if name not in values]
            raise MissingValue(missing, self.text) from None


class _Token(NamedTuple):
    kind: str  # number, name, op, other or end
    text: str
    start: int


_TOKEN = re.compile(
    r"\s*(?:(?P<number>[0-9]+(?:\.[0-9]+)?)|(?P<name>[A-Za-z_][A-Za-z0-9_]*)"
    r"|(?P<op>\*\*|[-+*/()])|(?P<other>\S))"
)

_POWER = ("不支持乘方运算，请改写为连乘", "the power operator is not supported; multiply instead")
_COMPARISON = ("公式中不能使用比较运算", "comparisons are not allowed in a formula")
_STRING = ("不支持字符串", "strings are not allowed")
_SUBSCRIPT = ("不支持下标", "subscripts are not allowed")
_CHARACTER_PROBLEMS = {
    "'": _STRING,
    '"': _STRING,
    "[": _SUBSCRIPT,
    "]": _SUBSCRIPT,
    "<": _COMPARISON,
    ">": _COMPARISON,
    "=": _COMPARISON,
    "!": _COMPARISON,
    "^": _POWER,
    ".": (
        "不支持属性访问；小数请写成 0.5 的形式",
        "attribute access is not allowed; write decimals as 0.5",
    ),
    "%": ("不支持 % 运算，百分比请写成 * 100", "'%' is not supported; write percentages as * 100"),
}


def _tokenize(text: str) -> list[_Token]:
    tokens = []
    position = 0
    while match := _TOKEN.match(text, position):
        kind = match.lastgroup or "other"
        tokens.append(_Token(kind, match.group(kind), match.start(kind)))
        position = match.end()
    tokens.append(_Token("end", "", len(text)))
    return tokens


class _Node(NamedTuple):
    run: _Run
    start: int
    end: int


def _constant(value: Decimal) -> _Run:
    return lambda values: value


def _lookup(name: str) -> _Run:
    return lambda values: values[name]


def _negate(operand: _Run) -> _Run:
    minus = _CONTEXT.minus
    return lambda values: minus(operand(values))


def _binary(operate: Callable[[Decimal, Decimal], Decimal], left: _Run, right: _Run) -> _Run:
    return lambda values: operate(left(values), right(values))


def _divide(left: _Run, right: _Run, divisor: str, text: str) -> _Run:
    divide = _CONTEXT.divide

    def run(values: Mapping[str, Decimal]) -> Decimal:
        dividend = left(values)
        value = right(values)
        if not value:
            raise DivisionByZero(divisor, text)
        return divide(dividend, value)

    return run


_OPERATIONS = {"+": _CONTEXT.add, "-": _CONTEXT.subtract, "*": _CONTEXT.multiply}


class _Parser:
    """expression := term (("+" | "-") term)*; term := unary (("*" | "/") unary)*;
    unary := ("+" | "-") unary | number | code | "(" expression ")"."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _tokenize(text)
        self.index = 0
        self.references: set[str] = set()

    def parse(self) -> Formula:
        if self.peek().kind == "end":
            raise self.error(self.peek(), "公式为空", "the formula is empty")
        node = self.expression()
        if self.peek().kind != "end":
            raise self.unexpected_after_operand()
        return Formula(self.text, frozenset(self.references), node.run)

    def peek(self) -> _Token:
        return self.tokens[self.index]

    def take(self) -> _Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def at_op(self, *ops: str) -> bool:
        token = self.peek()
        return token.kind == "op" and token.text in ops

    def expression(self) -> _Node:
        node = self.term()
        while self.at_op("+", "-"):
            operate = _OPERATIONS[self.take().text]
            right = self.term()
            node = _Node(_binary(operate, node.run, right.run), node.start, right.end)
        return node

    def term(self) -> _Node:
        node = self.unary()
        while self.at_op("*", "/"):
            op = self.take().text
            right = self.unary()
            if op == "*":
                run = _binary(_OPERATIONS["*"], node.run, right.run)
            else:
                divisor = self.text[right.start : right.end]
                run = _divide(node.run, right.run, divisor, self.text)
            node = _Node(run, node.start, right.end)
        return node

    def unary(self) -> _Node:
        if self.at_op("+", "-"):
            sign = self.take()
            operand = self.unary()
            run = operand.run if sign.text == "+" else _negate(operand.run)
            return _Node(run, sign.start, operand.end)
        return self.primary()

    def primary(self) -> _Node:
        token = self.peek()
        end = token.start + len(token.text)
        if token.kind == "number":
            self.take()
            return _Node(_constant(Decimal(token.text)), token.start, end)
        if token.kind == "name":
            if token.text.startswith("__"):
                raise self.error(
                    token,
                    "以双下划线开头的名称是保留名称，不能作为代码",
                    "names starting with '__' are reserved and cannot be codes",
                )
            self.take()
            self.references.add(token.text)
            return _Node(_lookup(token.text), token.start, end)
        if token.text != "(":
            raise self.unexpected_operand()
        self.take()
        inner = self.expression()
        if self.at_op(")"):
            closing = self.take()
            return _Node(inner.run, token.start, closing.start + 1)
        if self.peek().kind == "end":
            raise self.error(token, "左括号没有对应的右括号", "this '(' is never closed")
        raise self.unexpected_after_operand()

    def unexpected_operand(self) -> FormulaSyntaxError:
        token = self.peek()
        if token.kind == "end":
            return self.error(
                token,
                "公式不完整，缺少数字、代码或括号",
                "the formula ends where a number, code or '(' is expected",
            )
        if token.kind == "other":
            return self.bad_character(token)
        if token.text == "**":
            return self.error(token, *_POWER)
        return self.error(
            token, "此处应为数字、代码或左括号", "a number, code or '(' is expected here"
        )

    def unexpected_after_operand(self) -> FormulaSyntaxError:
        token = self.peek()
        previous = self.tokens[self.index - 1]
        if token.kind == "other":
            return self.bad_character(token)
        if token.text == "**":
            return self.error(token, *_POWER)
        if token.text == ")":
            return self.error(token, "右括号没有对应的左括号", "this ')' has no matching '('")
        if token.text == "(" and previous.kind == "name":
            return self.error(token, "不支持函数调用", "function calls are not allowed")
        return self.error(
            token, "缺少运算符（+ - * /）", "an operator (+ - * /) is missing before this"
        )

    def bad_character(self, token: _Token) -> FormulaSyntaxError:
        if token.text in _CHARACTER_PROBLEMS:
            return self.error(token, *_CHARACTER_PROBLEMS[token.text])
        if not token.text.isascii():
            return self.error(
                token,
                "不支持的字符，请使用半角（英文）符号",
                "unsupported character; use ASCII symbols",
            )
        return self.error(token, "不支持的字符", "unsupported character")

    def error(self, token: _Token, problem_zh: str, problem_en: str) -> FormulaSyntaxError:
        return FormulaSyntaxError(self.text, token.start + 1, token.text, problem_zh, problem_en)


def parse(text: str) -> Formula:
    """Parse ``text`` or raise :class:`FormulaSyntaxError` naming the first offending token."""
    return _Parser(text).parse()


def check_references(formula: Formula, known: Collection[str]) -> None:
    """Raise :class:`UnknownReference` listing every name of ``formula`` not in ``known``."""
    unknown = [name for name in formula.references if name not in known]
    if unknown:
        raise UnknownReference(unknown, formula_text=formula.text)


def evaluation_order(formulas: Mapping[str, Formula], elements: Collection[str]) -> list[str]:
    """Indicator codes ordered so that every indicator comes after the indicators it uses.

    A name that is both an indicator and an element means the indicator. The order is
    deterministic: codes are visited alphabetically.
    """
    used_by: dict[str, list[str]] = {}
    for code in sorted(formulas):
        for name in sorted(formulas[code].references):
            if name not in formulas and name not in elements:
                used_by.setdefault(name, []).append(code)
    if used_by:
        raise UnknownReference(used_by, used_by=used_by)

    order: list[str] = []
    done: set[str] = set()
    path: list[str] = []

    def visit(code: str) -> None:
        if code in done:
            return
        if code in path:
            raise CycleError([*path[path.index(code) :], code])
        path.append(code)
        for name in sorted(formulas[code].references):
            if name in formulas:
                visit(name)
        path.pop()
        done.add(code)
        order.append(code)

    for code in sorted(formulas):
        visit(code)
    return order


def evaluate_all(
    formulas: Mapping[str, Formula], order: Sequence[str], values: Mapping[str, Decimal]
) -> dict[str, Decimal | FormulaError]:
    """Every indicator in ``order``; a failure becomes that indicator's result, and indicators
    using it then report it as a missing value."""
    scope = dict(values)
    results: dict[str, Decimal | FormulaError] = {}
    for code in order:
        try:
            result = formulas[code].evaluate(scope)
        except FormulaError as error:
            results[code] = error
            scope.pop(code, None)
        else:
            results[code] = result
            scope[code] = result
    return results
