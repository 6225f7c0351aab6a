using System.Text;
using Eventuali;

namespace EnterpriseFeatures;

/// <summary>Checks for every printed claim, and the raw reads the example compares against.</summary>
internal static class Helpers
{
    /// <summary>Prints <paramref name="what"/> when it holds; otherwise stops the example with that claim.</summary>
    public static void Check(bool ok, string what)
    {
        if (!ok)
        {
            throw new InvalidOperationException("not as expected: " + what);
        }

        Console.WriteLine(what);
    }

    /// <summary>Every event of a stream, as <paramref name="store"/> returns it.</summary>
    public static async Task<List<RecordedEvent>> ReadStreamAsync(IEventStore store, string streamId)
    {
        var events = new List<RecordedEvent>();
        await foreach (var e in store.ReadStreamAsync(streamId))
        {
            events.Add(e);
        }

        return events;
    }

    public static string Text(RecordedEvent e) => Encoding.UTF8.GetString(e.Data.Span);

    public static string Header(RecordedEvent e, string name) => e.Metadata.Headers?.GetValueOrDefault(name) ?? "(none)";

    /// <summary>The SQLite file and its write-ahead log as they are on disk now, read beside the open store.</summary>
    public static byte[] RawFileAndWal(string path)
    {
        using var all = new MemoryStream();
        foreach (var file in new[] { path, path + "-wal" })
        {
            if (File.Exists(file))
            {
                using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                stream.CopyTo(all);
            }
        }

        return all.ToArray();
    }

    public static bool Holds(byte[] haystack, ReadOnlySpan<byte> needle) => haystack.AsSpan().IndexOf(needle) >= 0;

    public static bool Holds(byte[] haystack, string text) => Holds(haystack, Encoding.UTF8.GetBytes(text));

    /// <summary>The start of a stored payload, with each ciphertext shortened so the line stays readable.</summary>
    public static string Abbreviate(string json)
        => System.Text.RegularExpressions.Regex.Replace(json, "\"c\":\"([A-Za-z0-9+/=]{12})[A-Za-z0-9+/=]*\"", "\"c\":\"$1...\"");
}
