using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Eventuali.Hosting.Tests;

/// <summary>A real generic host (HostApplicationBuilder) configured from in-memory keys, logging into a <see cref="LogSink"/>.</summary>
internal static class TestHost
{
    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static HostApplicationBuilder Builder(IDictionary<string, string?> settings, LogSink? logs = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.SetMinimumLevel(LogLevel.Debug);
        if (logs is not null)
        {
            builder.Logging.AddProvider(logs);
        }

        return builder;
    }

    public static async Task<HealthReport> CheckAsync(IHost host, string? tag = null)
    {
        var health = host.Services.GetRequiredService<HealthCheckService>();
        return await health.CheckHealthAsync(r => tag is null || r.Tags.Contains(tag), Ct);
    }

    /// <summary>Polls <paramref name="condition"/> until it holds or a generous deadline passes.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting until {what}");
            await Task.Delay(20, Ct);
        }
    }
}

/// <summary>A scratch directory for SQLite files, deleted afterwards.</summary>
internal sealed class ScratchDir : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("eventuali-hosting-").FullName;

    public string SqliteUrl(string name = "events.db") => "sqlite://" + System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A file still closing on a slow machine; the temp directory is cleaned by the OS.
        }
    }
}
