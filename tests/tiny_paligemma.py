"""A random-weight PaliGemma small enough for CPU tests, saved like a real checkpoint (no download).

Real transformers classes throughout: SiglipVisionConfig + GemmaConfig in a PaliGemmaConfig, a byte-level BPE
tokenizer trained here with `tokenizers` (every string encodes, so any answer round-trips), and the
PaliGemma processor, which adds ``<image>`` and the ``<loc>``/``<seg>`` tokens. Images are 224 px (a size
`paligemma_budget` accepts) cut into 28 px patches: 64 visual tokens an image instead of 256.
"""

from __future__ import annotations

from pathlib import Path

import torch
from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
from transformers import (GemmaConfig, PaliGemmaConfig, PaliGemmaForConditionalGeneration, PaliGemmaProcessor,
                          PreTrainedTokenizerFast, SiglipImageProcessorPil, SiglipVisionConfig)

IMAGE_SIZE = 224
PATCH = 28
SPECIALS = ["<pad>", "<eos>", "<bos>", "<unk>"]
CORPUS = [  # the shapes of answers the tests train on: linearised charts and tables, numbers, labels
    "#chart bar label | title=Revenue by region | y=USD\nQuarter | North | South\nQ1 | 12 | 30.5\nQ2 | 7.25 | 18",
    "#chart line number\nYear | Sales\n2019 | 1200\n2020 | -45.5\n2021 | 0.125",
    "#table header=1 | title=Prices | span=0,0,1,2\nRegion | 2023 | 2024\nNorth | 12.5 | 1,250\nSouth | (45) | 12%",
    "#none\n#chart pie label\n | Share\nCoal | 40\nSolar | 35\nWind | 25",
    "0123456789 .,-+%$()=|#\\ abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ",
]


def train_tokenizer(vocab_size: int = 384) -> PreTrainedTokenizerFast:
    tokenizer = Tokenizer(models.BPE())
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tokenizer.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=vocab_size, special_tokens=SPECIALS, show_progress=False,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    tokenizer.train_from_iterator(CORPUS * 20, trainer)
    return PreTrainedTokenizerFast(tokenizer_object=tokenizer, pad_token="<pad>", eos_token="<eos>",
                                   bos_token="<bos>", unk_token="<unk>")


def build_tiny_paligemma(folder: Path, seed: int = 0) -> Path:
    """Write a tiny random PaliGemma checkpoint (model + processor) to ``folder`` and return it."""
    image_processor = SiglipImageProcessorPil(size={"height": IMAGE_SIZE, "width": IMAGE_SIZE},
                                              image_mean=[0.5] * 3, image_std=[0.5] * 3)
    image_processor.image_seq_length = (IMAGE_SIZE // PATCH) ** 2
    processor = PaliGemmaProcessor(image_processor=image_processor, tokenizer=train_tokenizer())
    tokenizer = processor.tokenizer
    vision = SiglipVisionConfig(hidden_size=32, intermediate_size=64, num_hidden_layers=1, num_attention_heads=2,
                                image_size=IMAGE_SIZE, patch_size=PATCH, vision_use_head=False)
    text = GemmaConfig(vocab_size=len(tokenizer), hidden_size=64, intermediate_size=128, num_hidden_layers=2,
                       num_attention_heads=2, num_key_value_heads=1, head_dim=32,
                       pad_token_id=tokenizer.pad_token_id, bos_token_id=tokenizer.bos_token_id,
                       eos_token_id=tokenizer.eos_token_id)
    config = PaliGemmaConfig(vision_config=vision, text_config=text, image_token_index=processor.image_token_id,
                             vocab_size=len(tokenizer), projection_dim=64, hidden_size=64)
    torch.manual_seed(seed)
    model = PaliGemmaForConditionalGeneration(config)
    model.generation_config.pad_token_id = tokenizer.pad_token_id
    model.generation_config.eos_token_id = tokenizer.eos_token_id
    model.save_pretrained(folder)
    processor.save_pretrained(folder)
    return folder
