using Eventuali.Subscriptions;

namespace Eventuali.Sagas;

/// <summary>How a <see cref="SagaRunner{TState}"/> runs. Every member is optional.</summary>
public sealed record SagaRunnerOptions
{
    /// <summary>The clock for timeouts and <see cref="SagaContext{TState}.Now"/>; default: the store's.</summary>
    public TimeProvider? TimeProvider { get; init; }

    /// <summary>Where state and timeouts live; default: the store itself (<see cref="SagaStoreExtensions.GetSagaStore"/>).</summary>
    public ISagaStore? SagaStore { get; init; }

    /// <summary>Where the runner's position is kept; default: the store when it implements <see cref="ICheckpointStore"/>, else none (start from the beginning; handled events are still recognised and skipped).</summary>
    public ICheckpointStore? Checkpoints { get; init; }

    /// <summary>The checkpoint's name; default <c>saga:{name}</c>.</summary>
    public string? CheckpointName { get; init; }

    /// <summary>Save the checkpoint after this many events that needed no handling (handled ones save at once).</summary>
    public int CheckpointEvery
    {
        get;
        init => field = value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(CheckpointEvery), value, "CheckpointEvery must be at least 1.");
    } = 100;

    /// <summary>How many failure handlers may run in a chain (a compensation that fails too) before the runner stops.</summary>
    public int MaxCompensationDepth
    {
        get;
        init => field = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(MaxCompensationDepth), value, "MaxCompensationDepth must be 0 or more.");
    } = 3;

    /// <summary>How transient store errors (a dropped connection, a failover) are ridden out; default <see cref="SubscriptionRetryOptions.Default"/>.</summary>
    public SubscriptionRetryOptions Retry
    {
        get;
        init => field = value ?? throw new ArgumentNullException(nameof(Retry), "Retry cannot be null (use SubscriptionRetryOptions.None for no retry).");
    } = SubscriptionRetryOptions.Default;
}
