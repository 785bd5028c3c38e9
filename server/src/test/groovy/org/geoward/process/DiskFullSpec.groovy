package org.geoward.process

import java.nio.file.Files
import java.nio.file.Path
import java.time.Duration
import java.time.Instant
import java.time.temporal.ChronoUnit
import java.util.concurrent.ExecutorService
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import org.geoward.process.IngestLedger.Answer
import spock.lang.Requires
import spock.lang.Shared
import spock.lang.Specification

/**
 * The database's disk fills up under a running server while three senders post, and is freed again. Every table and
 * index of database {@code geoward} is moved into a tablespace on a small tmpfs of its own ({@link #DISK_MB} MB), so
 * that a filler file on that tmpfs leaves PostgreSQL no room to grow them: a statement that must extend a file fails
 * with SQLSTATE 53100 ("could not extend file ...: No space left on device"), as on a full data directory. Then the
 * WAL's own disk: {@code pg_wal} moved onto a tmpfs of its own and filled, PostgreSQL stops with a PANIC.
 *
 * <p>While the disk is full every sender must hear 503 with Retry-After (or, from the last free bytes of a page, a
 * 202), quickly, and with no internals in the body; once the filler is removed the same server process must accept
 * fixes again by itself, and no acknowledged fix may be lost. Needs root and {@code mount -t tmpfs}; where mounting is
 * refused the spec is skipped, with the probe's answer as the reason printed.
 */
@Requires(value = { DiskFullSpec.MOUNT_REFUSED == null },
        reason = "a small tmpfs cannot be mounted here (needs root and mount -t tmpfs): see the probe's answer printed above")
class DiskFullSpec extends Specification {
    static final String PASSWORD = "disk-full-pw"
    static final int SENDERS = 3
    static final int DISK_MB = 48
    /** How long the disk stays full once the first 503 came. */
    static final long FULL_MILLIS = 3_000
    /** What a 503 must not show a client: PostgreSQL's message, paths, Java names. */
    static final List<String> INTERNALS = ["No space", "could not extend", "pg_tblspc", "base/", "tmpfs", "PSQL",
                                           "SQL ", "Exception", "org.", "java.", "Hikari", "postgres"]

    /** Null when a tmpfs can be mounted here, else why not. */
    static final String MOUNT_REFUSED = mountRefusal()

    @Shared
    ServerProcess server = new ServerProcess("geoward-disk-full")

    @Shared
    Path disk

    @Shared
    Path walDisk

    @Shared
    ExecutorService threads = Executors.newFixedThreadPool(SENDERS)

    def cleanupSpec() {
        threads.shutdownNow()
        server.close()
        [disk, walDisk].findAll { it != null }.each {
            // the cluster is stopped, nothing holds the mount
            run("umount", it.toString())
            Files.deleteIfExists(it)
        }
    }

    def setupSpec() {
        server.start([GEOWARD_ADMIN_PASSWORD: PASSWORD])
    }

    def "with the database's disk full senders hear 503 and Retry-After without internals, and ingest recovers by itself once space returns"() {
        given: 'a server with three wards, each with a first batch stored'
        String token = server.token("admin", PASSWORD)
        List<Long> wards = (1..SENDERS).collect {
            server.create("/api/subjects", [kind: "WARD", name: "disk ward $it", offlineMinutes: 100_000, consent: [by: "guardian", textVersion: "test"]], token).id as long
        }
        Instant base = Instant.now().minus(3, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS)
        def outage = new Outage(server, token, wards, base, Duration.ofSeconds(45), 50)
        outage.postOneBatchEach(Duration.ofSeconds(30))
        long serverPid = server.process.pid()

        and: "every table and index of the database moved to a tablespace on a $DISK_MB MB tmpfs"
        disk = mountSmallDisk()
        moveEverythingTo(disk)
        long used = server.rows("SELECT pg_tablespace_size('small')")[0][0] as long
        println "tablespace 'small' holds ${used >> 10} kB of $DISK_MB MB"

        and: 'three senders posting batches, each until it is acknowledged'
        outage.start(threads)
        assert ServerProcess.waitFor(30) { outage.ledger.ackedFixes >= 10 * Outage.BATCH }: "the senders got no 202 before the disk filled"

        when: 'a filler file takes every byte left on the disk, and stays until the senders have heard 503 for a while'
        Path filler = disk.resolve("filler")
        long filled = fill(filler)
        long fullFrom = System.currentTimeMillis()
        boolean refused = ServerProcess.waitFor(30) { outage.heard(503, fullFrom) }
        long firstRefusal = outage.firstHeard(503, fullFrom) ?: System.currentTimeMillis()
        Thread.sleep(Math.max(0, firstRefusal + FULL_MILLIS - System.currentTimeMillis()))

        and: 'then it is removed, and the senders go on until one of them is acknowledged again, and two seconds more'
        Files.delete(filler)
        long freedAt = System.currentTimeMillis()
        boolean recovered = ServerProcess.waitFor(30) { outage.heard(202, freedAt) }
        long recoveredAfter = (outage.firstHeard(202, freedAt) ?: 0) - freedAt
        Thread.sleep(2_000)
        List<String> senderFailures = outage.stop(60)
        List<Answer> whileFull = outage.askedBetween(firstRefusal, freedAt)
        List<String> wrongWhileFull = Outage.wrong(whileFull, freedAt)
        List<String> leaks = outage.leaks(INTERNALS)
        List<String> serverErrors = outage.serverErrors()
        List<String> lost = outage.lost()
        println "filler ${filled >> 20} MB; answers: ${outage.ledger.tally()}; asked while full: ${whileFull.size()}," +
                " e.g. ${whileFull.find { it.status == 503 }}; first 202 ${recoveredAfter} ms after the space returned"

        then: 'with the disk full every sender was told 503 with Retry-After, quickly and without internals; no 500;' +
                ' the same server process takes fixes again once space returns; every acknowledged fix is stored'
        verifyAll {
            refused
            whileFull.count { it.status == 503 } >= SENDERS
            wrongWhileFull.take(10) == []
            leaks.take(5) == []
            serverErrors.take(10) == []
            recovered
            senderFailures == []
            server.alive
            server.process.pid() == serverPid
            lost.take(20) == []
        }
        and: 'the log says what happened, for an operator'
        Files.readString(server.log()).contains("No space left on device")
    }

    def "with pg_wal full PostgreSQL stops with a PANIC: senders hear 503 and Retry-After without internals, and once space is freed and the database started nothing acknowledged is lost"() {
        given: 'the same server, its PostgreSQL stopped and its WAL directory moved onto a tmpfs of its own (what it holds now and 32 MB), then started again'
        String token = server.token("admin", PASSWORD)
        List<Long> wards = (1..SENDERS).collect {
            server.create("/api/subjects", [kind: "WARD", name: "wal ward $it", offlineMinutes: 100_000, consent: [by: "guardian", textVersion: "test"]], token).id as long
        }
        int databasePort = server.databasePort()
        assert server.pgCtl(60, "-D", server.pgData.toString(), "-m", "fast", "-w", "-t", "30", "stop").exit == 0
        walDisk = moveWalToSmallDisk()
        server.startDatabase(databasePort)
        Instant base = Instant.now().minus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS)
        def outage = new Outage(server, token, wards, base, Duration.ofSeconds(45), 50)
        outage.postOneBatchEach(Duration.ofSeconds(60))
        server.database().withCloseable { it.createStatement().execute("CREATE TABLE wal_filler (n int, pad text)") }
        long serverPid = server.process.pid()

        and: 'three senders posting batches, each until it is acknowledged'
        outage.start(threads)
        assert ServerProcess.waitFor(30) { outage.ledger.ackedFixes >= 10 * Outage.BATCH }: "the senders got no 202 before the WAL disk filled"

        when: 'a filler file takes every byte left on the WAL disk, and a bulk insert (another job of the database) writes WAL until PostgreSQL cannot'
        long filled = fill(walDisk.resolve("filler"))
        long fullFrom = System.currentTimeMillis()
        String bulk = bulkInsert()
        boolean refused = ServerProcess.waitFor(60) { outage.heard(503, fullFrom) }
        long firstRefusal = outage.firstHeard(503, fullFrom) ?: System.currentTimeMillis()
        Thread.sleep(Math.max(0, firstRefusal + FULL_MILLIS - System.currentTimeMillis()))
        String pgLog = Files.readString(server.pgRoot.resolve("server.log"))

        and: 'then the filler is removed and PostgreSQL started again if it is not running (Geoward does not start it), and the senders go on until one is acknowledged again, and two seconds more'
        Files.delete(walDisk.resolve("filler"))
        boolean restartedByHand = server.pgCtl(30, "-D", server.pgData.toString(), "status").exit != 0
        if (restartedByHand) {
            server.startDatabase(databasePort)
        }
        long freedAt = System.currentTimeMillis()
        boolean recovered = ServerProcess.waitFor(60) { outage.heard(202, freedAt) }
        long recoveredAfter = (outage.firstHeard(202, freedAt) ?: 0) - freedAt
        Thread.sleep(2_000)
        List<String> senderFailures = outage.stop(60)
        List<Answer> whileFull = outage.askedBetween(firstRefusal, freedAt)
        // here a 202 is fine at any time while the WAL disk is full, not only after the space returns
        List<String> wrongWhileFull = Outage.wrong(whileFull, 0)
        List<String> leaks = outage.leaks(INTERNALS)
        List<String> serverErrors = outage.serverErrors()
        List<String> lost = outage.lost()
        println "WAL filler ${filled >> 20} MB; bulk insert: $bulk; PostgreSQL restarted by hand: $restartedByHand;" +
                " answers: ${outage.ledger.tally()}; asked while full: ${whileFull.size()}, e.g. ${whileFull.find { it.status == 503 }};" +
                " first 202 ${recoveredAfter} ms after the space returned"

        then: 'PostgreSQL stopped with a PANIC for want of WAL space'
        pgLog.contains("PANIC") && pgLog.contains("No space left on device")

        and: 'every sender asking meanwhile was told 503 with Retry-After, quickly and without internals; no 500; the' +
                ' same server process takes fixes again; every acknowledged fix is stored'
        verifyAll {
            refused
            wrongWhileFull.take(10) == []
            leaks.take(5) == []
            serverErrors.take(10) == []
            recovered
            senderFailures == []
            server.alive
            server.process.pid() == serverPid
            lost.take(20) == []
        }
    }

    /**
     * Moves the stopped cluster's {@code pg_wal} onto a tmpfs owned by postgres, sized to what it holds and 32 MB, and
     * leaves a symbolic link in its place (as {@code initdb --waldir} does).
     */
    private Path moveWalToSmallDisk() {
        Path wal = server.pgData.resolve("pg_wal")
        long held = Files.walk(wal).withCloseable { files -> files.filter { Files.isRegularFile(it) }.mapToLong { Files.size(it) }.sum() }
        Path dir = Files.createTempDirectory("geoward-wal-disk")
        String uid = run("id", "-u", "postgres").output.trim()
        def mounted = run("mount", "-t", "tmpfs", "-o", "size=${(held >> 20) + 32}m,uid=$uid,mode=0700", "tmpfs", dir.toString())
        assert mounted.exit == 0: "mount: $mounted.output"
        def copied = run("sh", "-c", "cp -a '$wal'/. '$dir'/ && rm -rf '$wal' && ln -s '$dir' '$wal' && chown -h postgres '$wal'")
        assert copied.exit == 0: "moving pg_wal: $copied.output"
        dir
    }

    /** Inserts padded rows into {@code wal_filler} until the statement fails; returns how it ended. */
    private String bulkInsert() {
        try {
            server.database().withCloseable { c ->
                c.createStatement().execute("INSERT INTO wal_filler SELECT g, repeat(md5(g::text), 32) FROM generate_series(1, 2000000) g")
            }
            "it ended without an error"
        } catch (java.sql.SQLException e) {
            "failed: ${e.message?.readLines()?.first()}"
        }
    }

    /** A tmpfs of {@link #DISK_MB} MB owned by user postgres, for the tablespace. */
    private static Path mountSmallDisk() {
        Path dir = Files.createTempDirectory("geoward-small-disk")
        String uid = run("id", "-u", "postgres").output.trim()
        def mounted = run("mount", "-t", "tmpfs", "-o", "size=${DISK_MB}m,uid=$uid,mode=0700", "tmpfs", dir.toString())
        assert mounted.exit == 0: "mount: $mounted.output"
        dir
    }

    /**
     * Creates tablespace {@code small} at {@code location} and moves every table and index of database {@code geoward}
     * there (the catalogs and sequences stay). Done while the senders are quiet; waits at most 10 s for each lock.
     */
    private void moveEverythingTo(Path location) {
        server.database().withCloseable { c ->
            def statement = c.createStatement()
            statement.execute("SET lock_timeout = '10s'")
            statement.execute("CREATE TABLESPACE small LOCATION '$location'")
            statement.execute("ALTER TABLE ALL IN TABLESPACE pg_default SET TABLESPACE small")
            statement.execute("ALTER INDEX ALL IN TABLESPACE pg_default SET TABLESPACE small")
            // partitions made later (a new day) land there too
            server.rows("SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace" +
                    " WHERE n.nspname = 'public' AND c.relkind = 'p'").each {
                statement.execute("ALTER TABLE \"${it[0]}\" SET TABLESPACE small")
            }
        }
    }

    /** Writes {@code file} in 1 MB blocks until the disk is full; returns its size. */
    private static long fill(Path file) {
        byte[] block = new byte[1 << 20]
        Arrays.fill(block, (byte) 1)
        def out = Files.newOutputStream(file)
        try {
            while (true) {
                out.write(block)
            }
        } catch (IOException ignored) {
            // No space left on device: the disk is full
        } finally {
            try {
                out.close()
            } catch (IOException ignored) {
                // the last block could not be flushed either
            }
        }
        Files.size(file)
    }

    /** Null when a 1 MB tmpfs can be mounted and unmounted, else what was refused (printed, as the skip's reason). */
    private static String mountRefusal() {
        String refusal = probeMount()
        if (refusal != null) {
            println "DiskFullSpec is skipped: $refusal"
        }
        refusal
    }

    private static String probeMount() {
        if (System.getProperty("user.name") != "root") {
            return "not root (${System.getProperty('user.name')}): mount -t tmpfs is refused"
        }
        if (run("id", "-u", "postgres").exit != 0) {
            return "no user postgres for the private cluster"
        }
        Path dir = Files.createTempDirectory("geoward-mount-probe")
        try {
            def mounted = run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", dir.toString())
            if (mounted.exit != 0) {
                return "mount -t tmpfs refused: ${mounted.output.trim()}"
            }
            run("umount", dir.toString())
            null
        } catch (IOException e) {
            "mount could not be run: $e"
        } finally {
            Files.deleteIfExists(dir)
        }
    }

    private static Map run(String... command) {
        def process = new ProcessBuilder(command).redirectErrorStream(true).start()
        String output = process.inputStream.text
        process.waitFor(30, TimeUnit.SECONDS)
        [exit: process.exitValue(), output: output]
    }
}
