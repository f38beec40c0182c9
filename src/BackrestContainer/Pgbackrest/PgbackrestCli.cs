using BackrestContainer.Core.PgbackrestOutput;
using BackrestContainer.Core.Settings;
using BackrestContainer.Platform;

namespace BackrestContainer.Pgbackrest;

/// <summary>Runs pgbackrest commands against the configuration the entrypoint wrote; no secret is ever an argument.</summary>
internal sealed class PgbackrestCli
{
    private readonly PgbackrestSettings _settings;
    private readonly ProcessRunner _runner;
    private readonly CancellationToken _stop;

    /// <param name="stop">Asks a running pgbackrest to stop cleanly (SIGINT), e.g. on the container's stop signal.</param>
    public PgbackrestCli(PgbackrestSettings settings, ProcessRunner runner, CancellationToken stop = default)
    {
        _settings = settings;
        _runner = runner;
        _stop = stop;
    }

    public IReadOnlyList<string> Arguments(string command, params string[] extra) =>
        [$"--config={_settings.ConfigPath.Value}", $"--stanza={_settings.Stanza.Value}", .. extra, command];

    /// <summary>A warning, error or hint in pgBackRest's output: always shown, never swallowed by progress parsing.</summary>
    public static bool IsDiagnostic(string line) =>
        line.Contains("WARN:", StringComparison.Ordinal) || line.Contains("ERROR:", StringComparison.Ordinal) || line.Contains("HINT:", StringComparison.Ordinal);

    public Task<ProcessOutcome> RunAsync(string command, TimeSpan timeout, CancellationToken kill, params string[] extra) =>
        _runner.RunAsync("pgbackrest", Arguments(command, extra), timeout, stop: _stop, kill: kill);

    /// <summary>Writes a small file into repoN (pgBackRest's repo-put: the object store's own client, credentials from the configuration).</summary>
    public Task<ProcessOutcome> PutAsync(int repository, string path, string content, CancellationToken kill) =>
        _runner.RunWithInputAsync("pgbackrest", [.. Arguments("repo-put", $"--repo={repository}"), path], content, TimeSpan.FromSeconds(60), stop: _stop, kill: kill);

    /// <summary>repo-get or repo-rm of one file of repoN (the path is the command's parameter, after the command).</summary>
    public Task<ProcessOutcome> OnFileAsync(string command, int repository, string path, CancellationToken kill, params string[] extra) =>
        _runner.RunAsync("pgbackrest", [.. Arguments(command, [$"--repo={repository}", .. extra]), path], TimeSpan.FromSeconds(60), stop: _stop, kill: kill);

    /// <summary>Runs a command that must succeed, turning a failure into one clear line with pgBackRest's own error.</summary>
    public async Task<ProcessOutcome> RequireAsync(string command, string whatFailed, TimeSpan timeout, CancellationToken cancellationToken, params string[] extra)
    {
        var outcome = await RunAsync(command, timeout, cancellationToken, extra).ConfigureAwait(false);
        return outcome.Succeeded
            ? outcome
            : throw new EntrypointException($"{whatFailed} (pgbackrest {command} exited {outcome.ExitCode}): {Explain(outcome)}", ExitCode.PgbackrestFailed);
    }

    /// <summary>Why a pgbackrest command failed, in one line: an object store's real cause with its fix, else pgBackRest's own error lines.</summary>
    public string Explain(ProcessOutcome outcome) =>
        (_settings.RepositoryHost is { } host ? TlsFailureDiagnosis.Explain(outcome.StandardError + "\n" + outcome.StandardOutput, $"the repository host {host}", "PGBACKREST_REPO1_HOST") : null)
        ?? ObjectStoreDiagnosis.Explain(outcome.StandardError + "\n" + outcome.StandardOutput, _settings) ?? outcome.Summary();
}
