namespace BackrestContainer.Demo;

/// <summary>A verification that did not hold: the flow stops and the summary marks it failed.</summary>
internal sealed class DemoFailure(string message) : Exception(message);
