"""Bad-input reports shared by every import and loader.

A service that rejects input raises ``Rejected`` with every problem found, each naming where it is
(file, row, field or path) and what is wrong, in Chinese and English. Nothing is written.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    where: str
    message_zh: str
    message_en: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message_zh} / {self.message_en}"


class Rejected(Exception):
    """Input refused as a whole; ``problems`` lists every reason."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))
