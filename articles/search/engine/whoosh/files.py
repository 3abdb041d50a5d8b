"""Read Whoosh's compound segment files without copying them into the process's memory.

A committed Whoosh segment is one ``.seg`` file that Whoosh maps into memory (``mmap``) and
hands out as one ``BufferFile`` per inner file (terms, postings, columns …). ``BufferFile``
keeps a ``BytesIO(buffer)`` for sequential reads, and ``BytesIO`` copies the buffer: opening a
searcher would copy every segment's postings onto the heap of each serving process. Whoosh's
random reads (``get``) already use the mapped buffer; :class:`MemoryviewReader` gives the
sequential reads the same buffer (through ``internals.ZeroCopyBufferFile``), so the postings stay
in the page cache, shared by every worker process, and only the pages a search touches count in
a process's RSS.
"""

import io


class MemoryviewReader(io.RawIOBase):
    """A read-only, seekable file over a memoryview: reads return bytes of that view only."""

    def __init__(self, buffer):
        super().__init__()
        self._view = memoryview(buffer).cast("B")
        self._position = 0

    def readable(self):
        return True

    def seekable(self):
        return True

    def tell(self):
        return self._position

    def seek(self, offset, whence=io.SEEK_SET):
        if whence == io.SEEK_SET:
            position = offset
        elif whence == io.SEEK_CUR:
            position = self._position + offset
        elif whence == io.SEEK_END:
            position = len(self._view) + offset
        else:
            raise ValueError(f"invalid whence {whence!r}")
        if position < 0:
            raise ValueError(f"negative seek position {position}")
        self._position = position
        return position

    def read(self, size=-1):
        start = min(self._position, len(self._view))
        end = len(self._view) if size is None or size < 0 else min(start + size, len(self._view))
        self._position = end
        return self._view[start:end].tobytes()

    def readinto(self, target):
        data = self.read(len(target))
        target[: len(data)] = data
        return len(data)

    def readline(self, size=-1):
        limit = len(self._view) if size is None or size < 0 else self._position + size
        line = bytearray()
        while self._position < min(limit, len(self._view)):
            chunk = self.read(min(256, limit - self._position))
            newline = chunk.find(b"\n")
            if newline >= 0:
                line += chunk[: newline + 1]
                self._position -= len(chunk) - newline - 1
                break
            line += chunk
        return bytes(line)
