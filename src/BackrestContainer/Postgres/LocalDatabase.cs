using Npgsql;

namespace BackrestContainer.Postgres;

/// <summary>Connections to the container's own server over its Unix socket, as the postgres superuser (peer authentication).</summary>
internal sealed class LocalDatabase : IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;

    public LocalDatabase(string socketDirectory, int port, string database = "postgres")
    {
        var connection = new NpgsqlConnectionStringBuilder
        {
            Host = socketDirectory,
            Port = port,
            Username = "postgres",
            Database = database,
            Pooling = false,
            Timeout = 5,
            // The entrypoint's own statements (bootstrap accounts, WAL switches) must not wait for a SYNC_REPLICA
            // that may not exist yet: the replica cannot connect before its replication role is created.
            Options = "-c synchronous_commit=local",
        };
        _dataSource = new NpgsqlSlimDataSourceBuilder(connection.ConnectionString).Build();
    }

    public ValueTask<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken) => _dataSource.OpenConnectionAsync(cancellationToken);

    /// <summary>Waits until the server accepts connections, failing early if it exits and late if it takes too long.</summary>
    public async Task WaitUntilAcceptingAsync(Task serverExit, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = timeout == Timeout.InfiniteTimeSpan ? DateTime.MaxValue : DateTime.UtcNow + timeout;
        while (true)
        {
            if (serverExit.IsCompleted)
            {
                throw new EntrypointException("PostgreSQL exited during start-up; its log above says why", ExitCode.PostgresFailed);
            }

            try
            {
                await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (Exception exception) when (IsUnreachable(exception))
            {
                if (DateTime.UtcNow > deadline)
                {
                    throw new EntrypointException(
                        $"PostgreSQL did not accept connections within {timeout.TotalSeconds:0} s ({exception.Message}); raise PG_CTL_START_TIMEOUT if recovery takes longer",
                        ExitCode.PostgresFailed);
                }

                // A refused socket costs microseconds: a short pause makes the first boot and every start ready sooner.
                await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Runs a query and returns its first row's columns as text (null for SQL NULL).</summary>
    /// <param name="timeout">How long the statement may run; Npgsql's 30 s when not given.</param>
    public async Task<IReadOnlyList<string?>> RowAsync(string sql, CancellationToken cancellationToken, TimeSpan? timeout = null)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(sql, connection, timeout);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return [];
        }

        var values = new string?[reader.FieldCount];
        for (var column = 0; column < reader.FieldCount; column++)
        {
            values[column] = await reader.IsDBNullAsync(column, cancellationToken).ConfigureAwait(false) ? null : reader.GetValue(column).ToString();
        }

        return values;
    }

    /// <param name="timeout">How long the statement may run; Npgsql's 30 s when not given.</param>
    public async Task<T> ScalarAsync<T>(string sql, CancellationToken cancellationToken, TimeSpan? timeout = null)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(sql, connection, timeout);
        var value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return (T)value!;
    }

    private static NpgsqlCommand Command(string sql, NpgsqlConnection connection, TimeSpan? timeout)
    {
        var command = new NpgsqlCommand(sql, connection);
        if (timeout is { } limit)
        {
            command.CommandTimeout = (int)Math.Ceiling(limit.TotalSeconds);
        }

        return command;
    }

    /// <summary>The server is down, starting, or refusing connections: the failures that say nothing about our SQL.</summary>
    public static bool IsUnreachable(Exception exception) =>
        exception is NpgsqlException or PostgresException or TimeoutException or System.Net.Sockets.SocketException;

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}
