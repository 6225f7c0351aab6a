using System.Diagnostics;

namespace MicroservicesIntegration;

/// <summary>This program started again as the shipping service, its output tallied into a <see cref="Progress"/>.</summary>
internal sealed class ShippingProcess
{
    private readonly Process _process;
    private readonly Task _following;

    private ShippingProcess(Process process, Progress progress)
    {
        _process = process;
        _following = progress.FollowAsync(process);
    }

    public bool HasExited => _process.HasExited;

    public static ShippingProcess Start(string directory, string run, Progress progress)
    {
        var dll = typeof(ShippingProcess).Assembly.Location;
        var appHost = Path.ChangeExtension(dll, null);
        var start = File.Exists(appHost) ? new ProcessStartInfo(appHost) : new ProcessStartInfo("dotnet") { ArgumentList = { dll } };
        foreach (var arg in new[] { "shipping", directory, run })
        {
            start.ArgumentList.Add(arg);
        }

        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        start.UseShellExecute = false;
        return new ShippingProcess(Process.Start(start) ?? throw new InvalidOperationException("could not start the shipping service"), progress);
    }

    /// <summary>SIGKILL: no finally blocks, no acks, no disposal. Returns once every line it printed was counted.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync().ConfigureAwait(false);
        await _following.ConfigureAwait(false);
    }

    /// <summary>Closes its standard input (it stops and exits), killing it if it has not exited within 60 s.</summary>
    public async Task StopAsync()
    {
        if (!_process.HasExited)
        {
            _process.StandardInput.Close();
            try
            {
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60)).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                _process.Kill();
                await _process.WaitForExitAsync().ConfigureAwait(false);
            }
        }

        await _following.ConfigureAwait(false);
    }
}

/// <summary>Waiting on conditions with generous deadlines (a loaded machine is slow, never wrong).</summary>
internal static class Wait
{
    public static async Task UntilAsync(Func<Task<bool>> condition, string what, TimeSpan timeout, ShippingProcess? mustRun = null)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition().ConfigureAwait(false))
        {
            if (mustRun is { HasExited: true })
            {
                throw new InvalidOperationException($"The shipping service exited while waiting until {what}.");
            }

            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0} s waiting until {what}.");
            }

            await Task.Delay(50).ConfigureAwait(false);
        }
    }

    public static async Task QuietlyAsync(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
