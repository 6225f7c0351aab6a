namespace Eventuali.Subscriptions;

/// <summary>
/// A subscription, projection or saga runner gave up on the store: the error was permanent, or transient errors
/// used up <see cref="SubscriptionRetryOptions.MaxAttempts"/>. The inner exception is the last error.
/// </summary>
public sealed class StoreRetryException : EventualiException
{
    /// <summary>Describes giving up on <paramref name="operation"/> after <paramref name="attempts"/> attempts.</summary>
    public StoreRetryException(string operation, int attempts, bool budgetUsedUp, Exception innerException)
        : base(Describe(operation, attempts, budgetUsedUp, innerException), innerException)
    {
        Operation = operation;
        Attempts = attempts;
        BudgetUsedUp = budgetUsedUp;
    }

    /// <summary>What was being done (for example "subscription 'orders' reading the log").</summary>
    public string Operation { get; }

    /// <summary>Attempts made in a row, the first try included.</summary>
    public int Attempts { get; }

    /// <summary>True when transient errors used up the retry budget; false when the last error was permanent.</summary>
    public bool BudgetUsedUp { get; }

    private static string Describe(string operation, int attempts, bool budgetUsedUp, Exception inner)
        => budgetUsedUp
            ? $"{operation} failed {attempts} times in a row with transient store errors and gave up (the retry budget is {attempts} attempts); last error: {inner.GetType().Name}: {inner.Message}"
            : $"{operation} failed with a permanent store error after {attempts} attempt{(attempts == 1 ? "" : "s")}: {inner.GetType().Name}: {inner.Message}";
}
