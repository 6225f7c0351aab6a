using System.Diagnostics;
using System.Globalization;

namespace Eventuali.Messaging.Testing;

/// <summary>The broker servers scripts/brokers.sh started for the whole test run (EVENTUALI_{BROKER}_URL); missing is a failure.</summary>
internal static class BrokerServers
{
    public static string Url(string broker)
    {
        var name = $"EVENTUALI_{broker.ToUpperInvariant()}_URL";
        return Environment.GetEnvironmentVariable(name) is { Length: > 0 } url ? url
            : throw new InvalidOperationException($"{name} is not set: start the brokers with eval \"$(bash scripts/brokers.sh)\".");
    }

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
/// A broker of the test's own, started by scripts/brokers.sh in a data directory and on ports of its own (so killing it
/// disturbs no other test), killed from the pid file the script keeps and started again through the script, as an
/// operator would. Disposing stops it with the script and deletes its directory.
/// </summary>
internal sealed class OwnBrokerServer : IAsyncDisposable
{
    private readonly string _broker;
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "eventuali-broker-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly int _port;

    private OwnBrokerServer(string broker)
    {
        _broker = broker;
        _port = FreePortWithSiblings();
        Directory.CreateDirectory(_dir);
    }

    /// <summary>The URL the script printed for it (with its own generated password).</summary>
    public string Url { get; private set; } = string.Empty;

    public static async Task<OwnBrokerServer> StartAsync(string broker)
    {
        var server = new OwnBrokerServer(broker);
        var exports = await server.ScriptAsync("start", broker);
        var prefix = $"export EVENTUALI_{broker.ToUpperInvariant()}_URL=";
        server.Url = exports.Split('\n').Single(l => l.StartsWith(prefix, StringComparison.Ordinal))[prefix.Length..].Trim();
        return server;
    }

    /// <summary>SIGKILLs the server process (its pid from the script's pid file), as a crash would.</summary>
    public void Kill()
    {
        var pidFile = Path.Combine(_dir, _broker + ".pid");
        var pid = int.Parse(File.ReadAllText(pidFile).Trim(), CultureInfo.InvariantCulture);
        using var process = Process.GetProcessById(pid);
        process.Kill();
        Assert.True(process.WaitForExit(15_000), $"{_broker} (pid {pid}) did not exit after SIGKILL");
    }

    /// <summary>Starts it again through scripts/brokers.sh, on the same port and data directory.</summary>
    public Task RestartAsync() => ScriptAsync("start", _broker);

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
        var info = new ProcessStartInfo("bash", [Path.Combine(BrokerServers.RepoRoot(), "scripts", "brokers.sh"), .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.Environment["EVENTUALI_BROKERS_DATA"] = _dir;
        info.Environment[$"EVENTUALI_{_broker.ToUpperInvariant()}_PORT"] = _port.ToString(CultureInfo.InvariantCulture);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(150));
        await process.WaitForExitAsync(deadline.Token);
        Assert.True(process.ExitCode == 0, $"scripts/brokers.sh {string.Join(' ', args)} failed: {await stderr}");
        return await stdout; // the URL with the password: used, never printed
    }

    /// <summary>
    /// A free port P whose siblings P+20000 and P+21000 (RabbitMQ's distribution and epmd ports) are free too: a scan of
    /// 20000-29999 that starts at an offset from the process id, so test processes running at once start apart.
    /// </summary>
    private static int FreePortWithSiblings()
    {
        var start = Environment.ProcessId * 97 % 10_000;
        for (var attempt = 0; attempt < 10_000; attempt++)
        {
            var port = 20_000 + ((start + attempt) % 10_000);
            if (Free(port) && Free(port + 20_000) && Free(port + 21_000))
            {
                return port;
            }
        }

        throw new InvalidOperationException("No free loopback port found for a broker of the test's own.");
    }

    private static bool Free(int port)
    {
        try
        {
            using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }
}
