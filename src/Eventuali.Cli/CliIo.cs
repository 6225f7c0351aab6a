namespace Eventuali.Cli;

/// <summary>Where a command writes and what it may look up, so tests can run commands in process.</summary>
/// <param name="Out">Results (JSON lines, summaries).</param>
/// <param name="Error">Errors and progress.</param>
/// <param name="GetEnvironment">Environment lookup (EVENTUALI_DATABASE).</param>
/// <param name="ErrorIsTerminal">Whether progress may be shown on <paramref name="Error"/>.</param>
internal sealed record CliIo(TextWriter Out, TextWriter Error, Func<string, string?> GetEnvironment, bool ErrorIsTerminal)
{
    /// <summary>Whether <see cref="Out"/> is a terminal (query then prints a table rather than JSON lines).</summary>
    public bool OutIsTerminal { get; init; }
}
