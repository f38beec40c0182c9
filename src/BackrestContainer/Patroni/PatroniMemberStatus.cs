namespace BackrestContainer.Patroni;

/// <summary>One member as Patroni's GET /cluster lists it: role (leader, sync_standby, replica), state, lag in bytes if known.</summary>
internal sealed record PatroniMemberStatus(string Name, string Role, string State, long? LagBytes)
{
    public bool Leads => Role is "leader" or "master" or "primary" or "standby_leader";

    public string Describe() =>
        $"{Name} {Role.Replace('_', ' ')} {State}{(LagBytes is { } lag && !Leads ? $", lag {lag} bytes" : string.Empty)}";
}
