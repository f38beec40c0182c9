using System.CommandLine;
using System.Text;
using BackrestContainer.Cli;
using BackrestContainer.Container.Startup;
using BackrestContainer.Core.Settings;
using BackrestContainer.Core.Startup;
using BackrestContainer.RepositoryHost;

namespace BackrestContainer.Operations.Config;

/// <summary><c>backrest-container config</c>: the resolved settings, the pgbackrest.conf and PostgreSQL settings that would be written. No side effects.</summary>
internal static class ConfigCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--output", "-o")
        {
            Description = "text (default) or json",
            DefaultValueFactory = _ => "text",
        };
        output.AcceptOnlyFromAmong("text", "json");
        var command = new Command("config", "Show the resolved settings with their sources and the configuration the entrypoint would write; secrets are redacted.")
        {
            output,
        };
        command.SetAction((parseResult, cancellationToken) =>
            CommandRunner.RunAsync(
                (environment, _, _) =>
                {
                    if (RepositoryHostRole.Applies(environment))
                    {
                        var host = ContainerSettingsResolver.ResolveRepositoryHost(environment).GetOrThrow();
                        Console.Out.Write(parseResult.GetValue(output) == "json" ? RepositoryHostConfig.RenderJson(host) : RepositoryHostConfig.RenderText(host));
                        return Task.FromResult((int)ExitCode.Success);
                    }

                    var settings = ContainerSettingsResolver.Resolve(environment).GetOrThrow();
                    var plan = StartupPlanner.Plan(settings, new ClusterState(Preflight.HasCluster(settings.DataDirectory.Value)));
                    Console.Out.Write(parseResult.GetValue(output) == "json" ? RenderJson(settings, plan) : RenderText(settings, plan));
                    return Task.FromResult((int)ExitCode.Success);
                },
                cancellationToken));
        return command;
    }

    public static string RenderText(ContainerSettings settings, StartupPlan plan)
    {
        var text = new StringBuilder();
        var rows = SettingsReport.Rows(settings);
        var nameWidth = rows.Max(row => row.Name.Length) + 2;
        var valueWidth = Math.Min(60, rows.Max(row => row.Value.Length) + 2);
        text.Append("Settings (value, source, origin)\n");
        foreach (var row in rows)
        {
            text.Append("  ").Append(row.Name.PadRight(nameWidth)).Append(row.Value.PadRight(valueWidth))
                .Append(row.Source.ToString().ToLowerInvariant()).Append(": ").Append(row.Origin).Append('\n');
        }

        if (plan.PgbackrestConf is { } conf)
        {
            ConfigSections.AppendConf(text, conf);
        }

        text.Append('\n').Append(plan.PostgresConfigFile).Append(" (managed block)\n");
        foreach (var setting in plan.PostgresSettings)
        {
            text.Append("  ").Append(setting.Render()).Append("    # ").Append(setting.Why).Append('\n');
        }

        text.Append("\nAt start-up\n");
        text.Append("  initdb: ").Append(plan.Initdb is { } initdb ? string.Join(' ', initdb.Arguments) : "no (the data directory holds a cluster)").Append('\n');
        text.Append("  stanza-create and check: ").Append(plan.CreateStanza ? "yes" : "no").Append('\n');
        ConfigSections.AppendWarnings(text, settings.Warnings);

        return text.ToString();
    }

    public static string RenderJson(ContainerSettings settings, StartupPlan plan) =>
        ConfigSections.JsonDocument(json =>
        {
            json.WriteStartArray("settings");
            foreach (var row in SettingsReport.Rows(settings))
            {
                json.WriteStartObject();
                json.WriteString("name", row.Name);
                json.WriteString("value", row.Value);
                json.WriteString("source", row.Source.ToString().ToLowerInvariant());
                json.WriteString("origin", row.Origin);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            if (plan.PgbackrestConf is { } conf)
            {
                ConfigSections.WriteConf(json, conf);
            }
            else
            {
                json.WriteNull("pgbackrestConf");
            }

            json.WriteStartObject("postgresql");
            json.WriteString("file", plan.PostgresConfigFile);
            json.WriteStartObject("settings");
            foreach (var setting in plan.PostgresSettings)
            {
                json.WriteString(setting.Name, setting.Value);
            }

            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteBoolean("initdb", plan.Initdb is not null);
            json.WriteBoolean("createStanza", plan.CreateStanza);
            ConfigSections.WriteWarnings(json, settings.Warnings);
        });
}
