"""The engine protocol: the configured engine's implementation, and the Whoosh patch installed
only where the Whoosh engine is configured (articles.search.engine)."""

import pytest
from whoosh.filedb import compound
from whoosh.filedb.structfile import BufferFile

from articles.search.engine import configured_engine, engine_class, install_configured_engines
from articles.search.engine.haystack import HaystackIndex
from articles.search.engine.whoosh.backend import FrenchWhooshEngine
from articles.search.engine.whoosh.index import WhooshIndex
from articles.search.engine.whoosh.internals import ZeroCopyBufferFile
from coalition_archive.search_settings import SOLR_ENGINE, WHOOSH_ENGINE


def test_the_whoosh_engine_names_its_implementation_and_others_get_haystacks():
    assert engine_class(FrenchWhooshEngine) is WhooshIndex
    assert engine_class(object) is HaystackIndex


@pytest.mark.django_db
def test_the_configured_engine_answers_for_the_tests_whoosh_index(search_index):
    engine = configured_engine()
    assert isinstance(engine, WhooshIndex)
    assert engine.lock_target == str(search_index.path)
    assert engine.ping()
    assert engine.document_count() == 0
    assert engine.expand_prefix("secur", limit=5) == ([], 0)


def test_the_file_patch_is_installed_only_with_the_whoosh_engine(monkeypatch):
    monkeypatch.setattr(compound, "BufferFile", BufferFile)
    install_configured_engines({"default": {"ENGINE": SOLR_ENGINE, "URL": "http://solr"}})
    assert compound.BufferFile is BufferFile
    install_configured_engines({"default": {"ENGINE": "no.such.Engine"}})
    assert compound.BufferFile is BufferFile
    install_configured_engines({"default": {"ENGINE": WHOOSH_ENGINE, "PATH": "/nowhere"}})
    assert compound.BufferFile is ZeroCopyBufferFile
