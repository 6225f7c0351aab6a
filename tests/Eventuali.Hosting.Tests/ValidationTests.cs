using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Eventuali.Hosting.Tests;

/// <summary>Bad configuration fails when the host starts, naming the option, never repeating a password.</summary>
public sealed class ValidationTests
{
    private const string Secret = "s3cr3t-Pa55";

    private static async Task<OptionsValidationException> StartFailsAsync(Dictionary<string, string?> settings, LogSink? logs = null)
    {
        var builder = TestHost.Builder(settings, logs);
        builder.AddEventuali();
        var host = builder.Build();
        await using var disposeHost = (IAsyncDisposable)host;
        return await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestHost.Ct));
    }

    [Fact]
    public async Task A_missing_section_names_the_section_and_the_key()
    {
        var ex = await StartFailsAsync([]);
        Assert.Contains("'Eventuali' is missing", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Eventuali:Url", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_url_is_required()
    {
        var ex = await StartFailsAsync(new() { ["Eventuali:Url"] = " ", ["Eventuali:CreateIfMissing"] = "true" });
        Assert.Contains("Eventuali:Url is required", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_scheme_is_named_and_the_password_is_not()
    {
        var logs = new LogSink();
        var ex = await StartFailsAsync(new() { ["Eventuali:Url"] = $"mysql://app:{Secret}@db.internal/events" }, logs);
        Assert.Contains("Eventuali:Url has an unknown scheme 'mysql'", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, ex.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, logs.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_url_without_scheme_that_is_no_connection_string_is_refused()
    {
        var ex = await StartFailsAsync(new() { ["Eventuali:Url"] = "events.db" });
        Assert.Contains("Eventuali:Url has no scheme", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("MaxProjectionLag", "-00:00:01", "must not be negative")]
    [InlineData("MaxWatermarkStall", "-00:01:00", "must be positive")]
    [InlineData("MaxWatermarkStall", "00:00:00", "must be positive")]
    [InlineData("Timeout", "-00:00:05", "must be positive")]
    [InlineData("MaxDeadLetterGrowth", "-1", "must not be negative")]
    [InlineData("Timeout", "soon", "is not a valid value")]
    [InlineData("MaxDeadLetterGrowth", "many", "is not a valid value")]
    public async Task A_bad_threshold_is_named(string key, string value, string problem)
    {
        var ex = await StartFailsAsync(new() { ["Eventuali:Url"] = "memory://", [$"Eventuali:HealthChecks:{key}"] = value });
        Assert.Contains($"Eventuali:HealthChecks:{key} {problem}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Several_problems_are_reported_together()
    {
        var ex = await StartFailsAsync(new() { ["Eventuali:Url"] = "ftp://x", ["Eventuali:HealthChecks:MaxProjectionLag"] = "-00:00:01", ["Eventuali:CreateIfMissing"] = "perhaps" });
        Assert.Contains("Eventuali:Url", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Eventuali:HealthChecks:MaxProjectionLag", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Eventuali:CreateIfMissing is not a valid value", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_custom_section_is_named_in_messages()
    {
        var builder = TestHost.Builder(new Dictionary<string, string?> { ["Stores:Orders:Url"] = "redis://cache" });
        builder.Services.AddEventuali(builder.Configuration.GetSection("Stores:Orders"));
        var host = builder.Build();
        await using var disposeHost = (IAsyncDisposable)host;
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestHost.Ct));
        Assert.Contains("Stores:Orders:Url has an unknown scheme 'redis'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_store_that_cannot_be_reached_fails_without_its_password_in_errors_or_logs()
    {
        var logs = new LogSink();
        // Port 1 on loopback: nothing listens, the connection is refused at once.
        var builder = TestHost.Builder(new Dictionary<string, string?> { ["Eventuali:Url"] = $"postgresql://app:{Secret}@127.0.0.1:1/events" }, logs);
        builder.AddEventuali();
        var host = builder.Build();
        await using var disposeHost = (IAsyncDisposable)host;
        await host.StartAsync(TestHost.Ct);

        var ex = Assert.ThrowsAny<Exception>(() => host.Services.GetRequiredService<IEventStore>());
        Assert.DoesNotContain(Secret, ex.ToString(), StringComparison.Ordinal);
        var failed = Assert.Single(logs.Entries, e => e.EventName == "StoreOpenFailed");
        Assert.Contains("postgresql://app:***@127.0.0.1:1/events", failed.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, logs.AllText, StringComparison.Ordinal);
        await host.StopAsync(TestHost.Ct);
    }
}
