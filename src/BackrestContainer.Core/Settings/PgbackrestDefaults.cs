namespace BackrestContainer.Core.Settings;

/// <summary>
/// pgBackRest options the entrypoint sets when the user set nothing, chosen for speed; an explicit
/// <c>PGBACKREST_*</c> variable always wins. Retention is defaulted only when a schedule takes backups by itself
/// (else the repository would grow until the disk is full, unattended); without a schedule nothing is expired that
/// the user did not ask for.
/// </summary>
public static class PgbackrestDefaults
{
    public sealed record DefaultOption(string Name, string Value, string Section, string Why);

    public static readonly IReadOnlyList<DefaultOption> All =
    [
        new("compress-type", "zst", "global", "faster than gz at a similar ratio (bench/results.md)"),
        new("process-max", "2", "global", "two parallel processes for backup and restore (bench/results.md)"),
        new("start-fast", "y", "global", "checkpoint at once when a backup starts instead of waiting for a spread checkpoint"),
    ];

    /// <summary>
    /// With archive-async: parallel archive commands, and a deeper archive-get prefetch queue so a restore's replay is
    /// not starved. archive-push-queue-max stays unset on purpose: WAL beyond it is dropped from the archive.
    /// </summary>
    public static readonly IReadOnlyList<DefaultOption> Async =
    [
        new("process-max", "1", "global:archive-push", "async archive-push pushes one segment at a time: under a write load on 2 CPUs it left less backlog with less CPU than two (bench/results-archiving.md); raise PGBACKREST_PROCESS_MAX for a distant store and more CPUs"),
        new("process-max", "2", "global:archive-get", "async archive-get fetches two segments at a time"),
        new("archive-get-queue-max", "512MB", "global", "async archive-get prefetches up to 32 segments ahead of replay"),
        new("archive-timeout", "5", "global:archive-push", "PostgreSQL's archive command waits at most 5 s for its segment, then PostgreSQL retries: pgBackRest's own wait backs off, so after a store's outage a segment already pushed was noticed up to 20 s late (60 s wait)"),
    ];

    /// <summary>
    /// With an object store: pgBackRest retries a refused connection until io-timeout, nested (the socket and the HTTP
    /// request each retry), for each file it reads: an unreachable store costs about 8 × io-timeout per archive-push
    /// run, and the healthy repositories wait for it (measured: 120 s with 15 s). The archive commands move one small
    /// segment and PostgreSQL retries them, so they get 5 s; backup and restore keep 15 s of no progress, which
    /// spares a slow link (it bounds inactivity, not the transfer).
    /// </summary>
    public static readonly IReadOnlyList<DefaultOption> ObjectStore =
    [
        new("io-timeout", "15", "global", "an unreachable object store is noticed in seconds, not minutes (pgBackRest's 60 s, retried per file)"),
        new("io-timeout", "5", "global:archive-push", "a store that is down costs each push run about 40 s (8 retries × 5 s) before pgBackRest writes to the others; PID 1 pushes to those itself after 3 s (README)"),
        new("io-timeout", "5", "global:archive-get", "a restore or replica falls through a store that is down to the next one within about 40 s per segment"),
    ];

    /// <summary>
    /// With a backup schedule: keep two full backups (and everything that depends on them, and their WAL) per
    /// repository, as pgBackRest's user guide does; a full can be lost to damage and one complete chain remains.
    /// Spilo keeps five daily backups; PGO and CloudNativePG set no default.
    /// </summary>
    public const string ScheduledRetentionFull = "2";

    public static IEnumerable<DefaultOption> Retention(IEnumerable<int> repositories) =>
        repositories.Select(repository => new DefaultOption(
            $"repo{repository}-retention-full", ScheduledRetentionFull, "global",
            "a backup schedule is set: keep 2 full backups and what depends on them (pgBackRest's user guide); set PGBACKREST_REPO" + repository + "_RETENTION_FULL to change it"));

    /// <summary>
    /// An object store: a cluster is mostly small files (a new one about a thousand, most under 8 kB), each a request
    /// of its own without bundles; a request costs a round trip, and on a cloud store a charge. Bundled, they travel
    /// as a few objects of up to 20 MiB and empty files are not stored at all.
    /// </summary>
    public static IEnumerable<DefaultOption> Bundles(IEnumerable<int> objectStoreRepositories) =>
        objectStoreRepositories.Select(repository => new DefaultOption(
            $"repo{repository}-bundle", "y", "global",
            "an object store: small files travel together in bundles, a few requests instead of one a file (bench/results-object-storage.md)"));

    public static IEnumerable<PgbackrestOption> NotSetBy(
        IReadOnlyCollection<PgbackrestOption> explicitOptions, bool archiveAsync = false, IReadOnlyCollection<int>? objectStoreRepositories = null, IReadOnlyCollection<int>? scheduledRepositories = null) =>
        All.Concat(archiveAsync ? Async : [])
            .Concat(objectStoreRepositories is { Count: > 0 } stores ? ObjectStore.Concat(Bundles(stores)) : [])
            .Concat(Retention(scheduledRepositories ?? []))
            .Where(candidate => !explicitOptions.Any(option => option.Name == candidate.Name))
            .Select(candidate => new PgbackrestOption(candidate.Name, OptionValue.Plain(candidate.Value), candidate.Section, SettingSource.Default, candidate.Why));
}
