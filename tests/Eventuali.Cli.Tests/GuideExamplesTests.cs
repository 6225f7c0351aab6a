namespace Eventuali.Cli.Tests;

/// <summary>
/// Runs the command-line examples of docs/schema-evolution.md and docs/testing.md like DocsExamplesTests runs
/// docs/cli.md: every "eventuali " line of a ```sh block, in order, in one scratch directory holding the sample
/// domain's assembly; each must exit 0, or the code its trailing "# exit N" comment states.
/// </summary>
public sealed class GuideExamplesTests
{
    [Theory]
    [InlineData("schema-evolution.md", 7)]
    [InlineData("testing.md", 2)]
    public async Task Every_command_line_example_runs_with_the_stated_exit_code(string guide, int atLeast)
    {
        var path = Path.Combine(Repository(), "docs", guide);
        var examples = DocsExamplesTests.Extract(File.ReadAllText(path));
        Assert.True(examples.Count >= atLeast, $"only {examples.Count} examples found in {guide}");
        using var dir = new TempDirectory();
        foreach (var file in new[] { "Eventuali.SampleDomain.dll" })
        {
            File.Copy(Path.Combine(AppContext.BaseDirectory, file), Path.Combine(dir.Path, file));
        }

        foreach (var example in examples)
        {
            var result = await CliProcess.RunAsync(dir.Path, [.. example.Args]);
            Assert.True(result.ExitCode == example.ExpectedExit, $"docs/{guide} line {example.Line}: {example.Text}\nexpected exit {example.ExpectedExit}\n{result}");
        }
    }

    private static string Repository()
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
}
