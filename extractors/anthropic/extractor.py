"""The `anthropic` backend: one Messages API request per page, or per region when the page was already segmented.

Per region: plan and render the images, ask with the tool forced, then

- an answer cut off at ``max_tokens`` is never parsed: it is asked again once with more room, else the region fails;
- an answer that does not validate goes back with its validation errors, at most `MAX_REPAIRS` times; after that
  each figure that validates on its own is kept and the others are stored with ``valid = false`` and their errors;
- every request's tokens and estimated cost are recorded for the page (`record_usage`) and shared out over the
  figures it produced.
"""

from __future__ import annotations

from typing import Any

import pymupdf

from figtab.extractors.anthropic.answer import (TOOL_NAME, Answer, FoundFigure, ImageRegion, tool_definition,
                                                validate_answer, validate_figure)
from figtab.extractors.anthropic.client import KeyRejected, MessagesClient, usage_of
from figtab.extractors.anthropic.images import RequestImages, plan_request, render_pngs
from figtab.extractors.anthropic.prompt import region_content, repair_content, system_blocks
from figtab.extractors.anthropic.settings import load_settings, require_key
from figtab.extractors.base import Extractor, ExtractorOptions, build_figure
from figtab.extractors.metering import record_usage
from figtab.schemas import BackendNotConfigured, BBox, ExtractorError, Figure, Usage
from figtab.tiling import SourcePage, page_region

MAX_REPAIRS = 2


class AnthropicExtractor(Extractor):
    name = "anthropic"

    def __init__(self, options: ExtractorOptions) -> None:
        self.settings = load_settings(options.model)
        self.model = self.settings.model
        self.dpi = options.dpi
        self.client = MessagesClient(self.settings)
        self._rejected: KeyRejected | None = None  # after a 401 no further request is sent

    def extract(self, page: SourcePage) -> list[Figure]:
        return self._read(page, page_region(page.pdf_page))

    def extract_regions(self, page: SourcePage, regions: list[BBox]) -> list[Figure]:
        """Every region is asked even when one fails; the failures become one error that keeps all the figures
        read. A missing or refused key stops at once: every later request would be refused too."""
        figures: list[Figure] = []
        problems: list[str] = []
        for number, region in enumerate(regions, start=1):
            try:
                figures += self._read(page, region)
            except (KeyRejected, BackendNotConfigured) as exc:
                exc.figures = figures + exc.figures
                raise
            except ExtractorError as exc:
                figures += exc.figures
                problems.append(f"region {number} of {len(regions)}: {exc}")
        if problems:
            raise ExtractorError("; ".join(problems), figures=figures)
        return figures

    def _read(self, page: SourcePage, region: BBox) -> list[Figure]:
        if self._rejected is not None:
            raise KeyRejected(str(self._rejected))
        require_key()
        text = _region_text(page, region)
        request = plan_request(page, region, self.dpi, has_text=bool(text.strip()))
        messages = [{"role": "user", "content": region_content(request, render_pngs(page, request), text)}]
        try:
            answer, tool_input, errors, spent = self._ask(request, messages)
        except KeyRejected as exc:
            self._rejected = exc
            raise
        if answer is not None:
            return self._figures(page, request, answer.figures, spent)
        return self._salvage(page, request, tool_input, errors, spent)

    def _ask(self, request: RequestImages,
             messages: list[dict[str, Any]]) -> tuple[Answer | None, Any, list[str], Usage]:
        """Ask until the answer validates or the repairs are spent: the answer (None if it never validated), the
        last tool input and its errors, and what all the requests spent."""
        room, cut_off, repairs, spent = self.settings.max_tokens, False, 0, Usage()
        while True:
            reply = self.client.send(system=system_blocks(), tools=[tool_definition()], messages=messages,
                                     tool_choice={"type": "tool", "name": TOOL_NAME}, max_tokens=room)
            usage = usage_of(reply, self.model, request.tokens)
            record_usage(usage)
            spent = spent + usage
            if reply.stop_reason == "max_tokens":  # a cut-off answer is never parsed as if it were complete
                if cut_off:
                    raise ExtractorError(f"the answer was cut off at max_tokens={room} twice "
                                         "(FIGTAB_ANTHROPIC_MAX_TOKENS sets the room)")
                cut_off, room = True, self.settings.retry_max_tokens
                continue
            call = next((block for block in reply.content if block.type == "tool_use" and block.name == TOOL_NAME),
                        None)
            tool_input = call.input if call is not None else None
            answer, errors = validate_answer(tool_input, len(request.images)) if call is not None else \
                (None, [f"the answer must be a call of {TOOL_NAME}"])
            if answer is not None or repairs == MAX_REPAIRS:
                return answer, tool_input, errors, spent
            repairs += 1
            messages = [*messages, {"role": "assistant", "content": _as_params(reply.content)},
                        {"role": "user", "content": repair_content(errors, call.id if call is not None else None)}]

    def _figures(self, page: SourcePage, request: RequestImages, found: list[FoundFigure],
                 spent: Usage) -> list[Figure]:
        figures = []
        for item, usage in zip(found, spent.split(len(found))):
            figure = build_figure(page, self, item.table or item.chart, bbox=_on_page(request, item.box))
            figures.append(figure.model_copy(update={"usage": usage}))
        return figures

    def _salvage(self, page: SourcePage, request: RequestImages, tool_input: Any, errors: list[str],
                 spent: Usage) -> list[Figure]:
        """After the last repair: figures that validate on their own are kept, the others stored as invalid."""
        raws = tool_input.get("figures") if isinstance(tool_input, dict) else None
        if not isinstance(raws, list) or not raws:
            more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
            raise ExtractorError(f"no answer matched the schema after {MAX_REPAIRS} repairs: {errors[0]}{more}")
        n_images, figures = len(request.images), []
        for index, (raw, usage) in enumerate(zip(raws, spent.split(len(raws)))):
            found, figure_errors = validate_figure(raw, index, n_images)
            if found is not None:
                figures += self._figures(page, request, [found], usage)
                continue
            raw = raw if isinstance(raw, dict) else {}
            kind = raw.get("kind") if raw.get("kind") in ("table", "chart") else "chart" if "chart" in raw else "table"
            payload = raw.get(kind) if isinstance(raw.get(kind), dict) else {}
            figure = build_figure(page, self, payload, kind=kind, bbox=_raw_box(request, raw.get("box"), n_images))
            figures.append(figure.model_copy(update={"valid": False, "errors": [*figure.errors, *figure_errors],
                                                     "usage": usage}))
        return figures


def _on_page(request: RequestImages, box: ImageRegion) -> BBox:
    return request.to_page(box.image, box.x0, box.y0, box.x1, box.y1)


def _raw_box(request: RequestImages, raw: Any, n_images: int) -> BBox | None:
    """The box of a figure that failed validation, when the box itself is valid."""
    try:
        return _on_page(request, ImageRegion.model_validate(raw, context={"n_images": n_images}))
    except ValueError:
        return None


def _region_text(page: SourcePage, region: BBox) -> str:
    """The page's text layer inside ``region``; empty for an image or a page without one."""
    if not page.meta.has_text:
        return ""
    clip = pymupdf.Rect(*region.as_list()) * page.pdf_page.derotation_matrix  # text is found on the unrotated page
    return page.pdf_page.get_text("text", clip=clip)


def _as_params(blocks: list[Any]) -> list[dict[str, Any]]:
    """An answer's text and tool-call blocks as request parameters, to show the model its own answer."""
    params: list[dict[str, Any]] = []
    for block in blocks:
        if block.type == "tool_use":
            params.append({"type": "tool_use", "id": block.id, "name": block.name, "input": block.input})
        elif block.type == "text":
            params.append({"type": "text", "text": block.text})
    return params
