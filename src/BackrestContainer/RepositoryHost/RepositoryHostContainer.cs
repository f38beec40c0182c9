using BackrestContainer.Container;
using BackrestContainer.Container.Supervision;
using BackrestContainer.Core.Runtime;
using BackrestContainer.Core.Settings;
using BackrestContainer.Core.Startup;
using BackrestContainer.Pgbackrest;
using BackrestContainer.Platform;
using Serilog;

namespace BackrestContainer.RepositoryHost;

/// <summary>
/// The repository host's life (`backrest-container repo-host`, PID 1): settings, the certificate, the repository's
/// directories and pgbackrest.conf, then pgBackRest's TLS server supervised beside the stanza and the backup
/// schedule, until a stop (exit 0) or the server's own exit (the orchestrator restarts the container).
/// </summary>
internal sealed class RepositoryHostContainer
{
    private const UnixFileMode Mode0750 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute;

    private readonly ILogger _log;
    private readonly ProcessRunner _runner;
    private readonly RuntimeState _state = RuntimeState.OfThisContainer;

    public RepositoryHostContainer(ILogger log)
    {
        _log = log;
        _runner = new ProcessRunner(log);
    }

    public async Task<int> RunAsync(EnvironmentSnapshot environment, CancellationToken cancellationToken)
    {
        using var signals = new ShutdownSignals(_log) { ServerName = "the pgBackRest TLS server" };
        using var background = new Supervisor();
        var settings = ContainerSettingsResolver.ResolveRepositoryHost(environment).GetOrThrow();
        signals.StopTimeout = TimeSpan.FromSeconds(settings.StopTimeoutSeconds.Value);
        foreach (var warning in settings.Warnings)
        {
            _log.Warning("{Warning}", warning);
        }

        var directories = WritableDirectory.OfPgbackrest(settings.Pgbackrest).ToList();
        PrepareDirectories(settings, directories);
        ProcessEnvironment.ScrubForChildren();
        NssWrapper.NameThisUserForChildren(ContainerSettings.SocketDirectory, _log);
        using var startup = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, signals.Requested);
        try
        {
            await CertificateCheck.RequireAsync(settings.Tls, environment.HostName, _runner, _log, startup.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (signals.WasRequested)
        {
            // The stop interrupted openssl: nothing was written yet.
        }

        if (signals.WasRequested)
        {
            _log.Information("Stopped before the TLS server was started");
            return (int)ExitCode.Success;
        }

        foreach (var directory in directories)
        {
            ConfigurationFiles.EnsureDirectory(new DirectoryToEnsure(directory.Path, Mode0750, directory.Purpose));
        }

        ConfigurationFiles.Write(StartupPlanner.PgbackrestConf(settings.Pgbackrest));
        _log.Information("Wrote {ConfigPath}", settings.Pgbackrest.ConfigPath.Value);
        using var server = PgbackrestTlsServer.Start(settings.Pgbackrest, settings.LogFormat.Value, _log);
        signals.Attach(server, background.StopAsync);
        background.Add(new RepositoryHostDuties(
            new StanzaKeeper(settings, new PgbackrestCli(settings.Pgbackrest, _runner, signals.Requested), _log),
            settings.Schedule.IsEmpty ? null : new BackupScheduler(settings.Schedule, settings.Pgbackrest.Repositories, new ContainerScheduledWork(environment, settings.Pgbackrest, null, _log), TimeProvider.System, _log),
            _log));
        _state.EnterPhase(StartupPhase.Ready);
        signals.Phase = () => StartupPhase.Ready;
        _log.Information(
            "ready: repository host for stanza {Stanza}; {Repositories}; database members {Members}; TLS server on port {Port}",
            settings.Pgbackrest.Stanza.Value, string.Join(", ", settings.Pgbackrest.Repositories.Select(settings.Pgbackrest.Describe)), string.Join(", ", settings.Members), TlsFiles.Port);
        try
        {
            return await ServerSupervision.UntilServerExitsAsync(server, background, signals, ExitCode.PgbackrestFailed, _log).ConfigureAwait(false);
        }
        finally
        {
            _state.ForgetPhase();
        }
    }

    /// <summary>Started as root: the directories are made and owned by the postgres user, which the process then becomes.</summary>
    private void PrepareDirectories(RepositoryHostSettings settings, IReadOnlyList<WritableDirectory> directories)
    {
        var runtimeDirectory = RuntimeDirectory.Ensure();
        if (!PrivilegeDrop.RunningAsRoot)
        {
            DirectoryAccess.RequireWritable(directories.Prepend(new WritableDirectory(ContainerSettings.SocketDirectory, "the runtime directory (pgbackrest.conf, state)")));
            return;
        }

        var user = ContainerUser.Lookup(ContainerUser.DefaultName, settings.RunAsUid.Value, settings.RunAsGid.Value);
        var configDirectory = Path.GetDirectoryName(ConfigurationFiles.Resolve(settings.Pgbackrest.ConfigPath.Value))!;
        PrivilegeDrop.PrepareDirectories(directories.Select(directory => directory.Path).Append(runtimeDirectory).Append(configDirectory), [], user, _log);
        PrivilegeDrop.BecomeUser(user, _log);
    }
}
