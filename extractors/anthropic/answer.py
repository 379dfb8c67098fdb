"""The answer the model must give: figtab's own `Table` and `Chart`, each with a box in the pixels of an image it saw.

``Answer.model_json_schema()`` is the tool's input schema and ``Answer`` validates what comes back, so the Pydantic
models every backend is checked against are the one source of the schema.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, model_validator

from figtab.schemas import Chart, FigureKind, Table

TOOL_NAME = "record_figures"
CACHE_MARKER = {"type": "ephemeral"}  # the tool schema is the same on every request: cache it


class ImageRegion(BaseModel):
    """Where a figure is, in pixels (origin top-left) of one image the model was shown."""

    model_config = ConfigDict(extra="forbid")

    image: int = Field(ge=0, description="number of the image the box is measured on, as labelled (0: overview)")
    x0: float = Field(ge=0, description="left edge, pixels from the image's left")
    y0: float = Field(ge=0, description="top edge, pixels from the image's top")
    x1: float = Field(ge=0, description="right edge, pixels")
    y1: float = Field(ge=0, description="bottom edge, pixels")

    @model_validator(mode="after")
    def _on_a_shown_image(self, info: ValidationInfo) -> ImageRegion:
        if self.x1 <= self.x0 or self.y1 <= self.y0:
            raise ValueError(f"box corners out of order or empty: {[self.x0, self.y0, self.x1, self.y1]}")
        n_images = (info.context or {}).get("n_images")
        if n_images is not None and self.image >= n_images:
            raise ValueError(f"image {self.image} was not shown; images are numbered 0 to {n_images - 1}")
        return self


class FoundFigure(BaseModel):
    """One table or chart: ``kind`` says which of ``table`` and ``chart`` is filled in."""

    model_config = ConfigDict(extra="forbid")

    kind: FigureKind
    box: ImageRegion
    table: Table | None = Field(default=None, description="for kind 'table' only")
    chart: Chart | None = Field(default=None, description="for kind 'chart' only")

    @model_validator(mode="after")
    def _payload_matches_kind(self) -> FoundFigure:
        other = "chart" if self.kind == "table" else "table"
        if getattr(self, self.kind) is None:
            raise ValueError(f"a {self.kind} needs its '{self.kind}' field")
        if getattr(self, other) is not None:
            raise ValueError(f"a {self.kind} must not fill in '{other}'")
        return self


class Answer(BaseModel):
    """Every table and chart in the images, in reading order."""

    model_config = ConfigDict(extra="forbid")

    figures: list[FoundFigure] = Field(description="every table and chart; an empty list when there is none")


def tool_definition() -> dict[str, Any]:
    """The one tool the model must call, its input schema derived from `Answer`, marked for prompt caching."""
    return {"name": TOOL_NAME, "description": "Record the tables and charts found in the images as data.",
            "input_schema": Answer.model_json_schema(), "cache_control": CACHE_MARKER}


def error_lines(exc: ValidationError, at: tuple[str | int, ...] = ()) -> list[str]:
    """One line per validation error: where it is (``figures.0.table``, under ``at``) and what is wrong."""
    lines = []
    for error in exc.errors():
        where = ".".join(str(part) for part in (*at, *error["loc"]))
        lines.append(f"{where}: {error['msg']}" if where else error["msg"])
    return lines


def validate_answer(tool_input: Any, n_images: int) -> tuple[Answer | None, list[str]]:
    """The answer, or None and why it does not match the schema."""
    try:
        return Answer.model_validate(tool_input, context={"n_images": n_images}), []
    except ValidationError as exc:
        return None, error_lines(exc)


def validate_figure(raw: Any, index: int, n_images: int) -> tuple[FoundFigure | None, list[str]]:
    """One figure of an answer that failed as a whole, so the figures that are right are kept."""
    try:
        return FoundFigure.model_validate(raw, context={"n_images": n_images}), []
    except ValidationError as exc:
        return None, error_lines(exc, at=("figures", index))
