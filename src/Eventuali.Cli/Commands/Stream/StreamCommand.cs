using System.CommandLine;

namespace Eventuali.Cli.Commands.Stream;

/// <summary><c>eventuali stream</c>: lifecycle operations on one stream or a category of streams.</summary>
internal static class StreamCommand
{
    public static Command Create(CliIo io) => new("stream", "Delete, restore, truncate, archive, inspect or read (with archive) streams, and apply retention.")
    {
        StreamDeleteCommand.Create(io),
        StreamRestoreCommand.Create(io),
        StreamTruncateCommand.Create(io, archive: false),
        StreamTruncateCommand.Create(io, archive: true),
        StreamRetentionCommand.Create(io),
        StreamInfoCommand.Create(io),
        StreamReadCommand.Create(io),
    };
}
