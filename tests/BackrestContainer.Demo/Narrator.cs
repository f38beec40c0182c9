using BackrestContainer.StandIn;

namespace BackrestContainer.Demo;

/// <summary>Prints each step as a user would see it: what they type in Docker, what came back, and what was verified.</summary>
internal static class Narrator
{
    public static void Flow(string name, string guideSection) =>
        Console.WriteLine($"\n=== {name} ({guideSection}) ===");

    public static void Docker(string command) => Console.WriteLine($"$ {command}");

    public static void Output(string text)
    {
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            Console.WriteLine($"    {line}");
        }
    }

    public static void Verified(string what) => Console.WriteLine($"  ok: {what}");

    public static void Expect(bool condition, string what, string evidence)
    {
        if (!condition)
        {
            Output(evidence);
            throw new DemoFailure(what);
        }

        Verified(what);
    }

    public static async Task<ExecResult> ExecAsync(ContainerStandIn container, string name, params string[] command)
    {
        Docker($"docker exec {name} {string.Join(' ', command.Select(Quote))}");
        var result = await container.ExecAsync(command);
        Output(result.Output);
        return result;
    }

    public static void Run(string name, ContainerSpec spec, string image = "backrest-container")
    {
        var environment = string.Join(' ', spec.Environment.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => $"-e {pair.Key}={Quote(pair.Value)}"));
        var command = spec.Command.SequenceEqual(["postgres"]) ? string.Empty : " " + string.Join(' ', spec.Command);
        Docker($"docker run -d --name {name} --hostname {spec.Hostname} {environment} -v <pgdata>:/pgdata -v <backrestrepo>:/backrestrepo {image}{command}");
    }

    private static string Quote(string value) =>
        value.Any(character => char.IsWhiteSpace(character) || character is '"' or '\'' or '$' or '(' or ')' or ';' or '*')
            ? "\"" + value.Replace("\"", "\\\"", StringComparison.Ordinal) + "\""
            : value;
}
