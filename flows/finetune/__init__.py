"""`figtab finetune`: fine-tune a local PaliGemma checkpoint on case folders for the `paligemma` backend.

Needs the ``paligemma`` extra (torch, transformers, peft); nothing outside this package imports it.
"""

from figtab.flows.finetune.flow import FinetuneConfig, finetune, finetune_flow, run

__all__ = ["FinetuneConfig", "finetune", "finetune_flow", "run"]
