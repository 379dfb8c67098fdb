"""What the anthropic backend would send for each dev case, planned only (no network, no key, nothing rendered).

For every raster chart and table of ``shared/data/dev`` (PNG files), and for the born-digital table pages (PDF, read
whole at 144 dpi), three ways to show the page to the API side by side, in estimated input tokens (width * height
/ 750 an image, the API's own rule of thumb):

- figtab: the request the backend plans (`plan_request`): one image when the page fits the API's limits at its own
  resolution, else the aspect-kept overview plus AnyRes tiles, padding trimmed, never enlarged past the source;
- plain AnyRes: the same `anthropic_budget()` plan sent as a ViT backend gets it, padded square 1072 px images;
- one image @1568: the whole page scaled to 1568 px on its long edge, as the API then sees it (downscaled to
  about 1.15 MP when larger);
- one image, own resolution: the same, but never enlarged past the page's own pixels (144 dpi for vector pages).

Usage: python -m bench.anthropic_requests [--dev ../shared/data/dev] [--rows]
"""

from __future__ import annotations

import argparse
import csv
import math
import statistics
from pathlib import Path

from figtab.extractors.anthropic.images import native_scale, plan_request
from figtab.tiling import anthropic_budget, open_document, page_region, plan_region
from figtab.tiling.budgets import ANTHROPIC_MAX_EDGE, ANTHROPIC_MAX_PIXELS, ANTHROPIC_PIXELS_PER_TOKEN

DEFAULT_DEV = Path(__file__).resolve().parents[2] / "shared" / "data" / "dev"
DPI = 144


def tokens(width: float, height: float) -> int:
    return math.ceil(width * height / ANTHROPIC_PIXELS_PER_TOKEN)


def one_image(width_pt: float, height_pt: float, most_px_per_pt: float = math.inf) -> tuple[int, int]:
    """The page as one image of at most 1568 px on its long edge and ``most_px_per_pt``, after the API's
    downscale to its pixel limit (width, height)."""
    scale = min(ANTHROPIC_MAX_EDGE / max(width_pt, height_pt), most_px_per_pt)
    scale = min(scale, math.sqrt(ANTHROPIC_MAX_PIXELS / (width_pt * height_pt)))
    return round(width_pt * scale), round(height_pt * scale)


def measure(path: Path, page_number: int) -> dict:
    with open_document(str(path)) as opened:
        page = opened.load(page_number)
        region = page_region(page.pdf_page)
        request = plan_request(page, region, DPI, has_text=page.meta.has_text)
        scale = native_scale(page, region, DPI, has_text=page.meta.has_text)
    padded = plan_region(region, anthropic_budget(), max_dpi=72 * scale)  # thumbnail + tiles, each 1072 px square
    whole, sharp = one_image(region.width, region.height), one_image(region.width, region.height, scale)
    return {"case": path.name, "page": page_number,
            "sizes": " + ".join(f"{int(i.size.width)}x{int(i.size.height)}" for i in request.images),
            "images": len(request.images), "figtab": request.tokens,
            "anyres": (padded.grid.n_tiles + 1) * tokens(padded.tile, padded.tile),
            "whole": f"{whole[0]}x{whole[1]}", "whole_tokens": tokens(*whole),
            "own": f"{sharp[0]}x{sharp[1]}", "own_tokens": tokens(*sharp)}


def cases(dev: Path) -> dict[str, list[tuple[Path, int]]]:
    groups: dict[str, list[tuple[Path, int]]] = {"raster charts (PNG)": [], "raster tables (PNG)": [],
                                                 "born-digital table pages (PDF, 144 dpi)": []}
    with (dev / "MANIFEST.tsv").open() as stream:
        for row in csv.DictReader(stream, delimiter="\t"):
            path, page = dev / f"{row['kind']}s" / row["file"], max(1, int(row["page"] or 1))
            if row["file"].endswith(".png"):
                groups[f"raster {row['kind']}s (PNG)"].append((path, page))
            elif row["kind"] == "table":
                groups["born-digital table pages (PDF, 144 dpi)"].append((path, page))
    return groups


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dev", type=Path, default=DEFAULT_DEV)
    parser.add_argument("--rows", action="store_true", help="print every case, not only the summary per group")
    args = parser.parse_args()
    groups = {group: [measure(path, page) for path, page in sorted(set(items))]
              for group, items in cases(args.dev).items()}
    if args.rows:
        print("| group | case | figtab: images sent (px) | tokens | plain AnyRes tokens | one image @1568 (px) | "
              "tokens | one image, own resolution (px) | tokens |")
        print("|---|---|---|---|---|---|---|---|---|")
        for group, rows in groups.items():
            for r in rows:
                print(f"| {group} | {r['case']} p{r['page']} | {r['sizes']} | {r['figtab']} | {r['anyres']} | "
                      f"{r['whole']} | {r['whole_tokens']} | {r['own']} | {r['own_tokens']} |")
        print()
    print("| group | cases | figtab images a request | estimated input tokens a page (median; total): figtab | "
          "plain AnyRes | one image @1568 | one image, own resolution |")
    print("|---|---|---|---|---|---|---|")
    for group, rows in groups.items():
        counts = sorted({r["images"] for r in rows})
        spread = f"{counts[0]}-{counts[-1]}" if len(counts) > 1 else str(counts[0])
        cells = " | ".join(f"{statistics.median(r[key] for r in rows):,.0f}; {sum(r[key] for r in rows):,}"
                           for key in ("figtab", "anyres", "whole_tokens", "own_tokens"))
        print(f"| {group} | {len(rows)} | {spread} | {cells} |")


if __name__ == "__main__":
    main()
