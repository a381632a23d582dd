"""noticeboard: print-ready public-notice posters for townships and villages.

The Python API mirrors the command line::

    from pathlib import Path
    import noticeboard

    result = noticeboard.check(Path("两城镇"))
    result = noticeboard.build(Path("两城镇"), draft=True)
    for problem in result.problems:
        print(problem)

Every function takes a path as ``str`` or ``Path``. Problems in the user's files come back
in ``Result.problems``; a workspace or file that cannot be read at all raises
``UnreadableInput``, whose ``problem`` says why in the same words as the command line.
"""

from .pipeline import Result, build, check, lay_out, publications, render, render_file, year_figures
from .problems import Problem, UnreadableInput, Where
from .starter import Started, new_notice
from .workspace import Loaded, load_workspace

__all__ = ["Result", "build", "check", "lay_out", "publications", "render", "render_file", "year_figures", "Problem",
           "UnreadableInput", "Where", "Started", "new_notice", "Loaded", "load_workspace"]
