"""The private parts of Whoosh the engine relies on (articles.search.engine.whoosh.internals)
still behave as Whoosh's public API does: a Whoosh upgrade that changes one fails here.

Also: compound segments are read in place, not copied onto the heap (.files, .internals).
"""

import io
import mmap
import pickle

import pytest
from whoosh import fields, scoring
from whoosh.filedb import compound
from whoosh.filedb.filestore import FileStorage
from whoosh.qparser import QueryParser
from whoosh.util.numeric import byte_to_length

from articles.search.engine.whoosh.files import MemoryviewReader
from articles.search.engine.whoosh.internals import (
    ZeroCopyBufferFile,
    is_block_matcher,
    latest_generation,
    length_codes,
    posting_blocks,
    toc_filename,
)


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


@pytest.fixture
def small_index(tmp_path):
    """An index of 300 short documents in two segments; "coalition" has several posting blocks."""
    schema = fields.Schema(id=fields.ID(stored=True), text=fields.TEXT)
    ix = FileStorage(str(tmp_path)).create_index(schema, indexname="MAIN")
    for first in (0, 150):
        with ix.writer() as writer:
            for number in range(first, first + 150):
                words = " ".join(["coalition"] * (1 + number % 4))
                writer.add_document(id=str(number), text=f"{words} reunion numero{number}")
    return ix


def test_the_latest_generation_and_its_file_name_are_those_of_the_opened_index(
    small_index, tmp_path
):
    storage = small_index.storage
    assert latest_generation(storage, "MAIN") == small_index.latest_generation()
    assert toc_filename("MAIN", small_index.latest_generation()) in storage.list()
    assert latest_generation(FileStorage(str(tmp_path / "empty")), "MAIN") == -1


def test_posting_blocks_give_the_ids_weights_and_values_of_the_public_matcher(small_index):
    with small_index.searcher() as searcher:
        for reader, _offset in searcher.reader().leaf_readers():
            public = reader.postings("text", "coalition")
            expected = []
            while public.is_active():
                expected.append((public.id(), public.weight(), public.value()))
                public.next()
            matcher = reader.postings("text", "coalition")
            assert is_block_matcher(matcher)
            blocks = list(posting_blocks(matcher, with_values=True))
            assert len(blocks) > 1, "the term spans several posting blocks"
            read = [
                (docnum, weight, value)
                for ids, weights, values in blocks
                for docnum, weight, value in zip(ids, weights, values, strict=True)
            ]
            assert read == expected
            without_values = list(posting_blocks(reader.postings("text", "coalition")))
            assert all(values is None for _ids, _weights, values in without_values)


def test_length_codes_are_the_lengths_whoosh_reads_one_document_at_a_time(small_index):
    with small_index.searcher() as searcher:
        for reader, _offset in searcher.reader().leaf_readers():
            count = reader.doc_count_all()
            codes = length_codes(reader, "text", count)
            assert codes is not None and len(codes) == count
            assert [byte_to_length(code) for code in codes] == [
                reader.doc_field_length(docnum, "text", 0) for docnum in range(count)
            ]


def test_bm25f_scorers_expose_the_parameters_the_numpy_ranking_reads(small_index):
    # Public attributes, not private ones, but the numpy ranking depends on their meaning.
    with small_index.searcher(weighting=scoring.BM25F(B=0.75, K1=1.2, text_B=0.5)) as searcher:
        scorer = searcher.weighting.scorer(searcher, "text", "coalition")
        assert (scorer.B, scorer.K1) == (0.5, 1.2)
        assert scorer.idf == searcher.idf("text", "coalition")
        assert scorer.avgfl == searcher.avg_field_length("text")
