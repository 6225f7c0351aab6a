using System.Security.Cryptography;
using Eventuali.Security.Chain;

namespace Eventuali.Security.Tests.Chain;

/// <summary>The chain's SHA-256 (libcrypto's one-shot call where loadable) gives .NET's SHA-256 at every length.</summary>
public sealed class ChainSha256Tests
{
    [Fact]
    public void It_matches_dotnets_sha256_across_block_boundaries()
    {
        using var sha = new ChainSha256();
        var input = new byte[70_000];
        new Random(14).NextBytes(input);
        Span<byte> computed = stackalloc byte[32];
        foreach (var length in (int[])[0, 1, 31, 32, 55, 56, 63, 64, 65, 119, 120, 300, 4096, 70_000])
        {
            sha.Hash(input.AsSpan(0, length), computed);
            Assert.True(computed.SequenceEqual(SHA256.HashData(input.AsSpan(0, length))), $"length {length}");
        }
    }

    [Fact]
    public void Where_libcrypto_loads_the_direct_call_is_in_use()
        => Assert.Equal(OperatingSystem.IsLinux() && System.Runtime.InteropServices.NativeLibrary.TryLoad("libcrypto.so.3", out _), ChainSha256.IsDirect);
}
