namespace Eventuali.Cli;

/// <summary>The command line was well-formed but asked for something impossible (exit code 2).</summary>
internal sealed class UsageException(string message) : Exception(message);
