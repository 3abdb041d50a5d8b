package org.coalitionarchive.engine;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.commons.io.file.PathUtils;
import org.apache.solr.client.solrj.request.CollectionAdminRequest;
import org.apache.solr.cloud.MiniSolrCloudCluster;
import org.apache.solr.cloud.ZkTestServer;
import org.apache.solr.common.cloud.ClusterState;
import org.apache.solr.common.cloud.DocCollection;
import org.apache.solr.common.cloud.Replica;
import org.apache.solr.common.cloud.Slice;
import org.apache.solr.common.util.Utils;
import org.apache.solr.embedded.JettyConfig;
import org.apache.solr.embedded.JettySolrRunner;

/**
 * A two-node SolrCloud on loopback for the archive: an embedded ZooKeeper, one Jetty per node, and
 * the collection {@code archive} (2 shards, 2 replicas each, so every shard lives on both nodes).
 *
 * <p>Solr's own {@link MiniSolrCloudCluster} does the clustering, so this class only chooses ports,
 * reports state and offers a small admin endpoint through which the fault tests stop and restart
 * one node. It stays up until SIGTERM; the shutdown hook stops the nodes, then ZooKeeper.
 */
public final class ArchiveCluster {
  private static final String COLLECTION = "archive";
  private static final int SHARDS = 2;
  private static final int REPLICAS = 2;
  private static final String CONTEXT = "/solr";

  private final MiniSolrCloudCluster cluster;
  private final ZkTestServer zookeeper;
  private final Map<Integer, JettySolrRunner> nodes = new LinkedHashMap<>();

  private ArchiveCluster(MiniSolrCloudCluster cluster, ZkTestServer zookeeper) {
    this.cluster = cluster;
    this.zookeeper = zookeeper;
  }

  public static void main(String[] args) throws Exception {
    try {
      run();
    } catch (Exception e) {
      // ZooKeeper's and Jetty's threads would keep a half-started cluster alive: exit instead,
      // which runs the shutdown hook and tells `make engine-up` at once.
      progress("failed to start: " + e);
      e.printStackTrace();
      System.exit(1);
    }
  }

  private static void run() throws Exception {
    List<Integer> ports = new ArrayList<>();
    for (String port : env("ENGINE_SOLR_PORTS", "8983,8984").split(",")) {
      ports.add(Integer.parseInt(port.trim()));
    }
    int zkPort = Integer.parseInt(env("ENGINE_ZK_PORT", "9983"));
    int adminPort = Integer.parseInt(env("ENGINE_ADMIN_PORT", "8989"));
    Path dataDir = Path.of(env("ENGINE_DATA_DIR", "data/engine-cluster")).toAbsolutePath();
    Path configSet = Path.of(env("ENGINE_CONFIGSET", "deploy/solr/archive/conf")).toAbsolutePath();
    Path stateFile = Path.of(env("ENGINE_STATE_FILE", "data/engine-cluster.json")).toAbsolutePath();

    List<Integer> allPorts = new ArrayList<>(ports);
    allPorts.addAll(List.of(zkPort, adminPort));
    for (int port : allPorts) {
      requireFree(port);
    }
    // A CI cluster starts empty: the index is rebuilt from the database, never carried over.
    Files.deleteIfExists(stateFile);
    if (Files.exists(dataDir)) {
      PathUtils.deleteDirectory(dataDir);
    }
    progress("starting ZooKeeper on 127.0.0.1:" + zkPort);
    ZkTestServer zookeeper = new ZkTestServer(dataDir.resolve("zookeeper"), zkPort);
    zookeeper.run(true);
    JettyConfig base = JettyConfig.builder().setContext(CONTEXT).stopAtShutdown(false).build();
    MiniSolrCloudCluster mini =
        new MiniSolrCloudCluster(
            0, dataDir, MiniSolrCloudCluster.DEFAULT_CLOUD_SOLR_XML, base, zookeeper, false);
    ArchiveCluster archive = new ArchiveCluster(mini, zookeeper);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> archive.stop(stateFile, stopped)));

    for (int port : ports) {
      progress("starting Solr node on 127.0.0.1:" + port);
      JettyConfig config = JettyConfig.builder(base).setPort(port).build();
      archive.nodes.put(port, mini.startJettySolrRunner("node-" + port, CONTEXT, config));
    }
    mini.waitForAllNodes(60);
    progress("uploading configset " + configSet);
    mini.uploadConfigSet(configSet, COLLECTION);
    progress("creating collection " + COLLECTION + " (" + SHARDS + " shards x " + REPLICAS + ")");
    CollectionAdminRequest.createCollection(COLLECTION, COLLECTION, SHARDS, REPLICAS)
        .process(mini.getSolrClient());
    mini.waitForActiveCollection(COLLECTION, 120, TimeUnit.SECONDS, SHARDS, SHARDS * REPLICAS);

    archive.serveAdmin(adminPort);
    Map<String, Object> state = new LinkedHashMap<>();
    state.put("pid", ProcessHandle.current().pid());
    state.put("collection", COLLECTION);
    state.put("search_url", "solr://127.0.0.1:" + ports.get(0) + CONTEXT + "/" + COLLECTION);
    state.put("collection_url", nodeUrl(ports.get(0)) + "/" + COLLECTION);
    state.put("solr_urls", ports.stream().map(ArchiveCluster::nodeUrl).toList());
    state.put("zk_host", zookeeper.getZkAddress());
    state.put("admin_url", "http://127.0.0.1:" + adminPort);
    Path partial = stateFile.resolveSibling(stateFile.getFileName() + ".tmp");
    Files.writeString(partial, Utils.toJSONString(state));
    Files.move(partial, stateFile, StandardCopyOption.ATOMIC_MOVE);
    progress("ready: SEARCH_URL=" + state.get("search_url") + " (state in " + stateFile + ")");
    stopped.await();
  }

  /** GET /health, POST /nodes/PORT/stop and POST /nodes/PORT/start, on loopback only. */
  private void serveAdmin(int port) throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    server.createContext("/health", exchange -> reply(exchange, health(), true));
    server.createContext("/nodes/", this::handleNode);
    server.setExecutor(null);
    server.start();
  }

  private synchronized Map<String, Object> health() {
    ClusterState clusterState = cluster.getZkStateReader().getClusterState();
    List<Map<String, Object>> replicas = new ArrayList<>();
    boolean healthy = clusterState.getLiveNodes().size() == nodes.size();
    DocCollection collection = clusterState.getCollectionOrNull(COLLECTION);
    for (Slice shard : collection == null ? List.<Slice>of() : collection.getSlices()) {
      for (Replica replica : shard.getReplicas()) {
        boolean active = replica.isActive(clusterState.getLiveNodes());
        healthy &= active;
        replicas.add(Map.of("shard", shard.getName(), "node", replica.getNodeName(), "active", active));
      }
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("healthy", healthy && collection != null);
    body.put("live_nodes", new ArrayList<>(clusterState.getLiveNodes()));
    List<Map<String, Object>> running = new ArrayList<>();
    nodes.forEach(
        (port, node) ->
            running.add(Map.of("url", nodeUrl(port), "port", port, "running", node.isRunning())));
    body.put("nodes", running);
    body.put("replicas", replicas);
    return body;
  }

  private void handleNode(HttpExchange exchange) throws IOException {
    String[] parts = exchange.getRequestURI().getPath().split("/");
    JettySolrRunner node = parts.length == 4 ? nodes.get(Integer.valueOf(parts[2])) : null;
    if (node == null || !"POST".equals(exchange.getRequestMethod())) {
      exchange.sendResponseHeaders(404, -1);
      return;
    }
    try {
      synchronized (this) {
        if ("stop".equals(parts[3]) && node.isRunning()) {
          progress("stopping node " + parts[2]);
          cluster.stopJettySolrRunner(node);
          cluster.waitForJettyToStop(node);
          // Answer once every shard has a leader again: from then on the survivor serves all.
          cluster
              .getZkStateReader()
              .waitForState(
                  COLLECTION,
                  60,
                  TimeUnit.SECONDS,
                  (live, state) ->
                      state != null
                          && state.getSlices().stream()
                              .allMatch(s -> s.getLeader() != null && s.getLeader().isActive(live)));
        } else if ("start".equals(parts[3]) && !node.isRunning()) {
          progress("restarting node " + parts[2]);
          cluster.startJettySolrRunner(node, true);
          cluster.waitForNode(node, 60);
          cluster.waitForActiveCollection(
              COLLECTION, 120, TimeUnit.SECONDS, SHARDS, SHARDS * REPLICAS);
        }
      }
      reply(exchange, health(), false);
    } catch (Exception e) {
      exchange.sendResponseHeaders(500, -1);
    }
  }

  /** The health check answers 503 while degraded; a node action answers 200 once done. */
  private static void reply(HttpExchange exchange, Map<String, Object> body, boolean isCheck)
      throws IOException {
    byte[] bytes = Utils.toJSONString(body).getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    boolean degraded = isCheck && !Boolean.TRUE.equals(body.get("healthy"));
    exchange.sendResponseHeaders(degraded ? 503 : 200, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private void stop(Path stateFile, CountDownLatch stopped) {
    progress("stopping");
    try {
      Files.deleteIfExists(stateFile);
      cluster.shutdown();
      zookeeper.shutdown();
    } catch (Exception e) {
      progress("error while stopping: " + e);
    }
    progress("stopped");
    stopped.countDown();
  }

  /** Jetty reports a port in use only as "STOPPED": say which port, before starting anything. */
  private static void requireFree(int port) throws IOException {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    } catch (BindException e) {
      throw new IOException("port " + port + " on 127.0.0.1 is already in use", e);
    }
  }

  private static String nodeUrl(int port) {
    return "http://127.0.0.1:" + port + CONTEXT;
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }

  private static void progress(String message) {
    System.out.println("engine-cluster: " + message);
    System.out.flush();
  }
}
