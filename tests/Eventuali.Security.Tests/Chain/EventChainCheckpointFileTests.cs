using Eventuali.Integrity;
using Eventuali.Security.Chain;

namespace Eventuali.Security.Tests.Chain;

/// <summary>The exported checkpoint file: round trip, and every malformed field refused with the file and field named.</summary>
public sealed class EventChainCheckpointFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("eventuali-ckpt-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_written_checkpoint_reads_back_identically()
    {
        var hash = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        var original = new EventChainCheckpoint(123_456_789, hash, new DateTimeOffset(2026, 12, 4, 10, 11, 12, TimeSpan.Zero).AddTicks(1230), "sig-1", new byte[64]);
        var path = Path.Combine(_dir, "c.json");
        await EventChainCheckpointFile.WriteAsync(original, path, Ct);
        var read = await EventChainCheckpointFile.ReadAsync(path, Ct);
        Assert.Equal((original.Position, original.CreatedAt, original.KeyId), (read.Position, read.CreatedAt, read.KeyId));
        Assert.Equal(hash, read.ChainHash.ToArray());
        Assert.Equal(original.Signature.ToArray(), read.Signature.ToArray());
        Assert.False(File.Exists(path + ".tmp"));
    }

    [Theory]
    [InlineData("""{"format":"other","position":1}""", "format")]
    [InlineData("""{"format":"eventuali-chain-checkpoint-v1","position":0}""", "position")]
    [InlineData("""{"format":"eventuali-chain-checkpoint-v1","position":5,"chain_hash":"zz"}""", "chain_hash")]
    [InlineData("""{"format":"eventuali-chain-checkpoint-v1","position":5,"chain_hash":"00"}""", "chain_hash")]
    [InlineData("""{"format":"eventuali-chain-checkpoint-v1","position":5,"chain_hash":"0000000000000000000000000000000000000000000000000000000000000000","created_at":"yesterday"}""", "created_at")]
    [InlineData("""{"format":"eventuali-chain-checkpoint-v1","position":5,"chain_hash":"0000000000000000000000000000000000000000000000000000000000000000","created_at":"2026-01-01T00:00:00Z","key_id":"k","signature":"**"}""", "signature")]
    public async Task A_malformed_file_is_refused_naming_the_field(string json, string field)
    {
        var path = Path.Combine(_dir, "bad.json");
        await File.WriteAllTextAsync(path, json, Ct);
        var e = await Assert.ThrowsAsync<InvalidDataException>(async () => await EventChainCheckpointFile.ReadAsync(path, Ct));
        Assert.Contains($"'{field}'", e.Message, StringComparison.Ordinal);
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Text_that_is_not_json_is_refused()
    {
        var path = Path.Combine(_dir, "bad.json");
        await File.WriteAllTextAsync(path, "not json", Ct);
        await Assert.ThrowsAsync<InvalidDataException>(async () => await EventChainCheckpointFile.ReadAsync(path, Ct));
    }
}
