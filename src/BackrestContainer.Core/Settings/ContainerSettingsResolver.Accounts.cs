namespace BackrestContainer.Core.Settings;

/// <summary>The bootstrap accounts: the superuser's password, the application user and database, the replication role.</summary>
public static partial class ContainerSettingsResolver
{
    private static BootstrapAccounts ReadAccounts(EnvironmentReader reader)
    {
        var accounts = new BootstrapAccounts(
            ReadRoleName(reader, "PG_USER"),
            reader.Secret("PG_PASSWORD"),
            ReadRoleName(reader, "PG_DATABASE"),
            reader.Secret("PG_ROOT_PASSWORD"),
            ReadRoleName(reader, "PG_PRIMARY_USER"),
            reader.Secret("PG_PRIMARY_PASSWORD"));

        if (accounts.User.Value is not null && accounts.Password.Value is null)
        {
            reader.Problem("PG_PASSWORD", "PG_USER is set without a password; set PG_PASSWORD (or PG_PASSWORD_FILE)");
        }

        if (accounts.PrimaryUser.Value is not null && accounts.PrimaryPassword.Value is null)
        {
            reader.Problem("PG_PRIMARY_PASSWORD", "PG_PRIMARY_USER is set without a password; set PG_PRIMARY_PASSWORD (or PG_PRIMARY_PASSWORD_FILE)");
        }

        return accounts;
    }

    private static Setting<string?> ReadRoleName(EnvironmentReader reader, string variable)
    {
        var name = reader.OptionalString(variable);
        if (name.Value is { Length: > 63 })
        {
            reader.Problem(variable, "is longer than PostgreSQL's 63-byte identifier limit; use a shorter name");
        }

        return name;
    }
}
