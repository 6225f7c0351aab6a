using System.Diagnostics;
using Eventuali.Diagnostics;
using Eventuali.Subscriptions;
using Npgsql;

namespace Eventuali.OpenTelemetry.Tests;

/// <summary>
/// PostgreSQL: the server of EVENTUALI_TEST_POSTGRES (scripts/postgres.sh prints one), in a schema of its own.
/// Fails, never skips, when no server answers.
/// </summary>
public sealed class PostgreSqlTelemetryTests : IAsyncLifetime
{
    private readonly string _schema = "t_otel_" + Guid.NewGuid().ToString("N")[..20];
    private IEventStore? _store;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Url => Environment.GetEnvironmentVariable("EVENTUALI_TEST_POSTGRES") is { Length: > 0 } url
        ? url
        : "postgresql://eventuali:eventuali@127.0.0.1:54329/eventuali";

    public async ValueTask InitializeAsync()
        => _store = await EventStore.CreateAsync(Url + (Url.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "schema=" + _schema, null, Ct);

    public async ValueTask DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }

        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = new Uri(Url).Host,
            Port = new Uri(Url).Port,
            Username = Uri.UnescapeDataString(new Uri(Url).UserInfo.Split(':')[0]),
            Password = Uri.UnescapeDataString(new Uri(Url).UserInfo.Split(':')[1]),
            Database = new Uri(Url).AbsolutePath.Trim('/'),
        };
        await using var ds = NpgsqlDataSource.Create(builder.ConnectionString);
        await using var cmd = ds.CreateCommand($"DROP SCHEMA IF EXISTS \"{_schema}\" CASCADE");
        await cmd.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task Appends_are_traced_and_measured_with_the_postgresql_system_namespace_and_group_commits()
    {
        using var collected = new Collected();
        var category = Stores.NewCategory();
        await Task.WhenAll(Enumerable.Range(0, 16).Select(i => _store!.AppendAsync($"{category}-{i}", ExpectedVersion.NoStream, [Stores.Event()], Ct).AsTask()));
        await Assert.ThrowsAsync<ConcurrencyException>(async () => await _store!.AppendAsync($"{category}-0", ExpectedVersion.NoStream, [Stores.Event()], Ct));

        var appends = collected.Eventuali.Where(s => s.DisplayName == $"append {category}").ToList();
        Assert.Equal(17, appends.Count);
        Assert.All(appends, s =>
        {
            Assert.Equal("postgresql", s.GetTagItem("db.system.name"));
            Assert.Equal(new Uri(Url).AbsolutePath.Trim('/') + "|" + _schema, s.GetTagItem("db.namespace"));
        });
        Assert.Equal("Eventuali.ConcurrencyException", Assert.Single(appends, s => s.Status == ActivityStatusCode.Error).GetTagItem("error.type"));

        var group = Points.Of(collected.Metric(EventualiInstruments.GroupCommitBatchSize));
        var committed = Assert.Single(group, p => Equals(p.Tags["db.system.name"], "postgresql"));
        Assert.InRange(committed.Count, 2, 17);
        Assert.Equal(17, committed.DoubleValue); // every append decided in a committed transaction, the refused one too
        Assert.Contains(Points.Of(collected.Metric(EventualiInstruments.AppendConflicts)), p => Equals(p.Tags["db.system.name"], "postgresql") && p.LongValue == 1);
        Assert.Contains(Points.Of(collected.Metric(EventualiInstruments.WatermarkAge)), p => Equals(p.Tags["db.system.name"], "postgresql"));
    }

    [Fact]
    public async Task A_subscriber_on_postgresql_links_to_the_writers_trace()
    {
        using var collected = new Collected();
        var category = Stores.NewCategory();
        ActivityContext writer;
        using (Collected.Test.StartActivity("place order"))
        {
            await _store!.AppendAsync($"{category}-1", ExpectedVersion.NoStream, [Stores.Event()], Ct);
            writer = collected.Eventuali.Single(s => s.DisplayName == $"append {category}").Context;
        }

        var handled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using (var subscription = _store.StartSubscription(new SubscriptionOptions { Name = "s" + category }, (_, _) => { handled.TrySetResult(); return ValueTask.CompletedTask; }, Ct))
        {
            await handled.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        }

        var delivery = Assert.Single(collected.Eventuali, s => s.DisplayName == $"deliver s{category}");
        Assert.Contains(delivery.Links, l => l.Context.TraceId == writer.TraceId && l.Context.SpanId == writer.SpanId);
    }
}
