"""The layered visual check of each recorded step: structure, style, pixels.

See ``check`` for how a step is judged, ``environment`` for when pixels count,
``baselines`` for where the files live, ``accept`` for taking a change over.
"""

from harness.visual.check import Snapshot, VisualConfig, VisualMode, check

__all__ = ["Snapshot", "VisualConfig", "VisualMode", "check"]
