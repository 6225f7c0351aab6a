namespace Eventuali.Cli;

internal static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The command ran and failed: conflict, unreadable store, bad URL, I/O error.</summary>
    public const int Failure = 1;

    /// <summary>The command line was wrong: unknown command or option, missing or malformed value.</summary>
    public const int Usage = 2;

    /// <summary>Cancelled with Ctrl+C (128 + SIGINT, as shells report it).</summary>
    public const int Cancelled = 130;

    /// <summary>Stopped by SIGTERM, after cleaning up (128 + SIGTERM, as shells report it).</summary>
    public const int Terminated = 143;
}
