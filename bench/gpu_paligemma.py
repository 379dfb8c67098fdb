"""PaliGemma compute on this machine: the vision tower, batched generation and each training recipe.

Builds the PaliGemma 2 3B-448 architecture (SigLIP So400m/14 at 448 px + Gemma 2 2B) with random weights: the same
compute as the released checkpoint, without a download. Measures tiles/s through the vision tower, generated
tokens/s at several batch sizes (one prompt = a thumbnail and tiles, as the backend sends a page), peak memory,
and optimizer steps/s for the stage1, stage2 and lora recipes with figtab's own recipe code. Figures are medians
of ``--runs`` timed runs after one warm-up. CUDA in bfloat16 (training: float32 weights under bf16 autocast,
as `figtab finetune` trains); ``--tiny`` runs the same code on a tiny model on the CPU as a smoke test.
Usage: python -m bench.gpu_paligemma [--tiny] [--runs 3] [--tiles 4] [--new-tokens 64]
"""

from __future__ import annotations

import argparse
import gc
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import nullcontext

import torch
from transformers import (Gemma2Config, GemmaConfig, PaliGemmaConfig, PaliGemmaForConditionalGeneration,
                          SiglipVisionConfig)

from figtab.flows.finetune.recipes import DEFAULT_LR, optimizer, prepare

IMAGE_TOKEN, BOS, EOS, PAD = 257152, 2, 1, 0
PROMPT_TOKENS = 16  # the instruction after the images
ANSWER_TOKENS = 256  # a linearised chart or table of a dozen rows
Row = tuple[str, str, float | None, str, float | None]  # what, setting, rate (None: out of memory), unit, peak GiB


def architecture(tiny: bool) -> PaliGemmaConfig:
    """PaliGemma 2 3B at 448 px, or a model with the same shape of parts at a size a CPU runs in seconds."""
    if tiny:
        vision = SiglipVisionConfig(hidden_size=32, intermediate_size=64, num_hidden_layers=1, num_attention_heads=2,
                                    image_size=224, patch_size=28, vision_use_head=False)
        text = GemmaConfig(vocab_size=2048, hidden_size=64, intermediate_size=128, num_hidden_layers=2,
                           num_attention_heads=2, num_key_value_heads=1, head_dim=32)
        return PaliGemmaConfig(vision_config=vision, text_config=text, image_token_index=2000, vocab_size=2048,
                               projection_dim=64, hidden_size=64)
    vision = SiglipVisionConfig(hidden_size=1152, intermediate_size=4304, num_hidden_layers=27, num_attention_heads=16,
                                image_size=448, patch_size=14, vision_use_head=False)
    text = Gemma2Config(vocab_size=257216, hidden_size=2304, intermediate_size=9216, num_hidden_layers=26,
                        num_attention_heads=8, num_key_value_heads=4, head_dim=256, sliding_window=4096,
                        query_pre_attn_scalar=256, final_logit_softcapping=30.0, attn_logit_softcapping=50.0,
                        pad_token_id=PAD, bos_token_id=BOS, eos_token_id=EOS)
    return PaliGemmaConfig(vision_config=vision, text_config=text, image_token_index=IMAGE_TOKEN,
                           vocab_size=257216, projection_dim=2304, hidden_size=2304)


def parameter_count(config: PaliGemmaConfig) -> int:
    """Parameters of the architecture, counted on the meta device (no memory, no compute)."""
    with torch.device("meta"):
        return sum(p.numel() for p in PaliGemmaForConditionalGeneration(config).parameters())


def build(config: PaliGemmaConfig, device: torch.device, dtype: torch.dtype) -> PaliGemmaForConditionalGeneration:
    torch.manual_seed(0)
    with torch.device(device):
        model = PaliGemmaForConditionalGeneration(config).to(dtype)
    model.generation_config.pad_token_id, model.generation_config.eos_token_id = PAD, EOS
    return model


def page_batch(config: PaliGemmaConfig, batch: int, n_images: int, answer: int, device: torch.device,
               dtype: torch.dtype) -> dict[str, torch.Tensor]:
    """Model inputs as the processor lays them out: image tokens, BOS, the instruction, then ``answer`` tokens."""
    image_tokens = n_images * config.text_config.num_image_tokens
    text = torch.randint(3, min(config.image_token_index, config.text_config.vocab_size) - 1,
                         (batch, PROMPT_TOKENS + answer), device=device)
    ids = torch.cat([torch.full((batch, image_tokens), config.image_token_index, device=device),
                     torch.full((batch, 1), BOS, device=device), text], dim=1)
    prefix = image_tokens + 1 + PROMPT_TOKENS
    token_type = torch.zeros_like(ids)
    token_type[:, prefix:] = 1
    size = config.vision_config.image_size
    inputs = {"input_ids": ids, "attention_mask": torch.ones_like(ids), "token_type_ids": token_type,
              "pixel_values": torch.randn(batch * n_images, 3, size, size, device=device, dtype=dtype)}
    if answer:
        inputs["labels"] = torch.where(token_type == 1, ids, torch.full_like(ids, -100))
    return inputs


def timed(work: Callable[[], object], runs: int, device: torch.device) -> tuple[float, float | None]:
    """(median seconds of ``runs`` calls after a warm-up, peak GiB allocated on CUDA or None on the CPU)."""
    work()
    if device.type == "cuda":
        torch.cuda.synchronize()
        torch.cuda.reset_peak_memory_stats()
    seconds = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        if device.type == "cuda":
            torch.cuda.synchronize()
        seconds.append(time.perf_counter() - start)
    peak = torch.cuda.max_memory_allocated() / 2**30 if device.type == "cuda" else None
    return statistics.median(seconds), peak


def serving_rows(config: PaliGemmaConfig, args: argparse.Namespace, device: torch.device) -> Iterator[Row]:
    """The vision tower and generation rows, each yielded as soon as it is measured."""
    dtype = torch.bfloat16 if device.type == "cuda" else torch.float32
    model = build(config, device, dtype).eval()
    size = config.vision_config.image_size
    n_images = 1 + args.tiles

    def vision_tower(setting: str) -> Row:
        tiles = torch.randn(args.vision_batch, 3, size, size, device=device, dtype=dtype)
        seconds, peak = timed(lambda: model.model.get_image_features(tiles), args.runs, device)
        return "vision tower", setting, args.vision_batch / seconds, "tiles/s", peak

    def generation(batch: int, setting: str) -> Row:
        inputs = page_batch(config, batch, n_images, 0, device, dtype)
        seconds, peak = timed(lambda: model.generate(**inputs, max_new_tokens=args.new_tokens,
                                                     min_new_tokens=args.new_tokens, do_sample=False),
                              args.runs, device)
        return "generation", setting, batch * args.new_tokens / seconds, "tokens/s", peak

    with torch.inference_mode():
        setting = f"{args.vision_batch} tiles of {size} px"
        yield out_of_memory_as_row(lambda: vision_tower(setting), "vision tower", setting, "tiles/s", device)
        for batch in args.batches:
            setting = f"batch {batch}, {n_images} images a prompt, {args.new_tokens} new tokens"
            yield out_of_memory_as_row(lambda: generation(batch, setting), "generation", setting, "tokens/s", device)


def out_of_memory_as_row(measure: Callable[[], Row], what: str, setting: str, unit: str,
                         device: torch.device) -> Row:
    """``measure()``, or a row saying "OOM" when the GPU ran out of memory, so the other rows still run."""
    try:
        return measure()
    except torch.cuda.OutOfMemoryError:
        _free(device)
        return what, setting, None, unit, None


def print_row(row: Row) -> None:
    what, setting, rate, unit, peak = row
    memory = f"{peak:.1f} GiB" if peak is not None else "-"
    print(f"| {what} | {setting} | {'OOM' if rate is None else f'{rate:,.1f}'} | {unit} | {memory} |", flush=True)


def training_row(config: PaliGemmaConfig, recipe: str, args: argparse.Namespace, device: torch.device) -> Row:
    """One optimizer step a run on one page, float32 weights under bf16 autocast on CUDA, as finetune trains."""
    autocast = torch.autocast("cuda", dtype=torch.bfloat16) if device.type == "cuda" else nullcontext()
    model, groups = prepare(build(config, device, torch.float32), recipe, DEFAULT_LR[recipe])
    step_optimizer = optimizer(groups)
    batch = page_batch(config, 1, 1 + args.tiles, ANSWER_TOKENS, device, torch.float32)

    def step() -> None:
        with autocast:
            loss = model(**batch).loss
        loss.backward()
        step_optimizer.step()
        step_optimizer.zero_grad(set_to_none=True)

    seconds, peak = timed(step, args.runs, device)
    trained = sum(p.numel() for p in model.parameters() if p.requires_grad)
    return (f"training {recipe}", f"1 page of {1 + args.tiles} images + {ANSWER_TOKENS} answer tokens, "
            f"{trained:,} parameters trained", 1 / seconds, "steps/s", peak)


def _free(device: torch.device) -> None:
    gc.collect()
    if device.type == "cuda":
        torch.cuda.empty_cache()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tiny", action="store_true", help="a tiny model on the CPU: a smoke test of this script")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--tiles", type=int, default=4, help="AnyRes tiles a prompt, besides the thumbnail")
    parser.add_argument("--new-tokens", type=int, default=64)
    parser.add_argument("--batches", type=int, nargs="+", default=[1, 4, 8])
    parser.add_argument("--vision-batch", type=int, default=16)
    parser.add_argument("--threads", type=int, default=1, help="CPU threads (the CPU is shared)")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    device = torch.device("cuda" if torch.cuda.is_available() and not args.tiny else "cpu")
    config = architecture(args.tiny)
    full = parameter_count(architecture(False))
    print(f"PaliGemma 2 3B-448 architecture: {full / 1e9:.2f} B parameters (counted on the meta device)")
    name = "tiny PaliGemma" if args.tiny else "PaliGemma 2 3B-448, random weights"
    device_name = torch.cuda.get_device_name() if device.type == "cuda" else f"CPU, {args.threads} thread(s)"
    print(f"{name}: {parameter_count(config) / 1e6:,.2f} M parameters on {device_name}; median of {args.runs} runs\n")
    print("| measurement | setting | rate | unit | peak memory |")
    print("|---|---|---|---|---|", flush=True)
    for row in serving_rows(config, args, device):  # each row printed as it is measured: an OOM loses only its own
        print_row(row)
    for recipe in ("stage1", "stage2", "lora"):
        _free(device)  # the previous model is gone once its function returned
        print_row(out_of_memory_as_row(lambda: training_row(config, recipe, args, device), f"training {recipe}",
                                       f"1 page of {1 + args.tiles} images", "steps/s", device))


if __name__ == "__main__":
    main()
