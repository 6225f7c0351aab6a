using Npgsql;

namespace Eventuali.PostgreSql.Tests;

/// <summary>Waits until another session is blocked by a lock a test holds, instead of sleeping and hoping it got there.</summary>
internal static class LockWaits
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Returns once some session waits on a lock held by <paramref name="holder"/>; fails with the waiter's own error
    /// if <paramref name="waiter"/> ends first (it was meant to block), and at the deadline.
    /// </summary>
    public static async Task UntilBlockedByAsync(NpgsqlConnection holder, Task waiter, string what)
    {
        var ct = TestContext.Current.CancellationToken;
        var deadline = DateTime.UtcNow + Patience;
        await using var cmd = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE pg_backend_pid() = ANY (pg_blocking_pids(pid)))", holder);
        while (!(bool)(await cmd.ExecuteScalarAsync(ct))!)
        {
            if (waiter.IsCompleted)
            {
                await waiter; // surfaces its error
                Assert.Fail($"{what} finished although it should wait for the held lock");
            }

            Assert.True(DateTime.UtcNow < deadline, $"{what} did not reach the held lock within {Patience.TotalSeconds:N0} s");
            await Task.Delay(10, ct);
        }
    }
}
