using System.Diagnostics;
using System.Globalization;

namespace Eventuali.Messaging.Testing;

/// <summary>
/// The relay host (tests/Eventuali.Messaging.RelayHost, built next to the tests) as a real child process. It inherits
/// the test's environment, so it reaches the same broker through the same variable.
/// </summary>
internal sealed class RelayProcess : IDisposable
{
    private static readonly string HostDll = Path.Combine(AppContext.BaseDirectory, "Eventuali.Messaging.RelayHost.dll");
    private readonly Process _process;
    private readonly Task<string> _stderr;

    private RelayProcess(Process process)
    {
        _process = process;
        _stderr = process.StandardError.ReadToEndAsync();
    }

    /// <summary>A relay of the "order-" streams of <paramref name="sqliteFile"/> to <paramref name="broker"/>, on names derived from <paramref name="tag"/>.</summary>
    public static RelayProcess Start(string broker, string sqliteFile, string tag, int batch, int stopAfterBatches)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { HostDll, broker, sqliteFile, tag, batch.ToString(CultureInfo.InvariantCulture), stopAfterBatches.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(arg);
        }

        return new RelayProcess(Process.Start(start) ?? throw new InvalidOperationException("could not start the relay host"));
    }

    /// <summary>The next line the host prints, within <paramref name="deadline"/>.</summary>
    public async Task<string> ReadLineAsync(TimeSpan deadline)
    {
        var line = await _process.StandardOutput.ReadLineAsync(TestContext.Current.CancellationToken).AsTask().WaitAsync(deadline, TestContext.Current.CancellationToken);
        return line ?? throw new InvalidOperationException($"the relay host exited without a line: {await _stderr}");
    }

    /// <summary>SIGKILL: no finally blocks, no disposal, no checkpoint.</summary>
    public void Kill()
    {
        _process.Kill();
        _process.WaitForExit(10_000);
    }

    public async Task<int> WaitForExitAsync(TimeSpan deadline)
    {
        await _process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(deadline, TestContext.Current.CancellationToken);
        return _process.ExitCode;
    }

    public Task<string> ErrorAsync => _stderr;

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }

        _process.Dispose();
    }
}
