using System.Text.RegularExpressions;

namespace Eventuali.Testing.Tests;

/// <summary>
/// The C# snippets of docs/testing.md and docs/schema-evolution.md are compiled code: each block after a
/// <c>&lt;!-- snippet: path#name --&gt;</c> line must equal the lines between <c>// snippet: name</c> and
/// <c>// end snippet</c> in that file (indentation removed), so the guides cannot drift from code that runs.
/// </summary>
public sealed partial class DocsSnippetTests
{
    [Theory]
    [InlineData("docs/testing.md", 8)]
    [InlineData("docs/schema-evolution.md", 2)]
    public void Every_snippet_in_the_guide_is_the_compiled_code(string doc, int atLeast)
    {
        var root = RepositoryRoot();
        var markdown = File.ReadAllLines(Path.Combine(root, doc));
        var checkedSnippets = 0;
        for (var i = 0; i < markdown.Length; i++)
        {
            var marker = Marker().Match(markdown[i]);
            if (!marker.Success)
            {
                continue;
            }

            Assert.StartsWith("```csharp", markdown[i + 1], StringComparison.Ordinal);
            var end = Array.FindIndex(markdown, i + 2, l => l.StartsWith("```", StringComparison.Ordinal));
            var shown = string.Join("\n", markdown[(i + 2)..end]);
            var source = File.ReadAllLines(Path.Combine(root, marker.Groups["path"].Value));
            Assert.Equal(Region(source, marker.Groups["name"].Value), shown);
            checkedSnippets++;
        }

        Assert.True(checkedSnippets >= atLeast, $"{doc}: only {checkedSnippets} snippet(s) found");
    }

    private static string Region(string[] source, string name)
    {
        var start = Array.FindIndex(source, l => l.Trim() == $"// snippet: {name}");
        Assert.True(start >= 0, $"no '// snippet: {name}' region");
        var end = Array.FindIndex(source, start + 1, l => l.Trim() == "// end snippet");
        var lines = source[(start + 1)..end];
        var indent = lines.Where(l => l.Trim().Length > 0).Min(l => l.Length - l.TrimStart().Length);
        return string.Join("\n", lines.Select(l => l.Length >= indent ? l[indent..] : l.Trim()));
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Eventuali.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Eventuali.sln not found above the test binaries.");
    }

    [GeneratedRegex(@"^<!-- snippet: (?<path>[^#]+)#(?<name>[\w-]+) -->$")]
    private static partial Regex Marker();
}
