package org.pathways.neo4jtestserver;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.harness.Neo4j;
import org.neo4j.harness.Neo4jBuilders;

/**
 * Starts a throw-away in-process Neo4j (community, auth disabled, bolt on a free localhost port)
 * for the Pathways test suite.
 *
 * <p>Protocol: once Neo4j is up, exactly one line {@code NEO4J_BOLT_URI=bolt://host:port} is
 * written to stdout. Everything else (Neo4j chatter, errors) goes to stderr. The server runs until
 * stdin reaches end-of-file or a line {@code stop} is read, so it also stops when the parent dies.
 * The harness keeps its store and logs in a random folder under {@code java.io.tmpdir} and deletes
 * it on a clean shutdown.
 *
 * <p>Transaction memory is bounded as an operator must bound it for ad-hoc queries
 * ({@code db.memory.transaction.max}, see docs/web.md): {@value #TRANSACTION_MEMORY_MB} MiB per
 * transaction.
 */
public final class TestServer {
    private static final String URI_PREFIX = "NEO4J_BOLT_URI=";
    /** MiB one transaction may use before the server stops it. */
    static final long TRANSACTION_MEMORY_MB = 256;

    private TestServer() {}

    public static void main(String[] args) throws Exception {
        // Keep stdout for the protocol line only; anything else that prints goes to stderr.
        PrintStream protocol = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        System.setOut(System.err);

        Neo4j neo4j = Neo4jBuilders.newInProcessBuilder()
                .withDisabledServer() // no HTTP connector; bolt only
                // Netty's default 5 s quiet period (per event loop group) makes shutdown take
                // ~10 s; a test server does not need it.
                .withConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0)
                .withConfig(
                        GraphDatabaseInternalSettings.netty_server_shutdown_timeout,
                        Duration.ofSeconds(2))
                // db.memory.transaction.max: a runaway query fails with
                // Neo.TransientError.General.MemoryPoolOutOfMemoryError instead of filling the heap.
                .withConfig(
                        GraphDatabaseSettings.memory_transaction_max_size,
                        TRANSACTION_MEMORY_MB * 1024 * 1024)
                .build();
        AtomicBoolean closed = new AtomicBoolean(false);
        Runnable shutdown = () -> {
            if (closed.compareAndSet(false, true)) {
                neo4j.close();
            }
        };
        // SIGTERM / SIGINT: still shut down cleanly (and remove the temporary store).
        Runtime.getRuntime().addShutdownHook(new Thread(shutdown, "neo4j-testserver-shutdown"));

        protocol.println(URI_PREFIX + neo4j.boltURI());
        protocol.flush();

        try (BufferedReader in =
                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.trim().equalsIgnoreCase("stop")) {
                    break;
                }
            }
        }
        shutdown.run();
        System.exit(0);
    }
}
