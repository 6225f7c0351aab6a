using System.Globalization;
using Eventuali.Extensibility;
using Microsoft.AspNetCore.Http;

namespace Eventuali.Server;

/// <summary>Query and header values parsed with messages that name what was wrong; each writes its problem and returns false.</summary>
internal static class Query
{
    public static async ValueTask<(bool Ok, long Value)> LongAsync(HttpContext context, string name, string? text, long fallback, long min)
    {
        if (text is null)
        {
            return (true, fallback);
        }

        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < min)
        {
            await Problems.WriteAsync(context, Problems.InvalidParameter, $"'{name}' must be a whole number of at least {min.ToString(CultureInfo.InvariantCulture)}.").ConfigureAwait(false);
            return (false, 0);
        }

        return (true, value);
    }

    public static async ValueTask<(bool Ok, int Value)> LimitAsync(HttpContext context, string? text, EventualiServerOptions options)
    {
        if (text is null)
        {
            return (true, options.DefaultPageSize);
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < 1 || value > options.MaxPageSize)
        {
            await Problems.WriteAsync(context, Problems.InvalidParameter, $"'limit' must be a whole number from 1 to {options.MaxPageSize.ToString(CultureInfo.InvariantCulture)}.").ConfigureAwait(false);
            return (false, 0);
        }

        return (true, value);
    }

    public static async ValueTask<bool> StreamIdAsync(HttpContext context, string id)
    {
        try
        {
            AppendValidation.ValidateStreamId(id);
            return true;
        }
        catch (InvalidStreamIdException ex)
        {
            await Problems.WriteAsync(context, Problems.InvalidStreamId, ex.Message).ConfigureAwait(false);
            return false;
        }
    }

    /// <summary>Parses If-Match: <c>W/"N"</c> or <c>"N"</c> (exact version N), or <c>*</c> (the stream exists).</summary>
    public static async ValueTask<(bool Ok, ExpectedVersion? Value)> IfMatchAsync(HttpContext context)
    {
        var header = context.Request.Headers.IfMatch;
        if (header.Count == 0)
        {
            return (true, null);
        }

        var text = header.Count == 1 ? header[0]!.Trim() : "";
        if (text == "*")
        {
            return (true, ExpectedVersion.StreamExists);
        }

        var tag = text.StartsWith("W/", StringComparison.Ordinal) ? text[2..] : text;
        if (tag.Length > 2 && tag[0] == '"' && tag[^1] == '"'
            && long.TryParse(tag.AsSpan(1, tag.Length - 2), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
        {
            return (true, ExpectedVersion.Exact(version));
        }

        await Problems.WriteAsync(context, Problems.InvalidParameter, "If-Match must be one weak ETag holding the stream version, such as W/\"3\" (W/\"0\": the stream must not exist), or *.").ConfigureAwait(false);
        return (false, null);
    }

    public static string ETag(long version) => $"W/\"{version.ToString(CultureInfo.InvariantCulture)}\"";
}
