"""Whoosh's compound segments are read in place, not copied onto the heap
(articles/whoosh_files.py)."""

import io
import mmap
import pickle

from whoosh import fields
from whoosh.filedb import compound
from whoosh.filedb.filestore import FileStorage
from whoosh.qparser import QueryParser

from articles.whoosh_files import MemoryviewReader, ZeroCopyBufferFile


def test_the_app_makes_compound_storage_hand_out_zero_copy_files():
    assert compound.BufferFile is ZeroCopyBufferFile


def test_a_reader_over_a_buffer_reads_seeks_and_reads_lines_like_a_file():
    data = b"first line\nsecond line\nrest without newline"
    reader = MemoryviewReader(memoryview(data)[0:])
    expected = io.BytesIO(data)
    assert reader.read(5) == expected.read(5)
    assert reader.readline() == expected.readline()
    assert reader.tell() == expected.tell()
    assert reader.seek(-7, io.SEEK_END) == expected.seek(-7, io.SEEK_END)
    assert reader.read() == expected.read()
    assert reader.read(3) == b""
    reader.seek(0)
    assert reader.readline(4) == b"firs"
    assert reader.seek(2, io.SEEK_CUR) == 6


def test_pickles_read_through_the_reader_come_back_whole():
    payload = {"segment": "MAIN_abc", "lengths": list(range(300)), "text": "sécurité\n"}
    reader = MemoryviewReader(memoryview(b"junk" + pickle.dumps(payload)))
    reader.seek(4)
    assert pickle.load(reader) == payload


def test_a_segment_opened_from_disk_shares_the_mapped_file_and_finds_the_same_hits(tmp_path):
    schema = fields.Schema(id=fields.ID(stored=True), text=fields.TEXT)
    ix = FileStorage(str(tmp_path)).create_index(schema)
    with ix.writer() as writer:
        for number in range(200):
            words = "coalition reunion" if number % 3 == 0 else "financement irak"
            writer.add_document(id=str(number), text=f"{words} numero{number}")
    segment_files = [name for name in ix.storage.list() if name.endswith(".seg")]
    assert segment_files, "the commit wrote a compound segment"

    with ix.searcher() as searcher:
        postings = searcher.reader().leaf_readers()[0][0]._terms._postfile
        # The postings are a view of the mapped segment file, not a copy in a BytesIO.
        assert isinstance(postings, ZeroCopyBufferFile)
        assert isinstance(postings.file, MemoryviewReader)
        assert isinstance(postings._buf.obj, mmap.mmap)
        hits = searcher.search(QueryParser("text", schema).parse("coalition"), limit=None)
        assert sorted(int(hit["id"]) for hit in hits) == list(range(0, 200, 3))
