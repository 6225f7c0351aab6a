using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Eventuali.Cli;

/// <summary>The one JSON encoder of all output: non-ASCII text (stream ids, names) printed as UTF-8, never as \uXXXX.</summary>
internal static class Json
{
    /// <summary>Relaxed escaping keeps non-ASCII text readable; the output is never embedded in HTML.</summary>
    public static JavaScriptEncoder Encoder => JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    /// <summary>Writer options every command uses.</summary>
    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = Encoder };

    /// <summary>One compact JSON object, as --json prints it.</summary>
    public static string Object(Action<Utf8JsonWriter> write)
        => Document(w =>
        {
            w.WriteStartObject();
            write(w);
            w.WriteEndObject();
        });

    /// <summary>Any compact JSON value written by <paramref name="write"/>.</summary>
    public static string Document(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer, WriterOptions))
        {
            write(w);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
