namespace Eventuali.MartenComparison;

internal static class Workload
{
    /// <summary>The same payload for both stores: {"accountId":"acc-000123","amount":12.5,"note":"deposit note 12"}.</summary>
    public static Deposited Event(int stream, int i) => new($"acc-{stream:D6}", 12.5m + (i % 7), $"deposit note {i}");
}
