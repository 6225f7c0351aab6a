using System.Runtime.InteropServices;
using System.Text;
using Eventuali.Cli;

// Ctrl+C cancels the token the commands pass down to the store; a second Ctrl+C ends the process at once.
using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    if (!cancellation.IsCancellationRequested)
    {
        e.Cancel = true;
        cancellation.Cancel();
    }
};

// SIGTERM (timeout, a container stop) is handled like Ctrl+C, so a command cleans up (a benchmark deletes its
// temporary database) before the process ends; a second SIGTERM ends it at once.
var terminated = false;
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    if (!cancellation.IsCancellationRequested)
    {
        context.Cancel = true;
        Volatile.Write(ref terminated, true);
        cancellation.Cancel();
    }
});

// Buffered stdout (`read` can print millions of lines), flushed per line on a terminal and per section otherwise.
var outIsTerminal = !Console.IsOutputRedirected;
var stdout = new ConsoleOutput(
    new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false), 1 << 16) { AutoFlush = false },
    flushEveryLine: outIsTerminal,
    TimeProvider.System);
await using (stdout.ConfigureAwait(false))
{
    var io = new CliIo(stdout, Console.Error, Environment.GetEnvironmentVariable, !Console.IsErrorRedirected) { OutIsTerminal = outIsTerminal };
    var code = await CliApp.RunAsync(args, io, cancellation.Token).ConfigureAwait(false);
    return code == ExitCodes.Cancelled && Volatile.Read(ref terminated) ? ExitCodes.Terminated : code;
}
