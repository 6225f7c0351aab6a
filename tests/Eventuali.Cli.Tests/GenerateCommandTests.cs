namespace Eventuali.Cli.Tests;

public sealed class GenerateCommandTests
{
    private static readonly string Assembly = Path.Combine(AppContext.BaseDirectory, "Eventuali.SampleDomain.dll");

    private static Task<CliProcess.Result> Run(TempDirectory dir, params string[] args) => CliProcess.RunAsync(dir.Path, args);

    [Fact]
    public async Task The_built_in_bank_domain_generates_the_same_history_for_the_same_seed()
    {
        using var dir = new TempDirectory();
        var first = await Run(dir, "generate", "--domain", "bank", "--streams", "30", "--events", "15", "--seed", "9", "-d", "sqlite://a.db");
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.StartsWith("Generated 30 streams, 450 events of domain 'bank' (seed 9) into sqlite://a.db in", first.Out.Trim(), StringComparison.Ordinal);
        Assert.Equal(0, (await Run(dir, "generate", "--domain", "bank", "--streams", "30", "--events", "15", "--seed", "9", "-d", "sqlite://b.db")).ExitCode);

        var a = await Run(dir, "export", "-d", "sqlite://a.db");
        var b = await Run(dir, "export", "-d", "sqlite://b.db");
        Assert.Equal(450, a.OutLines.Length);
        Assert.Equal(a.Out, b.Out); // ids, payloads, versions and timestamps
        Assert.Contains("\"streamId\":\"account-acct-9-000029\"", a.Out);

        // Valid by the domain's rules: the demo's account is never overdrawn, so replaying every stream works.
        var other = await Run(dir, "generate", "--domain", "bank", "--streams", "30", "--events", "15", "--seed", "10", "-d", "sqlite://c.db");
        Assert.Equal(0, other.ExitCode);
        Assert.NotEqual(a.Out, (await Run(dir, "export", "-d", "sqlite://c.db")).Out);
    }

    [Fact]
    public async Task An_applications_domain_comes_from_its_assembly_and_a_throwing_domain_writes_nothing()
    {
        using var dir = new TempDirectory();
        var shop = await Run(dir, "generate", "--assembly", Assembly, "--domain", "shop", "--streams", "5", "--events", "4", "-d", "sqlite://s.db");
        Assert.True(shop.ExitCode == 0, shop.ToString());
        var before = (await Run(dir, "export", "-d", "sqlite://s.db")).Out;

        var faulty = await Run(dir, "generate", "--assembly", Assembly, "--domain", "faulty-shop", "--streams", "5", "--events", "4", "--seed", "3", "-d", "sqlite://s.db");
        Assert.Equal(1, faulty.ExitCode);
        Assert.Equal("eventuali: Generator domain 'faulty-shop' failed on stream 2 (seed 3): Cart 3-000002 has no item never-added to remove. Nothing was written.", faulty.Error.Trim());
        Assert.Equal(before, (await Run(dir, "export", "-d", "sqlite://s.db")).Out);

        var again = await Run(dir, "generate", "--assembly", Assembly, "--domain", "shop", "--streams", "5", "--events", "4", "-d", "sqlite://s.db");
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("Stream 'cart-1-000000' already exists", again.Error);
        Assert.Equal(before, (await Run(dir, "export", "-d", "sqlite://s.db")).Out);
    }

    [Fact]
    public async Task Unknown_domains_and_bad_counts_are_usage_errors()
    {
        using var dir = new TempDirectory();
        var unknown = await Run(dir, "generate", "--domain", "zoo", "-d", "sqlite://z.db");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Equal("eventuali: No generator domain 'zoo' is built in; known: bank.", unknown.Error.Trim());

        var notInAssembly = await Run(dir, "generate", "--assembly", Assembly, "--domain", "bank", "-d", "sqlite://z.db");
        Assert.Equal(2, notInAssembly.ExitCode);
        Assert.Contains("known: shop, faulty-shop", notInAssembly.Error);

        var zero = await Run(dir, "generate", "--domain", "bank", "--streams", "0", "-d", "sqlite://z.db");
        Assert.Equal(2, zero.ExitCode);
        Assert.Contains("--streams", zero.Error);
        Assert.False(File.Exists(Path.Combine(dir.Path, "z.db")));
    }
}
