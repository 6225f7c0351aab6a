using System.Globalization;
using System.Text.Json;
using Eventuali.Integrity;

namespace Eventuali.Security.Chain;

/// <summary>
/// A signed checkpoint as a small JSON file (format <c>eventuali-chain-checkpoint-v1</c>: position, chain hash in hex,
/// creation time, key id, signature in base64) to keep outside the database. It holds no secret: the signature is
/// checked with the verifier's own public key, never one carried in the file.
/// </summary>
public static class EventChainCheckpointFile
{
    /// <summary>The format name written in every file.</summary>
    public const string Format = "eventuali-chain-checkpoint-v1";

    private const long MaxFileBytes = 64 * 1024;

    /// <summary>Writes <paramref name="checkpoint"/> to <paramref name="path"/> (through a temporary file, so a reader never sees half of it).</summary>
    public static async ValueTask WriteAsync(EventChainCheckpoint checkpoint, string path, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        var temp = full + ".tmp";
        var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 4096, useAsync: true);
        await using (stream.ConfigureAwait(false))
        {
            var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
            await using (writer.ConfigureAwait(false))
            {
                writer.WriteStartObject();
                writer.WriteString("format", Format);
                writer.WriteNumber("position", checkpoint.Position);
                writer.WriteString("chain_hash", Convert.ToHexStringLower(checkpoint.ChainHash.Span));
                writer.WriteString("created_at", checkpoint.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture));
                writer.WriteString("key_id", checkpoint.KeyId);
                writer.WriteString("signature", Convert.ToBase64String(checkpoint.Signature.Span));
                writer.WriteEndObject();
            }

            await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, full, overwrite: true);
    }

    /// <summary>Reads a checkpoint file; throws <see cref="InvalidDataException"/> naming the file and the field when it is not one.</summary>
    public static async ValueTask<EventChainCheckpoint> ReadAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new FileNotFoundException($"Checkpoint file '{path}' does not exist.", path);
        }

        if (info.Length > MaxFileBytes)
        {
            throw new InvalidDataException($"Checkpoint file '{path}' is {info.Length} bytes: too large to be a checkpoint.");
        }

        var bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        try
        {
            using var doc = JsonDocument.Parse(bytes);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || Text(root, "format", path) != Format)
            {
                throw Bad(path, "format", $"expected \"{Format}\"");
            }

            if (!root.TryGetProperty("position", out var p) || !p.TryGetInt64(out var position) || position < 1)
            {
                throw Bad(path, "position", "expected a whole number of at least 1");
            }

            var hash = Hex(Text(root, "chain_hash", path), path);
            if (!DateTimeOffset.TryParse(Text(root, "created_at", path), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var created))
            {
                throw Bad(path, "created_at", "expected an ISO 8601 UTC time");
            }

            var keyId = Text(root, "key_id", path);
            byte[] signature;
            try
            {
                signature = Convert.FromBase64String(Text(root, "signature", path));
            }
            catch (FormatException)
            {
                throw Bad(path, "signature", "expected base64");
            }

            return new EventChainCheckpoint(position, hash, created, keyId, signature);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"Checkpoint file '{path}' is not valid JSON ({ex.Message}).", ex);
        }
    }

    private static string Text(JsonElement root, string name, string path)
        => root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } s ? s : throw Bad(path, name, "missing or not a string");

    private static byte[] Hex(string text, string path)
    {
        try
        {
            var bytes = Convert.FromHexString(text);
            return bytes.Length == EventChainEntry.HashLength ? bytes : throw Bad(path, "chain_hash", $"expected {EventChainEntry.HashLength} bytes of hex");
        }
        catch (FormatException)
        {
            throw Bad(path, "chain_hash", "expected hex");
        }
    }

    private static InvalidDataException Bad(string path, string field, string what) => new($"Checkpoint file '{path}': field '{field}' is invalid ({what}).");
}
