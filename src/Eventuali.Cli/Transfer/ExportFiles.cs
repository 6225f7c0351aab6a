using System.IO.Compression;
using System.Text;

namespace Eventuali.Cli.Transfer;

/// <summary>Opens export files: gzip when the name ends in .gz; output written beside the target and renamed at the end.</summary>
internal static class ExportFiles
{
    private static readonly UTF8Encoding Utf8 = new(false);

    public static bool IsGzip(string path) => path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase);

    public static StreamReader OpenReader(string path)
    {
        Stream stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        if (IsGzip(path))
        {
            stream = new GZipStream(stream, CompressionMode.Decompress);
        }

        return new StreamReader(stream, Utf8, detectEncodingFromByteOrderMarks: true, 1 << 16);
    }

    /// <summary>A writer on a temporary file next to <paramref name="path"/>; <see cref="PartialFile.CommitAsync"/> renames it into place.</summary>
    public static PartialFile Create(string path) => new(path);

    internal sealed class PartialFile : IAsyncDisposable
    {
        private readonly string _target;
        private readonly string _temporary;
        private bool _committed;

        public PartialFile(string target)
        {
            _target = Path.GetFullPath(target);
            _temporary = _target + ".partial-" + Guid.NewGuid().ToString("N")[..8];
            Stream stream = new FileStream(_temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
            if (IsGzip(target))
            {
                stream = new GZipStream(stream, CompressionLevel.Optimal);
            }

            Writer = new StreamWriter(stream, Utf8, 1 << 16);
        }

        public TextWriter Writer { get; }

        public async Task CommitAsync()
        {
            await Writer.DisposeAsync().ConfigureAwait(false);
            File.Move(_temporary, _target, overwrite: true);
            _committed = true;
        }

        /// <summary>Without a commit (failure, Ctrl+C) the temporary file goes and an existing target stays as it was.</summary>
        public async ValueTask DisposeAsync()
        {
            if (!_committed)
            {
                await Writer.DisposeAsync().ConfigureAwait(false);
                File.Delete(_temporary);
            }
        }
    }
}
