using System.Diagnostics;
using System.Globalization;

namespace Eventuali.Caching.Redis.Tests;

/// <summary>The Redis server scripts/brokers.sh started for the whole test run (EVENTUALI_REDIS_URL); missing is a failure.</summary>
internal static class SharedRedis
{
    public static string Url => Environment.GetEnvironmentVariable("EVENTUALI_REDIS_URL") is { Length: > 0 } url ? url
        : throw new InvalidOperationException("EVENTUALI_REDIS_URL is not set: start Redis with eval \"$(bash scripts/brokers.sh start redis)\".");

    /// <summary>Options with a key space no other test uses.</summary>
    public static RedisAggregateCacheOptions Isolated() => new() { KeyPrefix = $"eventuali-test:{Guid.NewGuid():N}:" };

    public static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Eventuali.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (with Eventuali.sln) was not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>
/// A Redis of the test's own, started by scripts/brokers.sh in its own data directory and port (killing it disturbs no
/// other test), SIGKILLed from the script's pid file and started again through the script, as an operator would.
/// </summary>
internal sealed class OwnRedis : IAsyncDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "eventuali-cache-redis-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly int _port = FreePort();

    private OwnRedis() => Directory.CreateDirectory(_dir);

    public string Url { get; private set; } = string.Empty;

    public static async Task<OwnRedis> StartAsync()
    {
        var server = new OwnRedis();
        var exports = await server.ScriptAsync("start", "redis");
        const string Prefix = "export EVENTUALI_REDIS_URL=";
        server.Url = exports.Split('\n').Single(l => l.StartsWith(Prefix, StringComparison.Ordinal))[Prefix.Length..].Trim();
        return server;
    }

    /// <summary>SIGKILLs the server (its pid from the script's pid file), as a crash would.</summary>
    public void Kill()
    {
        var pid = int.Parse(File.ReadAllText(Path.Combine(_dir, "redis.pid")).Trim(), CultureInfo.InvariantCulture);
        using var process = Process.GetProcessById(pid);
        process.Kill();
        Assert.True(process.WaitForExit(15_000), $"redis (pid {pid}) did not exit after SIGKILL");
    }

    public Task RestartAsync() => ScriptAsync("start", "redis");

    public async ValueTask DisposeAsync()
    {
        try
        {
            await ScriptAsync("stop");
        }
        finally
        {
            try
            {
                Directory.Delete(_dir, recursive: true);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }

    private async Task<string> ScriptAsync(params string[] args)
    {
        var info = new ProcessStartInfo("bash", [Path.Combine(SharedRedis.RepoRoot(), "scripts", "brokers.sh"), .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.Environment["EVENTUALI_BROKERS_DATA"] = _dir;
        info.Environment["EVENTUALI_REDIS_PORT"] = _port.ToString(CultureInfo.InvariantCulture);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(150));
        await process.WaitForExitAsync(deadline.Token);
        Assert.True(process.ExitCode == 0, $"scripts/brokers.sh {string.Join(' ', args)} failed: {await stderr}");
        return await stdout; // the URL with the password: used, never printed
    }

    /// <summary>A free loopback port from a scan offset by the process id, so test processes running at once start apart.</summary>
    private static int FreePort()
    {
        var start = Environment.ProcessId * 89 % 10_000;
        for (var attempt = 0; attempt < 10_000; attempt++)
        {
            var port = 30_000 + ((start + attempt) % 10_000);
            try
            {
                using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (System.Net.Sockets.SocketException)
            {
            }
        }

        throw new InvalidOperationException("No free loopback port found for a Redis of the test's own.");
    }
}
