"""figtab: the charts and tables inside documents as validated data you can query with SQL.

    import figtab

    found = figtab.extract(["report.pdf"], db="results.duckdb")
    for figure in found:
        print(figure.page, figure.kind, figure.title)
    for failure in found.failures:
        print(failure.file, failure.message)
    figtab.connect("results.duckdb").sql("select * from chart_points").df()

The CLI (`figtab extract`, `figtab query`, ...) is a thin shell over these same functions.
"""

import sys
from importlib.metadata import PackageNotFoundError, version

# pymupdf imports its optional companions on import when they are installed (pymupdf 2 installs both): the ONNX
# page-layout model and pymupdf4llm with onnxruntime, about 0.45 s and 100 MB in every process and worker.
# figtab reads text and vector paths and uses neither, so both imports are skipped. Import them before figtab
# to keep them.
for _companion in ("pymupdf.layout", "pymupdf4llm"):
    sys.modules.setdefault(_companion, None)

from figtab.api import Extraction, connect, extract
from figtab.schemas import (BackendNotConfigured, BBox, Chart, Document, ExtractorError, Failure, FigtabError,
                            Figure, InputError, Page, Point, Series, Size, Span, StoreError, Table, Usage, UsageError)

try:
    __version__ = version("figtab")
except PackageNotFoundError:  # a source tree that was never installed
    __version__ = "0+unknown"

__all__ = [
    "BBox", "BackendNotConfigured", "Chart", "Document", "Extraction", "ExtractorError", "Failure", "FigtabError",
    "Figure", "InputError", "Page", "Point", "Series", "Size", "Span", "StoreError", "Table", "Usage", "UsageError",
    "__version__", "connect", "extract",
]
