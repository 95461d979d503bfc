"""Finding the project a command runs in: the nearest folder with ``tmkit.toml``.

Apart from :mod:`toolkit.project.config` because every command asks it first,
including a rerun that a no-change stamp answers (:mod:`toolkit.project.nochange`)
without reading the settings: importing the settings' module (languages,
Babel's plural tables) cost ~40 ms of such a rerun's ~160 ms.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Optional

CONFIG_NAME = "tmkit.toml"


def find_root(start: os.PathLike | str = ".") -> Optional[Path]:
    """The project holding ``start``: the nearest folder, ``start`` or above, with ``tmkit.toml``.

    Like git finding ``.git``, so every command works from any subfolder of a
    project (``cd source && tmkit status``); None outside any project.
    """
    folder = Path(start).resolve()
    for candidate in (folder, *folder.parents):
        if (candidate / CONFIG_NAME).is_file():
            return candidate
    return None
