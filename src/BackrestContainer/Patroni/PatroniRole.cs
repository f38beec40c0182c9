namespace BackrestContainer.Patroni;

/// <summary>What Patroni says this member is once its PostgreSQL runs.</summary>
internal enum PatroniRole
{
    Leader,
    Replica,
}
