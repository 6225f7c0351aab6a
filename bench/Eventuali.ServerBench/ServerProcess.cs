using System.Diagnostics;
using System.Globalization;

namespace Eventuali.ServerBench;

/// <summary>Server memory at one moment: working set and GC heap in bytes, and the thread pool's thread count.</summary>
internal sealed record Memory(long WorkingSet, long Heap, int Threads)
{
    public override string ToString()
        => string.Create(CultureInfo.InvariantCulture, $"working set {WorkingSet / 1048576.0:F0} MB, GC heap {Heap / 1048576.0:F1} MB, {Threads} pool threads");
}

/// <summary>The bench's server: this program started again as a child with "serve URL" (see <see cref="BenchServer"/>).</summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly SemaphoreSlim _gate = new(1, 1);

    private ServerProcess(Process process, Uri address, string key)
    {
        _process = process;
        Address = address;
        Key = key;
    }

    public Uri Address { get; }
    public string Key { get; }

    public static async Task<ServerProcess> StartAsync(string url)
    {
        var self = Environment.ProcessPath!;
        var start = new ProcessStartInfo(self) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            start.ArgumentList.Add(typeof(ServerProcess).Assembly.Location);
        }

        start.ArgumentList.Add("serve");
        start.ArgumentList.Add(url);
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the server process.");
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var line = await process.StandardOutput.ReadLineAsync(deadline.Token);
        var parts = line?.Split(' ');
        if (parts is not ["ready", var address, var key])
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"The server process did not start: '{line}'.");
        }

        return new ServerProcess(process, new Uri(address), key);
    }

    /// <summary>The server's memory now; with <paramref name="collect"/>, after a full blocking GC (the live heap).</summary>
    public async Task<Memory> MemoryAsync(bool collect = false)
    {
        await _gate.WaitAsync();
        try
        {
            await _process.StandardInput.WriteLineAsync(collect ? "gc" : "mem");
            await _process.StandardInput.FlushAsync();
            var parts = (await _process.StandardOutput.ReadLineAsync())?.Split(' ');
            return parts is ["mem", var ws, var heap, var threads]
                ? new Memory(long.Parse(ws, CultureInfo.InvariantCulture), long.Parse(heap, CultureInfo.InvariantCulture), int.Parse(threads, CultureInfo.InvariantCulture))
                : throw new InvalidOperationException("The server process stopped answering.");
        }
        finally
        {
            _gate.Release();
        }
    }

    public HttpClient Client()
    {
        var handler = new SocketsHttpHandler { PooledConnectionLifetime = Timeout.InfiniteTimeSpan, MaxConnectionsPerServer = int.MaxValue };
        var client = new HttpClient(handler) { BaseAddress = Address, Timeout = TimeSpan.FromMinutes(5) };
        client.DefaultRequestHeaders.Add("X-Api-Key", Key);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _process.StandardInput.WriteLineAsync("quit");
            await _process.StandardInput.FlushAsync();
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
        _gate.Dispose();
    }
}
