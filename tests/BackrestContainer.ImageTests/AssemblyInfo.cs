using Xunit;

// One engine, fixed example names: the image tests run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
