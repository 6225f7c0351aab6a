using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Eventuali.Cli;

/// <summary>The "Examples:" block appended to a command's --help text.</summary>
internal static class Examples
{
    public static string Format(params string[] lines)
        => Environment.NewLine + Environment.NewLine + "Examples:" + string.Concat(lines.Select(l => Environment.NewLine + "  " + l));
}

/// <summary>One compact JSON object for --json output.</summary>
internal static class Json
{
    public static string Object(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            write(w);
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
