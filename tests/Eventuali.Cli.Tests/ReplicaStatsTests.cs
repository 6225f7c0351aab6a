using Eventuali.PostgreSql;

namespace Eventuali.Cli.Tests;

/// <summary><c>eventuali stats</c> on a PostgreSQL URL with <c>replica=</c> (the standby of scripts/pg-replica.sh, env EVENTUALI_TEST_PG_REPLICA).</summary>
public sealed class ReplicaStatsTests
{
    private const string DefaultReplicaUrl = "postgresql://eventuali:eventuali@127.0.0.1:54329/eventuali?replica=127.0.0.1:54339";

    private static string ReplicaUrl => Environment.GetEnvironmentVariable("EVENTUALI_TEST_PG_REPLICA") is { Length: > 0 } url ? url : DefaultReplicaUrl;

    [Fact]
    public async Task Stats_show_each_replica_with_its_state_and_lag()
    {
        await using var scratch = new PgScratch("replica");
        var url = ReplicaUrl + "&schema=" + scratch.Schema;
        await using (var store = await PostgreSqlEventStore.OpenAsync(url, EventStoreOptions.Default, TestContext.Current.CancellationToken))
        {
            await store.AppendAsync("order-1", ExpectedVersion.NoStream, [EventData.Json("placed", "{}")], TestContext.Current.CancellationToken);
        }

        var endpoint = ReplicaUrl[(ReplicaUrl.IndexOf("replica=", StringComparison.Ordinal) + "replica=".Length)..];
        using var dir = new TempDirectory();
        var text = await CliProcess.RunAsync(dir.Path, "stats", "-d", url);
        Assert.True(text.ExitCode == 0, text.ToString());
        var line = Assert.Single(text.Out.Split('\n'), l => l.StartsWith(endpoint, StringComparison.Ordinal));
        Assert.Contains("streaming", line, StringComparison.Ordinal);

        var json = await CliProcess.RunAsync(dir.Path, "stats", "-d", url, "--json");
        Assert.True(json.ExitCode == 0, json.ToString());
        Assert.Contains($"\"replicas\":[{{\"endpoint\":\"{endpoint}\",\"reachable\":true,\"lag_bytes\":", json.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("eventuali:eventuali", text.Out + json.Out, StringComparison.Ordinal);
    }
}
