"""LaTeX pgfplots (and pgf-pie for pies) through pdflatex: ybar/xbar, stacked, smooth lines (curves through the
data), only-marks scatters, tick labels typeset in math mode in Computer Modern, legends of line images or bar
swatches, on the right of their text or titled where asked. Needs Debian's ``texlive-pictures`` (pgfplots,
pgf-pie) and ``texlive-latex-extra``."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from bench.producers import Producer, Style
from figtab.flows.synth.spec import ChartSpec

_FAMILY = {"sans-serif": r"\renewcommand{\familydefault}{\sfdefault}", "serif": "",
           "monospace": r"\renewcommand{\familydefault}{\ttdefault}"}
_TICKS = {"plain": r"/pgf/number format/fixed",
          "thousands": r"/pgf/number format/fixed, /pgf/number format/1000 sep={,}",
          "percent": r"/pgf/number format/fixed", "currency": r"/pgf/number format/fixed, "
                                                             r"/pgf/number format/1000 sep={,}",
          "suffix": r"/pgf/number format/fixed", "decimal": r"/pgf/number format/fixed, "
                                                            r"/pgf/number format/fixed zerofill, "
                                                            r"/pgf/number format/precision=2"}
_LABEL = {"percent": r"{\pgfmathprintnumber{\tick}\%}", "currency": r"{\$\pgfmathprintnumber{\tick}}",
          "suffix": r"{\pgfkeys{/pgf/fpu=true}\pgfmathparse{\tick/1000}\pgfmathprintnumber[fixed]{\pgfmathresult}k}"}


def _tex(text: str) -> str:
    return "".join("\\" + c if c in "&%$#_{}" else c for c in text)


def _colours(spec: ChartSpec) -> str:
    return "\n".join(rf"\definecolor{{c{i}}}{{HTML}}{{{c.lstrip('#').upper()}}}" for i, c in enumerate(spec.colors))


def _document(spec: ChartSpec, body: str) -> str:
    size = spec.font_size
    return rf"""\documentclass[border=6pt]{{standalone}}
\usepackage{{pgfplots}}\usepackage{{pgf-pie}}\pgfplotsset{{compat=1.18}}
{_FAMILY[spec.font]}
{_colours(spec)}
\begin{{document}}\fontsize{{{size}}}{{{size * 1.2:.1f}}}\selectfont
{body}
\end{{document}}
"""


def _axis_options(spec: ChartSpec, style: Style) -> list[str]:
    value = "x" if spec.horizontal else "y"
    other = "y" if spec.horizontal else "x"
    category = spec.x_kind == "category"
    size = spec.font_size
    options = [f"width={spec.width}pt", f"height={spec.height}pt", f"title={{{_tex(spec.title)}}}",
               rf"title style={{font=\fontsize{{{size + 3}}}{{{(size + 3) * 1.2:.1f}}}\selectfont\bfseries}}",
               f"scaled {value} ticks=false", f"{value}ticklabel style={{{_TICKS[spec.number_format]}}}"]
    if spec.number_format in _LABEL:
        options.append(f"{value}ticklabel={_LABEL[spec.number_format]}")
    if category:
        names = ",".join(_tex(str(x)) for x in spec.series[0].xs)
        options += [f"symbolic {other} coords={{{names}}}", f"{other}tick=data",
                    f"enlarge {other} limits={0.15 if spec.kind == 'bar' else 0.08}"]
    if spec.x_label:
        options.append(f"{other}label={{{_tex(spec.x_label)}}}")
    if spec.y_label:
        options.append(f"{value}label={{{_tex(spec.y_label)}}}")
    if spec.grid or spec.kind == "scatter":
        options.append(f"{value}majorgrids" if spec.kind != "scatter" else "grid=major")
    across, along = ("y", "x") if spec.horizontal else ("x", "y")
    angle = style.x_label_angle
    if angle:
        options.append(f"{across} tick label style={{rotate={angle}, anchor=east}}" if not spec.horizontal
                       else f"{across} tick label style={{rotate={angle}}}")
    if style.y_labels_upright:
        options.append(f"{along} tick label style={{rotate=90}}")
    if spec.kind == "bar":
        kind = "xbar" if spec.horizontal else "ybar"
        options.append(kind + (" stacked" if spec.stacked else ""))
        if min(y for s in spec.series for y in s.ys) >= 0:
            options.append(f"{value}min=0")  # bars stand on zero, not on the lowest value
        slots = len(spec.series[0].xs) * (1 if spec.stacked else len(spec.series))
        options.append(f"bar width={max(2.0, min(14.0, 0.6 * spec.width / slots)):.1f}pt")
    if spec.legend != "none":
        where = "outer north east" if spec.legend == "outside" else "north east"
        legend = [f"legend pos={where}"]
        if style.legend_text_first:
            legend += ["legend plot pos=right", "legend cell align=right"]
        else:
            legend.append("legend cell align=left")
        options += legend
    return options


def _coordinates(spec: ChartSpec, xs: list, ys: list[float]) -> str:
    def x_text(x) -> str:
        return _tex(str(x)) if isinstance(x, str) else f"{x:g}"

    pairs = [(f"{y:g}", x_text(x)) if spec.horizontal else (x_text(x), f"{y:g}") for x, y in zip(xs, ys)]
    return " ".join(f"({a},{b})" for a, b in pairs)


def _plots(spec: ChartSpec, style: Style) -> list[str]:
    lines = []
    if style.legend_title and spec.legend != "none":
        lines += [r"\addlegendimage{empty legend}", rf"\addlegendentry{{\textbf{{{_tex(style.legend_title)}}}}}"]
    for i, s in enumerate(spec.series):
        colour = f"c{i % len(spec.colors)}"
        if spec.kind == "bar":
            look = f"fill={colour}, draw=none"
        elif spec.kind == "scatter":
            look = f"only marks, mark={'o' if style.open_markers else '*'}, color={colour}"
        else:
            look = f"color={colour}, thick, mark={'*' if spec.markers else 'none'}" + (", smooth" if style.smooth
                                                                                       else "")
        lines.append(rf"\addplot[{look}] coordinates {{{_coordinates(spec, s.xs, s.ys)}}};")
        if spec.legend != "none":
            lines.append(rf"\addlegendentry{{{_tex(s.name)}}}")
    return lines


def _pie(spec: ChartSpec, style: Style) -> str:
    colours = ",".join(f"c{i % len(spec.colors)}" for i in range(len(spec.series[0].xs)))
    slices = ", ".join(f"{y:g}/{_tex(str(x))}" for x, y in zip(spec.series[0].xs, spec.series[0].ys))
    text = "label" if style.pie_outside_labels or spec.legend == "none" else "legend"
    radius = min(spec.width, spec.height) / 2 / 28.45 * 0.6  # cm
    return (rf"\begin{{tikzpicture}}\node[font=\bfseries] at (0,{radius + 0.8:.2f}) {{{_tex(spec.title)}}};"
            rf"\pie[radius={radius:.2f}, color={{{colours}}}, text={text}, hide number, sum=auto]{{{slices}}}"
            r"\end{tikzpicture}")


def draw(spec: ChartSpec, style: Style) -> bytes:
    if spec.kind == "pie":
        body = _pie(spec, style)
    else:
        body = "\\begin{tikzpicture}\\begin{axis}[\n" + ",\n".join(_axis_options(spec, style)) + "]\n" + \
            "\n".join(_plots(spec, style)) + "\n\\end{axis}\\end{tikzpicture}"
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "chart.tex").write_text(_document(spec, body))
        done = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "chart.tex"], cwd=tmp,
                              capture_output=True, text=True, timeout=120)
        pdf = Path(tmp) / "chart.pdf"
        if done.returncode != 0 or not pdf.exists():
            raise RuntimeError(f"pdflatex failed: {done.stdout.strip()[-800:]}")
        return pdf.read_bytes()


def _missing() -> str | None:
    if not shutil.which("pdflatex"):
        return "pdflatex not found (apt-get install texlive-latex-extra texlive-pictures)"
    done = subprocess.run(["kpsewhich", "pgfplots.sty"], capture_output=True, text=True)
    return None if done.stdout.strip() else "pgfplots.sty not found (apt-get install texlive-pictures)"


PRODUCER = Producer("pgfplots", ["bar", "line", "scatter", "pie"], ["category", "number"], True, draw, _missing)
