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

// Buffered stdout: `read` can print millions of lines; flushed when a command ends.
var stdout = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false), 1 << 16) { AutoFlush = false };
await using (stdout.ConfigureAwait(false))
{
    var io = new CliIo(stdout, Console.Error, Environment.GetEnvironmentVariable, !Console.IsErrorRedirected) { OutIsTerminal = !Console.IsOutputRedirected };
    return await CliApp.RunAsync(args, io, cancellation.Token).ConfigureAwait(false);
}
