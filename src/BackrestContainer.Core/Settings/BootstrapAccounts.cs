namespace BackrestContainer.Core.Settings;

/// <summary>The roles and database created once, when the cluster is initialised.</summary>
public sealed record BootstrapAccounts(
    Setting<string?> User,
    Setting<SecretValue?> Password,
    Setting<string?> Database,
    Setting<SecretValue?> RootPassword,
    Setting<string?> PrimaryUser,
    Setting<SecretValue?> PrimaryPassword);
