using System.CommandLine;
using System.Globalization;

namespace Eventuali.Cli.Commands;

/// <summary>--expected-version N|any|no-stream|stream-exists.</summary>
internal static class ExpectedVersionOption
{
    public static Option<ExpectedVersion> Create() => new("--expected-version")
    {
        Description = "Refuse the append unless the stream is at this version: N (0 = no stream), any, no-stream or stream-exists. Default: any.",
        HelpName = "N|any|no-stream|stream-exists",
        DefaultValueFactory = _ => ExpectedVersion.Any,
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
            if (TryParse(text, out var expected))
            {
                return expected;
            }

            result.AddError($"--expected-version '{text}' is not a version: use a number >= 0, any, no-stream or stream-exists.");
            return ExpectedVersion.Any;
        },
    };

    public static bool TryParse(string text, out ExpectedVersion expected)
    {
        switch (text.Trim().ToLowerInvariant())
        {
            case "any":
                expected = ExpectedVersion.Any;
                return true;
            case "no-stream":
                expected = ExpectedVersion.NoStream;
                return true;
            case "stream-exists":
                expected = ExpectedVersion.StreamExists;
                return true;
        }

        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            expected = ExpectedVersion.Exact(n);
            return true;
        }

        expected = ExpectedVersion.Any;
        return false;
    }
}
