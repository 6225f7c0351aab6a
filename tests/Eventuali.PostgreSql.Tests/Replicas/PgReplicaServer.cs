namespace Eventuali.PostgreSql.Tests;

/// <summary>
/// The streaming hot standby that scripts/pg-replica.sh runs next to the test server (env EVENTUALI_TEST_PG_REPLICA:
/// the server's URL with <c>replica=host:port</c>, as the script prints it), and the faults the script injects.
/// </summary>
public static class PgReplicaServer
{
    public const string DefaultUrl = "postgresql://eventuali:eventuali@127.0.0.1:54329/eventuali?replica=127.0.0.1:54339";

    /// <summary>The primary's URL with <c>replica=</c>.</summary>
    public static string Url => Environment.GetEnvironmentVariable("EVENTUALI_TEST_PG_REPLICA") is { Length: > 0 } url ? url : DefaultUrl;

    /// <summary>A store on a fresh schema of the primary, reading from the replica.</summary>
    public static async Task<PostgreSqlEventStore> OpenAsync(string schema, CancellationToken ct)
    {
        await EnsureAsync();
        return await PostgreSqlEventStore.OpenStoreAsync(PgTestServer.WithSchema(Url, schema), EventStoreOptions.Default, ct);
    }

    /// <summary>The primary and the replica answer, or a clear failure saying how to start them.</summary>
    public static async Task EnsureAsync()
    {
        await PgTestServer.UrlAsync();
        await StatusCheck.Value;
    }

    /// <summary><c>pg_wal_replay_pause()</c> on the standby.</summary>
    public static Task PauseAsync(CancellationToken ct) => TestScripts.RunAsync("pg-replica.sh", "pause", TimeSpan.FromSeconds(60), ct);

    /// <summary><c>pg_wal_replay_resume()</c> on the standby.</summary>
    public static Task ResumeAsync(CancellationToken ct) => TestScripts.RunAsync("pg-replica.sh", "resume", TimeSpan.FromSeconds(60), ct);

    /// <summary>Stops the standby's server (its data stays; <see cref="StartAsync"/> resumes it).</summary>
    public static Task HaltAsync(CancellationToken ct) => TestScripts.RunAsync("pg-replica.sh", "halt", TimeSpan.FromSeconds(90), ct);

    /// <summary>Starts the standby and waits until it has caught up with the primary.</summary>
    public static Task StartAsync(CancellationToken ct) => TestScripts.RunAsync("pg-replica.sh", "start", TimeSpan.FromSeconds(120), ct);

    // The replica answers once per run, or the tests fail saying how to start it (never a silent fall back to the primary).
    private static readonly Lazy<Task> StatusCheck = new(async () =>
    {
        await using var probe = await PostgreSqlEventStore.OpenStoreAsync(PgTestServer.WithSchema(Url, PgTestServer.NewSchemaName("probe")), EventStoreOptions.Default, CancellationToken.None);
        try
        {
            var status = await probe.GetReplicaStatusAsync(CancellationToken.None);
            if (status.Count == 0 || !status[0].Reachable || status[0].LagBytes is null)
            {
                throw new InvalidOperationException(
                    $"The replica of {PgUrl.Redact(Url)} is not a reachable standby. Start it with scripts/pg-replica.sh (or set EVENTUALI_TEST_PG_REPLICA).");
            }
        }
        finally
        {
            await PgTestServer.DropSchemaAsync(probe.Schema);
        }
    });
}
