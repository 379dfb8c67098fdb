"""Package mapping only (metadata lives in pyproject.toml): the repository's stage folders install as
``figtab.schemas``, ``figtab.tiling``, ``figtab.extractors`` and ``figtab.flows``, so `figtab` is the one
top-level name in site-packages. A new subpackage under a stage folder is picked up without editing this file.
"""

from setuptools import find_packages, setup

STAGES = ["schemas", "tiling", "extractors", "flows"]

packages = ["figtab"] + [f"figtab.{stage}{'.' + sub if sub else ''}"
                         for stage in STAGES for sub in ["", *find_packages(stage)]]
setup(packages=packages, package_dir={"figtab": "figtab", **{f"figtab.{stage}": stage for stage in STAGES}})
