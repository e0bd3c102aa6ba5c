"""The renderer's single error type."""

from __future__ import annotations


class RenderError(Exception):
    """A page could not be rendered. ``str()`` names the page, line and cell label when known."""

    def __init__(self, message: str, *, page: str | None = None, line: int | None = None,
                 label: str | None = None, detail: str | None = None):
        self.message, self.page, self.line, self.label, self.detail = message, page, line, label, detail
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.page or ""
        if self.line is not None:
            where += f":{self.line}"
        if self.label:
            where += f" (cell '{self.label}')"
        return f"{where}: {self.message}" if where else self.message
