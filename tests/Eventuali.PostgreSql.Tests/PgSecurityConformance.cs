using System.Diagnostics;
using System.Text;
using Eventuali.Conformance.Security;
using Eventuali.PostgreSql;

namespace Eventuali.PostgreSql.Tests;

public sealed class PgEncryption(PgConformanceFixture f) : EncryptionConformance<PgConformanceFixture>(f);

/// <summary>Key lifecycle on the real server; the erasure test scans a pg_dump of the store's schema.</summary>
public sealed class PgKeyLifecycle(PgConformanceFixture f) : KeyLifecycleConformance<PgConformanceFixture>(f)
{
    protected override ValueTask<byte[]?> DumpStorageAsync(IEventStore store) => PgStorage.DumpAsync(store);
}

/// <summary>Erasure of projection data on the real server; scans a pg_dump of the store's schema.</summary>
public sealed class PgErasureScrub(PgConformanceFixture f) : ErasureScrubConformance<PgConformanceFixture>(f)
{
    protected override ValueTask<byte[]?> DumpStorageAsync(IEventStore store) => PgStorage.DumpAsync(store);
}

internal static class PgStorage
{
    /// <summary>A pg_dump of the store's schema.</summary>
    public static async ValueTask<byte[]?> DumpAsync(IEventStore store)
    {
        var schema = ((PostgreSqlEventStore)store).Schema;
        var start = new ProcessStartInfo(PgDump(), ["--dbname", await PgTestServer.UrlAsync(), "--schema", schema])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var errors = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.True(process.ExitCode == 0, "pg_dump failed: " + await errors);
        var dump = await output;
        Assert.Contains("data_keys", dump, StringComparison.Ordinal);
        return Encoding.UTF8.GetBytes(dump);
    }

    // pg_dump from the same bin directory as the server (the newest installed), else the one on PATH.
    private static string PgDump()
        => Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin", "pg_dump")).Where(File.Exists).OrderBy(p => p, StringComparer.Ordinal).LastOrDefault() ?? "pg_dump"
            : "pg_dump";
}

public sealed class PgSubjectStreams(PgConformanceFixture f) : SubjectStreamsConformance<PgConformanceFixture>(f);
