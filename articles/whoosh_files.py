"""Moved to articles.search.engine.whoosh.files and .internals; shim until the restructure's
last step."""

from articles.search.engine.whoosh.files import MemoryviewReader  # noqa: F401
from articles.search.engine.whoosh.internals import (  # noqa: F401
    ZeroCopyBufferFile,
)
from articles.search.engine.whoosh.internals import (  # noqa: F401
    install_zero_copy_files as install,
)
