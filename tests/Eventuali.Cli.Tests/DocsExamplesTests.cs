using System.Text;
using System.Text.RegularExpressions;

namespace Eventuali.Cli.Tests;

/// <summary>
/// Runs the examples of docs/cli.md as that file's "How the examples in this file are run" says: every line of a
/// ```sh block that starts with "eventuali ", in order, in one scratch directory with EVENTUALI_DATABASE=sqlite://events.db;
/// each must exit 0, or the code its trailing "# exit N" comment states.
/// </summary>
public sealed partial class DocsExamplesTests
{
    [Fact]
    public async Task Every_example_in_docs_cli_md_runs_with_the_stated_exit_code()
    {
        var examples = Extract(File.ReadAllText(DocsFile()));
        Assert.True(examples.Count >= 30, $"only {examples.Count} examples found; the extraction is broken");
        using var dir = new TempDirectory();
        var env = new Dictionary<string, string?> { ["EVENTUALI_DATABASE"] = "sqlite://events.db" };
        foreach (var example in examples)
        {
            var result = await CliProcess.RunAsync(dir.Path, env, [.. example.Args]);
            Assert.True(result.ExitCode == example.ExpectedExit, $"docs/cli.md line {example.Line}: {example.Text}\nexpected exit {example.ExpectedExit}\n{result}");
            if (example.ExpectedExit != 0)
            {
                Assert.StartsWith("eventuali: ", Assert.Single(result.ErrorLines), StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void The_extraction_splits_like_a_shell()
    {
        var examples = Extract("""
            text
            ```sh
            # a comment
            eventuali append --data '{"a": "b c"}' \
                --actor "x \"y\"" plain\ word   # exit 1
            not run
            ```
            ```console
            eventuali not-run
            ```
            """);
        var only = Assert.Single(examples);
        Assert.Equal(["append", "--data", """{"a": "b c"}""", "--actor", "x \"y\"", "plain word"], only.Args);
        Assert.Equal(1, only.ExpectedExit);
        Assert.Equal(4, only.Line);
    }

    internal sealed record Example(int Line, string Text, IReadOnlyList<string> Args, int ExpectedExit);

    internal static List<Example> Extract(string markdown)
    {
        var lines = markdown.Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        var examples = new List<Example>();
        var inSh = false;
        var inOther = false;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.StartsWith("```", StringComparison.Ordinal))
            {
                if (inSh || inOther)
                {
                    inSh = inOther = false;
                }
                else
                {
                    inSh = line.Trim() == "```sh";
                    inOther = !inSh;
                }

                continue;
            }

            if (!inSh || !line.StartsWith("eventuali ", StringComparison.Ordinal))
            {
                continue;
            }

            var start = i;
            var text = new StringBuilder(line);
            while (text.Length > 0 && text[^1] == '\\' && i + 1 < lines.Length)
            {
                text.Length--;
                text.Append(' ').Append(lines[++i].Trim());
            }

            var (args, exit) = Split(text.ToString());
            examples.Add(new Example(start + 1, text.ToString(), args.Skip(1).ToList(), exit));
        }

        return examples;
    }

    /// <summary>POSIX-style words: single quotes literal, double quotes with \" and \\, backslash escapes, # comments.</summary>
    private static (List<string> Words, int ExpectedExit) Split(string command)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        var exit = 0;
        for (var i = 0; i < command.Length; i++)
        {
            var c = command[i];
            if (c == '\'')
            {
                var end = command.IndexOf('\'', i + 1);
                Assert.True(end > 0, $"unclosed ' in: {command}");
                word.Append(command, i + 1, end - i - 1);
                inWord = true;
                i = end;
            }
            else if (c == '"')
            {
                inWord = true;
                for (i++; i < command.Length && command[i] != '"'; i++)
                {
                    if (command[i] == '\\' && i + 1 < command.Length && command[i + 1] is '"' or '\\' or '$' or '`')
                    {
                        i++;
                    }

                    word.Append(command[i]);
                }

                Assert.True(i < command.Length, $"unclosed \" in: {command}");
            }
            else if (c == '\\' && i + 1 < command.Length)
            {
                word.Append(command[++i]);
                inWord = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord)
                {
                    words.Add(word.ToString());
                    word.Clear();
                    inWord = false;
                }
            }
            else if (c == '#' && !inWord)
            {
                var match = ExitComment().Match(command[i..]);
                exit = match.Success ? int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
                break;
            }
            else
            {
                Assert.False(c is '|' or '>' or '<' or ';' or '&' or '$' or '`', $"docs examples run without a shell; '{c}' is not supported in: {command}");
                word.Append(c);
                inWord = true;
            }
        }

        if (inWord)
        {
            words.Add(word.ToString());
        }

        return (words, exit);
    }

    private static string DocsFile()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "docs", "cli.md");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("docs/cli.md was not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"^#\s*exit\s+(\d+)\s*$")]
    private static partial Regex ExitComment();
}
