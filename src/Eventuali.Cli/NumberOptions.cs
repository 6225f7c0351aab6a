using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Eventuali.Cli;

/// <summary>
/// Whole-number options checked against a range while parsing, so a wrong value is reported in the user's words
/// ("--events must be a whole number from 1 to 100,000,000; got 99999999999.") rather than with a .NET type name, and
/// nothing is ever sized by an unchecked number.
/// </summary>
internal static class NumberOptions
{
    /// <summary>Most events a benchmark may ask for: enough for any run this machine can finish, small enough to allocate per-event samples.</summary>
    public const int MaxBenchmarkEvents = 100_000_000;

    public static Option<int> Int(string name, string? alias, long min, long max, int defaultValue)
    {
        var option = alias is null ? new Option<int>(name) : new Option<int>(name, alias);
        option.DefaultValueFactory = _ => defaultValue;
        option.CustomParser = r => (int)(Parse(r, name, min, max) ?? defaultValue);
        return option;
    }

    public static Option<int?> NullableInt(string name, string? alias, long min, long max)
    {
        var option = alias is null ? new Option<int?>(name) : new Option<int?>(name, alias);
        option.CustomParser = r => Parse(r, name, min, max) is { } v ? (int)v : null;
        return option;
    }

    public static Option<long?> NullableLong(string name, long min, long max)
        => new(name) { CustomParser = r => Parse(r, name, min, max) };

    public static Option<long> Long(string name, long min, long max, long defaultValue)
        => new(name) { DefaultValueFactory = _ => defaultValue, CustomParser = r => Parse(r, name, min, max) ?? defaultValue };

    /// <summary>The value, or null after adding the error the parser reports (exit 2).</summary>
    private static long? Parse(ArgumentResult result, string name, long min, long max)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
        var plain = text.Replace("_", string.Empty, StringComparison.Ordinal);
        if (long.TryParse(plain, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        var range = max == long.MaxValue
            ? string.Create(CultureInfo.InvariantCulture, $"{min:N0} or more")
            : string.Create(CultureInfo.InvariantCulture, $"from {min:N0} to {max:N0}");
        result.AddError($"{name} must be a whole number {range}; got '{text}'.");
        return null;
    }
}
