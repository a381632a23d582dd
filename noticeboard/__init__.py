"""noticeboard: print-ready public-notice posters for townships and villages.

The Python API mirrors the command line::

    from pathlib import Path
    import noticeboard

    result = noticeboard.check(Path("两城镇"))
    result = noticeboard.build(Path("两城镇"), draft=True)
    for problem in result.problems:
        print(problem)
"""

from .pipeline import Result, build, check, lay_out, render, render_file
from .problems import Problem, Where
from .workspace import Loaded, load_workspace

__all__ = ["Result", "build", "check", "lay_out", "render", "render_file", "Problem", "Where", "Loaded",
           "load_workspace"]
