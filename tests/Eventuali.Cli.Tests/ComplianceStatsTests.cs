using System.Text.Json;

namespace Eventuali.Cli.Tests;

/// <summary>The compliance section of <c>eventuali stats</c>: shown once keys, erasures, a sealed chain or a key file are in play; absent otherwise.</summary>
public sealed class ComplianceStatsTests
{
    [Fact]
    public async Task Stats_shows_keys_erasures_the_active_kek_and_the_chain_and_nothing_more_for_a_store_without_them()
    {
        using var dir = new TempDirectory();
        const string db = "sqlite://c.db";
        await TransferTests.Ok(dir, "init", "-d", db);
        await TransferTests.Ok(dir, "append", "-d", db, "-s", "plain-1", "-t", "noted", "--data", """{"n":1}""");

        // A store using none of it: the output is what it always was.
        var plain = await TransferTests.Ok(dir, "stats", "-d", db, "--json");
        Assert.False(JsonDocument.Parse(plain.Out).RootElement.TryGetProperty("compliance", out _));
        Assert.DoesNotContain("Compliance", (await TransferTests.Ok(dir, "stats", "-d", db)).Out, StringComparison.Ordinal);

        var init = await TransferTests.Ok(dir, "keys", "init", "-d", db, "--key-file", "keys.json");
        var kek = JsonDocument.Parse(init.Out).RootElement.GetProperty("activeKeyId").GetString();
        foreach (var subject in new[] { "cust-1", "cust-2" })
        {
            await TransferTests.Ok(dir, "append", "-d", db, "--key-file", "keys.json", "-s", $"customer-{subject}", "-t", "registered",
                "--data", """{"email":"someone@example.org"}""", "--personal", "email", "--subject", subject);
        }

        await TransferTests.Ok(dir, "keys", "rotate", "-d", db, "--key-file", "keys.json", "--subject", "cust-2");
        await TransferTests.Ok(dir, "gdpr", "erase", "-d", db, "--key-file", "keys.json", "--subject", "cust-1");
        var unsealed = JsonDocument.Parse((await TransferTests.Ok(dir, "gdpr", "report", "-d", db, "--key-file", "keys.json")).Out).RootElement;
        Assert.Equal(JsonValueKind.Null, unsealed.GetProperty("chain").ValueKind);

        var keysOnly = JsonDocument.Parse((await TransferTests.Ok(dir, "stats", "-d", db, "--json")).Out).RootElement.GetProperty("compliance");
        Assert.Equal((1, 2, 1), (keysOnly.GetProperty("subjects_with_keys").GetInt32(), keysOnly.GetProperty("key_versions").GetInt32(), keysOnly.GetProperty("erased_subjects").GetInt32()));
        Assert.InRange(keysOnly.GetProperty("oldest_key_age_days").GetDouble(), 0, 1);
        Assert.False(keysOnly.TryGetProperty("active_kek_id", out _));
        Assert.False(keysOnly.TryGetProperty("chain", out _));

        await TransferTests.Ok(dir, "verify", "--chain", "-d", db);
        var stats = JsonDocument.Parse((await TransferTests.Ok(dir, "stats", "-d", db, "--key-file", "keys.json", "--json")).Out).RootElement;
        var compliance = stats.GetProperty("compliance");
        Assert.Equal((kek, 0), (compliance.GetProperty("active_kek_id").GetString(), compliance.GetProperty("keys_under_other_keks").GetInt32()));
        var chain = compliance.GetProperty("chain");
        Assert.Equal(chain.GetProperty("head").GetInt64(), chain.GetProperty("sealed_head").GetInt64());
        Assert.True(chain.GetProperty("sealed_head").GetInt64() >= 3, chain.ToString());
        Assert.Equal(4, stats.GetProperty("events").GetInt64());

        var report = JsonDocument.Parse((await TransferTests.Ok(dir, "gdpr", "report", "-d", db, "--key-file", "keys.json")).Out).RootElement;
        Assert.Equal(chain.GetProperty("sealed_head").GetInt64(), report.GetProperty("chain").GetProperty("sealedHead").GetInt64());

        var text = await TransferTests.Ok(dir, "stats", "-d", db, "--key-file", "keys.json");
        Assert.Contains(text.OutLines, l => l == "Compliance");
        Assert.Contains(text.OutLines, l => l == "Subjects with keys  1");
        Assert.Contains(text.OutLines, l => l == "Erased subjects     1");
        Assert.Contains(text.OutLines, l => l.StartsWith($"Active KEK          {kek} (0 key(s) under other KEKs)", StringComparison.Ordinal));
        Assert.Contains(text.OutLines, l => l.StartsWith("Event chain         sealed through position", StringComparison.Ordinal) && l.Contains("sealed to the head", StringComparison.Ordinal));
    }
}
