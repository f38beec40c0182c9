using System.Reflection;
using Xunit;
using Xunit.Abstractions;

[assembly: TestCollectionOrderer("BackrestContainer.IntegrationTests.Support.LongRunningFirst", "BackrestContainer.IntegrationTests")]

namespace BackrestContainer.IntegrationTests.Support;

/// <summary>
/// A class whose tests take long together (about <paramref name="seconds"/>, as measured on the 2-CPU CI machine): the
/// longest start first, so that none is left running alone at the end of the suite.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
internal sealed class LongRunningAttribute(int seconds) : Attribute
{
    public int Seconds { get; } = seconds;
}

/// <summary>
/// Orders the test classes (xunit's collections, one a class) longest first, the way a scheduler packs jobs onto a
/// few workers (longest processing time first): the classes marked <see cref="LongRunningAttribute"/> by their
/// expected time, then the short ones, which fill the gaps and end the suite together.
/// </summary>
public sealed class LongRunningFirst : ITestCollectionOrderer
{
    private const string PerClassPrefix = "Test collection for ";

    public IEnumerable<ITestCollection> OrderTestCollections(IEnumerable<ITestCollection> testCollections) =>
        testCollections.OrderByDescending(ExpectedSeconds).ToList();

    private static int ExpectedSeconds(ITestCollection collection) =>
        collection.DisplayName.StartsWith(PerClassPrefix, StringComparison.Ordinal)
        && typeof(LongRunningFirst).Assembly.GetType(collection.DisplayName[PerClassPrefix.Length..].Split(' ')[0]) is { } type
        && type.GetCustomAttribute<LongRunningAttribute>() is { } longRunning
            ? longRunning.Seconds
            : 0;
}
