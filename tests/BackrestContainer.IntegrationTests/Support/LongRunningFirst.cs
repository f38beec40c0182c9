using System.Reflection;
using Xunit;
using Xunit.Abstractions;

[assembly: TestCollectionOrderer("BackrestContainer.IntegrationTests.Support.LongRunningFirst", "BackrestContainer.IntegrationTests")]

namespace BackrestContainer.IntegrationTests.Support;

/// <summary>A class whose run takes minutes: it starts before the others, so none is left alone at the end of the suite.</summary>
[AttributeUsage(AttributeTargets.Class)]
internal sealed class LongRunningAttribute : Attribute;

/// <summary>
/// Orders the test classes (xunit's collections, one a class) longest first, the way a scheduler packs jobs onto a
/// few workers: the classes marked <see cref="LongRunningAttribute"/> start at once, the short ones fill the gaps.
/// </summary>
public sealed class LongRunningFirst : ITestCollectionOrderer
{
    private const string PerClassPrefix = "Test collection for ";

    public IEnumerable<ITestCollection> OrderTestCollections(IEnumerable<ITestCollection> testCollections) =>
        testCollections.OrderBy(collection => IsLongRunning(collection) ? 0 : 1).ToList();

    private static bool IsLongRunning(ITestCollection collection) =>
        collection.DisplayName.StartsWith(PerClassPrefix, StringComparison.Ordinal)
        && typeof(LongRunningFirst).Assembly.GetType(collection.DisplayName[PerClassPrefix.Length..].Split(' ')[0]) is { } type
        && type.GetCustomAttribute<LongRunningAttribute>() is not null;
}
