namespace BackrestContainer.Core.Startup;

/// <summary>One <c>name = 'value'</c> line of postgresql.conf, with why it has that value.</summary>
public sealed record PostgresSetting(string Name, string Value, string Why)
{
    /// <summary>Rendered with PostgreSQL's own quoting: a single quote is doubled, so no value can end the string early.</summary>
    public string Render() => $"{Name} = '{Value.Replace("'", "''", StringComparison.Ordinal)}'";
}
