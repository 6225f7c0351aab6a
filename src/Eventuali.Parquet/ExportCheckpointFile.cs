using System.Globalization;
using System.Text.Json;

namespace Eventuali.Parquet;

/// <summary>
/// The durable "exported up to position N" marker of an incremental export: written to a temporary file, flushed to
/// disk and renamed over the old one only after every data file of the run is in place, so a crash leaves either the
/// old checkpoint (the run is redone, rewriting the same file names) or the new one.
/// </summary>
internal static class ExportCheckpointFile
{
    public static long Read(string path)
    {
        if (!File.Exists(path))
        {
            return 0;
        }

        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
            if (doc.RootElement.TryGetProperty("position", out var position) && position.TryGetInt64(out var value) && value >= 0)
            {
                return value;
            }
        }
        catch (JsonException)
        {
        }
        catch (IOException ex)
        {
            throw new ParquetExportException($"Parquet export checkpoint '{path}' cannot be read: {ex.Message}", ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new ParquetExportException($"Parquet export checkpoint '{path}' cannot be read: {ex.Message}", ex);
        }

        throw new ParquetExportException($"Parquet export checkpoint '{path}' is not a checkpoint ({{\"position\": N}} with N >= 0 expected); fix or delete it.");
    }

    public static void Write(string path, long position, DateTimeOffset at)
    {
        var temporary = path + ".tmp";
        var json = string.Create(CultureInfo.InvariantCulture, $"{{\"position\":{position},\"updated\":\"{at.UtcDateTime:O}\"}}\n");
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            stream.Write(System.Text.Encoding.UTF8.GetBytes(json));
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
    }
}
