"""Sizes and boxes with their units spelled out, so no bare tuple crosses a module boundary.

LLaVA-NeXT and transformers disagree on (width, height) vs (height, width); figtab names every axis.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_serializer, model_validator


class Size(BaseModel):
    """A width and height; the unit (pixels or PDF points) is the holder's to say."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    width: float = Field(ge=0)
    height: float = Field(ge=0)


class BBox(BaseModel):
    """A box in PDF points with the origin at the page's top-left corner (y grows downwards).

    Serialised as ``[x0, y0, x1, y1]``, the JSON Lines contract; a list is accepted on input too.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    ORIGIN: str = Field(default="top-left", exclude=True, frozen=True)
    x0: float
    y0: float
    x1: float
    y1: float

    @model_validator(mode="before")
    @classmethod
    def _from_sequence(cls, data: Any) -> Any:
        if isinstance(data, (list, tuple)):
            if len(data) != 4:
                raise ValueError(f"a bbox has 4 numbers [x0, y0, x1, y1], got {len(data)}")
            return dict(zip(("x0", "y0", "x1", "y1"), data))
        return data

    @model_validator(mode="after")
    def _ordered(self) -> BBox:
        if self.x1 < self.x0 or self.y1 < self.y0:
            raise ValueError(f"bbox corners out of order: {self.as_list()}")
        return self

    @model_serializer
    def _as_json(self) -> list[float]:
        return self.as_list()

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema: Any, handler: Any) -> dict[str, Any]:
        return {"type": "array", "items": {"type": "number"}, "minItems": 4, "maxItems": 4,
                "description": "[x0, y0, x1, y1] in PDF points, origin top-left"}

    def as_list(self) -> list[float]:
        return [self.x0, self.y0, self.x1, self.y1]

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    @property
    def area(self) -> float:
        return self.width * self.height

    def share_within(self, other: BBox) -> float:
        """The share of this box's area that ``other`` covers (0 to 1; 1 for a degenerate box inside it)."""
        w = min(self.x1, other.x1) - max(self.x0, other.x0)
        h = min(self.y1, other.y1) - max(self.y0, other.y0)
        if w < 0 or h < 0:
            return 0.0
        return w * h / self.area if self.area else 1.0

    def inside(self, page: Size, tolerance: float = 1.0) -> bool:
        """True when the box lies on a page of ``page`` points, give or take ``tolerance``."""
        return (self.x0 >= -tolerance and self.y0 >= -tolerance
                and self.x1 <= page.width + tolerance and self.y1 <= page.height + tolerance)
