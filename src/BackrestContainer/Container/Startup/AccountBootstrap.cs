using BackrestContainer.Core.Settings;
using BackrestContainer.Postgres;
using Npgsql;
using Serilog;

namespace BackrestContainer.Container.Startup;

/// <summary>
/// Creates the bootstrap roles and database of a new cluster. Utility statements take no parameters, so the server
/// itself quotes each identifier and password with format('%I', '%L') from bound parameters: no value is ever pasted into SQL.
/// </summary>
internal static class AccountBootstrap
{
    public static async Task RunAsync(LocalDatabase database, BootstrapAccounts accounts, ILogger log, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, "SET log_statement = 'none'", cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, "SET log_min_error_statement = 'panic'", cancellationToken).ConfigureAwait(false);

        if (accounts.RootPassword.Value is { } rootPassword)
        {
            await ExecuteFormattedAsync(connection, "ALTER ROLE postgres PASSWORD %L", [rootPassword.Reveal()], cancellationToken).ConfigureAwait(false);
            log.Information("Set the password of role postgres");
        }

        if (accounts.PrimaryUser.Value is { } primaryUser)
        {
            await UpsertRoleAsync(connection, primaryUser, accounts.PrimaryPassword.Value!, "LOGIN REPLICATION", cancellationToken).ConfigureAwait(false);
            log.Information("Created replication role {Role}", primaryUser);
        }

        if (accounts.User.Value is { } user)
        {
            await UpsertRoleAsync(connection, user, accounts.Password.Value!, "LOGIN", cancellationToken).ConfigureAwait(false);
            log.Information("Created role {Role}", user);
        }

        if (accounts.Database.Value is { } databaseName && !await ExistsAsync(connection, "SELECT 1 FROM pg_database WHERE datname = $1", databaseName, cancellationToken).ConfigureAwait(false))
        {
            await ExecuteFormattedAsync(connection, "CREATE DATABASE %I OWNER %I", [databaseName, accounts.User.Value ?? "postgres"], cancellationToken).ConfigureAwait(false);
            log.Information("Created database {Database}", databaseName);
        }
    }

    private static async Task UpsertRoleAsync(NpgsqlConnection connection, string role, SecretValue password, string attributes, CancellationToken cancellationToken)
    {
        var verb = await ExistsAsync(connection, "SELECT 1 FROM pg_roles WHERE rolname = $1", role, cancellationToken).ConfigureAwait(false) ? "ALTER" : "CREATE";
        await ExecuteFormattedAsync(connection, $"{verb} ROLE %I WITH {attributes} PASSWORD %L", [role, password.Reveal()], cancellationToken).ConfigureAwait(false);
    }

    private static async Task<bool> ExistsAsync(NpgsqlConnection connection, string sql, string value, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection) { Parameters = { new NpgsqlParameter { Value = value } } };
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null;
    }

    private static async Task ExecuteFormattedAsync(NpgsqlConnection connection, string template, IReadOnlyList<string> values, CancellationToken cancellationToken)
    {
        var placeholders = string.Join(", ", values.Select((_, index) => $"${index + 2}"));
        await using var format = new NpgsqlCommand($"SELECT format($1, {placeholders})", connection);
        format.Parameters.Add(new NpgsqlParameter { Value = template });
        foreach (var value in values)
        {
            format.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        var statement = (string)(await format.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        await ExecuteAsync(connection, statement, cancellationToken).ConfigureAwait(false);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
