"""The `paligemma` backend: pages or figure crops in, linearised figures out, decoded into validated figures.

Each region (a whole page, or a crop `auto` asks for) is one prompt of several images; prompts are generated
in batches, across regions and across pages (`extract_many`). Output that does not decode or validate becomes a
figure with ``valid=False`` and its errors, never an exception.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import torch

from figtab.extractors.base import Extractor, ExtractorOptions, build_figure
from figtab.extractors.metering import record_usage
from figtab.extractors.paligemma import codec, weights
from figtab.extractors.paligemma.views import View, view
from figtab.schemas import BBox, Figure, Usage, UsageError
from figtab.tiling import SourcePage

MODEL_ENV = "FIGTAB_PALIGEMMA_MODEL"


@dataclass
class Answer:
    """What the model wrote for one prompt, what that cost in tokens, and whether it ended or was cut off."""

    text: str
    usage: Usage
    complete: bool = True


class PaliGemmaExtractor(Extractor):
    """Reads regions with a local PaliGemma checkpoint; see `weights.load` for what a checkpoint folder holds."""

    name = "paligemma"

    def __init__(self, loaded: weights.Loaded, model: str, dpi: float = 144) -> None:
        self.loaded = loaded
        self.model = model
        self.dpi = dpi
        self.tile = weights.tile_size(loaded.processor)

    @classmethod
    def from_options(cls, options: ExtractorOptions) -> PaliGemmaExtractor:
        path = options.model or os.environ.get(MODEL_ENV)
        if not path:
            raise UsageError(f"the paligemma backend needs local weights: --model PATH or {MODEL_ENV}")
        return cls(weights.load(path), path, options.dpi)

    def extract(self, page: SourcePage) -> list[Figure]:
        return self.read([(page, None)])[0]

    def extract_regions(self, page: SourcePage, regions: list[BBox]) -> list[Figure]:
        return [figure for found in self.read([(page, region) for region in regions]) for figure in found]

    def extract_many(self, pages: Iterable[SourcePage]) -> list[list[Figure]]:
        """Every figure on each of ``pages``, generating for several pages at once."""
        return self.read([(page, None) for page in pages])

    def read(self, requests: Sequence[tuple[SourcePage, BBox | None]]) -> list[list[Figure]]:
        """The figures in each (page, region) request, in order; a region of None is the whole page."""
        settings, found = self.loaded.settings, []
        for start in range(0, len(requests), settings.batch_size):  # rendered batch by batch: memory stays flat
            batch = requests[start:start + settings.batch_size]
            views = [view(page, region, self.tile, settings.max_tiles, self.dpi) for page, region in batch]
            for (page, region), answer in zip(batch, self.generate(views)):
                record_usage(answer.usage)
                found.append(self.figures(page, region, answer))
        return found

    @torch.inference_mode()
    def generate(self, views: Sequence[View]) -> list[Answer]:
        """Greedy answers for a batch of prompts, left-padded so every answer starts at the same position."""
        model, processor = self.loaded.model, self.loaded.processor
        inputs = processor(text=[v.prompt for v in views], images=[v.images for v in views], padding="longest",
                           padding_side="left", return_tensors="pt").to(model.device)
        inputs["pixel_values"] = inputs["pixel_values"].to(model.dtype)
        output = model.generate(**inputs, max_new_tokens=self.loaded.settings.max_new_tokens, do_sample=False)
        new_tokens = output[:, inputs["input_ids"].shape[1]:]
        texts = processor.batch_decode(new_tokens, skip_special_tokens=True)
        prompt_tokens = inputs["attention_mask"].sum(dim=1).tolist()
        answers = []
        for text, prompt, tokens, shown in zip(texts, prompt_tokens, new_tokens, views):
            length, ended = _answer_length(tokens, processor)
            answers.append(Answer(text, Usage(input_tokens=prompt, output_tokens=length,
                                              visual_tokens=len(shown.images) * processor.image_seq_length), ended))
        return answers

    def figures(self, page: SourcePage, region: BBox | None, answer: Answer) -> list[Figure]:
        """The answer's figures, the prompt's usage shared among them (so sums over figures count it once)."""
        found = []
        for decoded in codec.decode(answer.text):
            if decoded.payload is None:
                figure = self._invalid(page, decoded.kind, region, decoded.errors)
            else:
                figure = build_figure(page, self, decoded.payload, decoded.kind, region)
                if not figure.valid:
                    shown = f"model output: {answer.text[:300]!r}"
                    figure = figure.model_copy(update={"errors": [*figure.errors, shown]})
            found.append(figure)
        if found and not answer.complete:  # the last figure may have lost rows: keep it, but not as valid
            cut = f"the answer was cut off at {self.loaded.settings.max_new_tokens} tokens (max_new_tokens in " \
                  f"{weights.SETTINGS_FILE}); this figure may be incomplete"
            found[-1] = found[-1].model_copy(update={"valid": False, "errors": [*found[-1].errors, cut]})
        usages = answer.usage.split(len(found))
        return [figure.model_copy(update={"usage": usage}) for figure, usage in zip(found, usages)]

    def _invalid(self, page: SourcePage, kind: str, region: BBox | None, errors: list[str]) -> Figure:
        return Figure(file=page.document.file, doc_id=page.document.doc_id, page=page.number, kind=kind,
                      bbox=region, backend=self.name, model=self.model, valid=False, errors=errors)


def _answer_length(tokens: Any, processor: Any) -> tuple[int, bool]:
    """Generated tokens up to and including the end of the answer (padding after it does not count), and whether
    the answer ended before the token limit."""
    stops = {processor.tokenizer.eos_token_id, processor.tokenizer.pad_token_id}
    ids = tokens.tolist()
    end = next((i + 1 for i, token in enumerate(ids) if token in stops), None)
    return (end, True) if end is not None else (len(ids), False)
