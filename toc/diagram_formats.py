"""The file formats a pathway diagram is drawn in, apart from the drawing code.

Kept on their own so that a command line that only lists them (``toc render --help``) does not
load Graphviz and networkx.

>>> FORMATS
('svg', 'png', 'pdf')
"""

from __future__ import annotations

__all__ = ["FORMATS"]

#: What :func:`toc.render.render` writes (Graphviz's own formats).
FORMATS = ("svg", "png", "pdf")
