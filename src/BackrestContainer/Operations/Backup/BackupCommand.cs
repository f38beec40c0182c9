using System.CommandLine;
using BackrestContainer.Cli;
using BackrestContainer.RepositoryHost;

namespace BackrestContainer.Operations.Backup;

/// <summary><c>backrest-container backup</c>: a backup with progress and a summary, no flags needed (docker exec).</summary>
internal static class BackupCommand
{
    public static Command Create()
    {
        var type = new Option<string>("--type")
        {
            Description = "full, diff or incr. The first backup of a stanza is full whatever this says.",
            DefaultValueFactory = _ => "full",
        };
        type.AcceptOnlyFromAmong("full", "diff", "incr");
        var annotations = new Option<string[]>("--annotation")
        {
            Description = "key=value stored with the backup (repeatable); `pgbackrest info --set=LABEL` shows it.",
            AllowMultipleArgumentsPerToken = false,
        };
        annotations.Validators.Add(result =>
        {
            foreach (var annotation in result.GetValueOrDefault<string[]>() ?? [])
            {
                if (!System.Text.RegularExpressions.Regex.IsMatch(annotation, "^[A-Za-z0-9_.-]{1,64}=[^\\x00-\\x1f]{0,1024}$"))
                {
                    result.AddError($"--annotation '{annotation.Replace("\n", "\\n", StringComparison.Ordinal)}' is not key=value (key: letters, digits, '_', '.', '-'; no control characters)");
                }
            }
        });
        var repository = new Option<int>("--repo")
        {
            Description = "The repository (repoN) to back up into; default 1.",
            DefaultValueFactory = _ => 1,
        };
        repository.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 1 or > 256)
            {
                result.AddError($"--repo {result.GetValueOrDefault<int>()} is not a repository number; use 1 to 256");
            }
        });
        var scheduledBy = new Option<string?>("--scheduled-by")
        {
            Description = "Set by PID 1 for the backups it schedules: the variable that scheduled it.",
            Hidden = true,
        };
        var command = new Command("backup", "Take a pgBackRest backup of this container's database, with progress and a summary.") { type, annotations, repository, scheduledBy };
        command.SetAction((parseResult, cancellationToken) =>
            CommandRunner.RunAsync(
                (environment, log, token) => RepositoryHostRole.Applies(environment)
                    ? new RepositoryHostBackup(log).RunAsync(environment, parseResult.GetValue(type)!, parseResult.GetValue(annotations) ?? [], parseResult.GetValue(repository), parseResult.GetValue(scheduledBy), token)
                    : new BackupOperation(log).RunAsync(environment, parseResult.GetValue(type)!, parseResult.GetValue(annotations) ?? [], parseResult.GetValue(repository), token, parseResult.GetValue(scheduledBy)),
                cancellationToken));
        return command;
    }
}
