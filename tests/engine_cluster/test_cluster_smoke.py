"""The two-node SolrCloud of `make engine-up` answers French searches, and survives one node down.

Runs only against a running cluster: `make engine-up`, then, with the URL that it prints,
`ENGINE_CLUSTER_URL=http://127.0.0.1:8983/solr/archive .venv/bin/python -m pytest tests/…`
(the launcher's admin endpoint, ENGINE_CLUSTER_ADMIN_URL, defaults to http://127.0.0.1:8989).
Everything it indexes carries its own django_ct, and is deleted at the end.
"""

import os
import time

import pysolr
import pytest
import requests

CLUSTER_URL = os.environ.get("ENGINE_CLUSTER_URL", "")
ADMIN_URL = os.environ.get("ENGINE_CLUSTER_ADMIN_URL", "http://127.0.0.1:8989")

if not CLUSTER_URL:
    pytest.skip(
        "ENGINE_CLUSTER_URL is not set: start the cluster with `make engine-up` and set it to "
        "the collection URL that it prints",
        allow_module_level=True,
    )

CONTENT_TYPE = "tests.cluster_smoke"
DOCUMENTS = {
    "cluster-smoke-1": "La sécurité de l’État irakien face à Daech, selon le ministre.",
    "cluster-smoke-2": "Les frappes de la coalition se poursuivent autour de Mossoul.",
    "cluster-smoke-3": "Réunion des ministres de la coalition à Paris sur la stabilisation.",
}


def as_solr_document(identifier, text):
    return {"id": identifier, "django_ct": CONTENT_TYPE, "django_id": identifier, "text": text}


def matching_ids(client, query, **params):
    results = client.search(query, fq=f"django_ct:{CONTENT_TYPE}", fl="id", rows=10, **params)
    return sorted(document["id"] for document in results)


def health():
    return requests.get(f"{ADMIN_URL}/health", timeout=30).json()


def node_action(port, action):
    response = requests.post(f"{ADMIN_URL}/nodes/{port}/{action}", timeout=180)
    response.raise_for_status()
    return response.json()


def other_node(cluster_health):
    """The node that ENGINE_CLUSTER_URL does not go through: the one the fault test stops."""
    others = [node for node in cluster_health["nodes"] if not CLUSTER_URL.startswith(node["url"])]
    assert len(others) == 1, cluster_health["nodes"]
    return others[0]


@pytest.fixture(scope="module")
def solr():
    client = pysolr.Solr(CLUSTER_URL, always_commit=True, timeout=30)
    client.add([as_solr_document(key, text) for key, text in DOCUMENTS.items()])
    yield client
    client.delete(q=f"django_ct:{CONTENT_TYPE}", commit=True)
    assert matching_ids(client, "*:*") == []


def test_an_accentless_word_finds_the_accented_one(solr):
    assert matching_ids(solr, "securite") == ["cluster-smoke-1"]
    assert matching_ids(solr, "etat") == ["cluster-smoke-1"]
    assert matching_ids(solr, "État") == ["cluster-smoke-1"]


def test_stems_and_synonyms_are_the_engines(solr):
    assert matching_ids(solr, "frappe") == ["cluster-smoke-2"]
    assert matching_ids(solr, "ministre") == ["cluster-smoke-1", "cluster-smoke-3"]
    assert matching_ids(solr, "daesh") == ["cluster-smoke-1"]


def test_facets_highlights_and_spelling_answer_as_haystack_asks(solr):
    # The parameters that Haystack's Solr backend sends for each feature.
    facets = solr.search(
        "*:*", fq=f"django_ct:{CONTENT_TYPE}", rows=0, facet="true", **{"facet.field": "django_ct"}
    ).facets
    assert facets["facet_fields"]["django_ct"] == [CONTENT_TYPE, 3]
    highlights = solr.search(
        "securite", fq=f"django_ct:{CONTENT_TYPE}", hl="true", **{"hl.fragsize": "200"}
    ).highlighting
    assert "<em>sécurité</em>" in highlights["cluster-smoke-1"]["text"][0]
    spelling = solr.search(
        "coalision",
        fq=f"django_ct:{CONTENT_TYPE}",
        spellcheck="true",
        **{"spellcheck.collate": "true", "spellcheck.count": 1},
    ).spellcheck
    assert spelling["collations"] == ["collation", "coalition"]


def test_more_like_this_reaches_both_shards_through_the_query_parser(solr):
    # Solr's /mlt handler, which Haystack calls, reads only the shard it lands on; the {!mlt}
    # query parser fetches the document wherever it lives and searches every shard.
    shards = {
        document["id"]: document["[shard]"]
        for document in solr.search("*:*", fq=f"django_ct:{CONTENT_TYPE}", fl="id,[shard]")
    }
    assert shards["cluster-smoke-2"] != shards["cluster-smoke-3"]
    similar = matching_ids(solr, "{!mlt qf=text mintf=1 mindf=1}cluster-smoke-2")
    assert similar == ["cluster-smoke-3"]


def test_both_nodes_are_live_and_hold_every_shard(solr):
    cluster_health = health()
    assert cluster_health["healthy"] is True
    assert len(cluster_health["live_nodes"]) == 2
    nodes_by_shard = {}
    for replica in cluster_health["replicas"]:
        assert replica["active"], replica
        nodes_by_shard.setdefault(replica["shard"], set()).add(replica["node"])
    assert sorted(nodes_by_shard) == ["shard1", "shard2"]
    assert all(nodes == set(cluster_health["live_nodes"]) for nodes in nodes_by_shard.values())
    # Each node answers for the whole collection (it fans the query out to both shards).
    for node in cluster_health["nodes"]:
        client = pysolr.Solr(f"{node['url']}/archive", timeout=30)
        assert matching_ids(client, "coalition") == ["cluster-smoke-2", "cluster-smoke-3"]


def test_with_one_node_stopped_searches_and_writes_go_on(solr):
    stopped = other_node(health())
    try:
        degraded = node_action(stopped["port"], "stop")
        assert len(degraded["live_nodes"]) == 1
        assert matching_ids(solr, "securite") == ["cluster-smoke-1"]
        solr.add([as_solr_document("cluster-smoke-4", "Une nouvelle sécurité pour Raqqa.")])
        assert matching_ids(solr, "securite") == ["cluster-smoke-1", "cluster-smoke-4"]
    finally:
        restored = node_action(stopped["port"], "start")
    assert restored["healthy"] is True
    assert len(restored["live_nodes"]) == 2
    # The restarted node caught up with the write it missed: asked to answer from its own
    # replicas only, it finds the document.
    client = pysolr.Solr(f"{stopped['url']}/archive", timeout=30)
    local = {"shards.preference": "replica.location:local"}
    deadline = time.monotonic() + 30
    while matching_ids(client, "raqqa", **local) != ["cluster-smoke-4"]:
        assert time.monotonic() < deadline, "the restarted node never received the write"
        time.sleep(0.5)
