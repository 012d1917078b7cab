package dev.kg.neo4j;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.SettingValueParsers;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;

/**
 * Runs Neo4j Community embedded as a local Bolt server (no Docker needed).
 *
 * <p>Usage: {@code java -cp 'target/classes:target/lib/*' dev.kg.neo4j.Neo4jServer [HOME_DIR]}
 *
 * <p>Environment:
 *
 * <ul>
 *   <li>{@code KG_NEO4J_HOME} - Neo4j home folder (databases go in HOME/data, Neo4j's own logs in
 *       HOME/logs) when no argument is given; default {@code ./neo4j-home}.
 *   <li>{@code NEO4J_BOLT_PORT} - Bolt port on 127.0.0.1, default 7687.
 *   <li>{@code NEO4J_PASSWORD} - password of user {@code neo4j}, default {@code kgpassword}
 *       (at least 8 characters, Neo4j's minimum). It is applied on every start, so changing it
 *       between restarts changes the stored password.
 *   <li>{@code NEO4J_PAGECACHE} - page cache size, e.g. {@code 256m} (default) or {@code 1g}.
 *   <li>{@code NEO4J_TRANSACTION_TIMEOUT} - e.g. {@code 10m}; default is Neo4j's own (no
 *       timeout).
 * </ul>
 *
 * <p>Authentication is always on. On the very first start (no system database yet) the DBMS is
 * started once with Bolt disabled to set the password of {@code neo4j} through the system
 * database ({@code ALTER USER}), so the default {@code neo4j/neo4j} credentials are never
 * reachable over the network. Every later start applies {@code NEO4J_PASSWORD} again. The line
 * {@code READY bolt://HOST:PORT} is printed on stdout once Bolt accepts connections.
 */
public final class Neo4jServer {

    private static final String USER = "neo4j";
    private static final String HOST = "127.0.0.1";

    private Neo4jServer() {}

    public static void main(String[] args) throws Exception {
        Path home = Path.of(args.length > 0 ? args[0] : env("KG_NEO4J_HOME", "neo4j-home"))
                .toAbsolutePath()
                .normalize();
        int port = parsePort(env("NEO4J_BOLT_PORT", "7687"));
        String password = env("NEO4J_PASSWORD", "kgpassword");
        long pageCache = parseBytes(env("NEO4J_PAGECACHE", "256m"));
        String txTimeout = System.getenv("NEO4J_TRANSACTION_TIMEOUT");

        if (password.codePoints().count() < 8) {
            fail("NEO4J_PASSWORD must have at least 8 characters (Neo4j's minimum password length).");
        }
        Files.createDirectories(home);

        boolean fresh = !Files.isDirectory(home.resolve("data").resolve("databases").resolve("system"));
        if (fresh) {
            log("No existing database in " + home + ": creating one and setting the password of '"
                    + USER + "' (Bolt is off during this step).");
            DatabaseManagementService bootstrap = builder(home, pageCache, txTimeout, false, port).build();
            try {
                applyPassword(bootstrap, password, true);
            } finally {
                bootstrap.shutdown();
            }
        }

        log("Starting Neo4j (home " + home + ", Bolt on " + HOST + ":" + port + ").");
        DatabaseManagementService dbms;
        try {
            dbms = builder(home, pageCache, txTimeout, true, port).build();
        } catch (RuntimeException e) {
            e.printStackTrace();
            fail("Neo4j could not start: " + rootMessage(e)
                    + " (is another server already using port " + port + " or this data folder?)");
            return;
        }

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log("Stop requested: shutting Neo4j down cleanly...");
            try {
                dbms.shutdown();
                log("Neo4j stopped.");
            } catch (RuntimeException e) {
                log("Error while stopping Neo4j: " + rootMessage(e));
            } finally {
                stopped.countDown();
            }
        }, "neo4j-shutdown"));

        if (!fresh) {
            try {
                applyPassword(dbms, password, false);
            } catch (RuntimeException e) {
                log("ERROR: could not apply NEO4J_PASSWORD to user '" + USER + "': " + rootMessage(e));
                System.exit(1); // runs the shutdown hook
            }
        }

        // Make sure the default database is really up before announcing readiness.
        dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME).executeTransactionally("RETURN 1");
        System.out.println("READY bolt://" + HOST + ":" + port + " (user '" + USER + "', Neo4j "
                + neo4jVersion() + ")");
        System.out.flush();
        stopped.await();
    }

    private static DatabaseManagementServiceBuilder builder(
            Path home, long pageCache, String txTimeout, boolean bolt, int port) {
        DatabaseManagementServiceBuilder b = new DatabaseManagementServiceBuilder(home)
                .setConfig(GraphDatabaseSettings.auth_enabled, true)
                .setConfig(GraphDatabaseSettings.pagecache_memory, pageCache)
                .setConfig(GraphDatabaseSettings.udc_enabled, false)
                // LOAD CSV FROM 'file:///...' reads no file on this machine (the Docker image
                // confines it to its import folder; an embedded server has none unless set)
                .setConfig(GraphDatabaseSettings.allow_file_urls, false)
                .setConfig(HttpConnector.enabled, false)
                .setConfig(HttpsConnector.enabled, false)
                .setConfig(BoltConnector.enabled, bolt)
                .setConfig(BoltConnector.listen_address, new SocketAddress(HOST, port))
                .setConfig(BoltConnector.advertised_address, new SocketAddress(HOST, port))
                .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED);
        if (txTimeout != null && !txTimeout.isBlank()) {
            b.setConfig(GraphDatabaseSettings.transaction_timeout, parseDuration(txTimeout));
        }
        return b;
    }

    /**
     * Sets the password of user neo4j through the system database. Embedded transactions run with
     * full privileges, so no old password is needed.
     */
    private static void applyPassword(DatabaseManagementService dbms, String password, boolean first) {
        GraphDatabaseService system = dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME);
        try {
            system.executeTransactionally(
                    "ALTER USER " + USER + " SET PASSWORD $password CHANGE NOT REQUIRED",
                    Map.of("password", password));
            log(first ? "Password of user '" + USER + "' set from NEO4J_PASSWORD."
                      : "NEO4J_PASSWORD differs from the stored password: password of user '"
                        + USER + "' changed.");
        } catch (RuntimeException e) {
            String msg = rootMessage(e);
            if (!first && msg != null && msg.toLowerCase().contains("cannot be the same")) {
                log("Password of user '" + USER + "' unchanged (matches NEO4J_PASSWORD).");
                return;
            }
            throw e;
        }
    }

    private static String neo4jVersion() {
        Package p = DatabaseManagementService.class.getPackage();
        String v = p == null ? null : p.getImplementationVersion();
        return v == null ? "5.x" : v;
    }

    private static String env(String name, String dflt) {
        String v = System.getenv(name);
        return v == null || v.isEmpty() ? dflt : v;
    }

    private static int parsePort(String s) {
        try {
            int p = Integer.parseInt(s.trim());
            if (p > 0 && p < 65536) {
                return p;
            }
        } catch (NumberFormatException ignored) {
            // fall through
        }
        fail("NEO4J_BOLT_PORT must be a port number, got '" + s + "'.");
        return -1;
    }

    private static long parseBytes(String s) {
        try {
            return SettingValueParsers.BYTES.parse(s.trim());
        } catch (IllegalArgumentException e) {
            fail("NEO4J_PAGECACHE must look like 256m or 1g, got '" + s + "'.");
            return -1;
        }
    }

    private static Duration parseDuration(String s) {
        try {
            return SettingValueParsers.DURATION.parse(s.trim());
        } catch (IllegalArgumentException e) {
            fail("NEO4J_TRANSACTION_TIMEOUT must look like 30s or 10m, got '" + s + "'.");
            return null;
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() != null ? t.getMessage() : t.toString();
    }

    private static void log(String msg) {
        System.out.println("[kg-neo4j] " + msg);
        System.out.flush();
    }

    private static void fail(String msg) {
        System.err.println("[kg-neo4j] ERROR: " + msg);
        System.exit(1);
    }
}
