using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Eventuali.Security.Chain;

/// <summary>
/// SHA-256 of one contiguous input, for checking a million chain links. Where the OpenSSL libcrypto that .NET itself
/// uses on Linux is loadable, its one-shot <c>SHA256()</c> is called directly: through <see cref="IncrementalHash"/>
/// each event cost three interop calls, each clearing OpenSSL's error queue, together four times the hashing itself
/// (profiled). The direct call is checked against <see cref="SHA256.HashData(ReadOnlySpan{byte}, Span{byte})"/> once
/// before use; anywhere else (or if the check fails) the hash goes through .NET as before.
/// </summary>
internal sealed unsafe class ChainSha256 : IDisposable
{
    private static readonly delegate* unmanaged[Cdecl]<byte*, nuint, byte*, byte*> OneShot = Load();
    private readonly IncrementalHash? _managed = OneShot == null ? IncrementalHash.CreateHash(HashAlgorithmName.SHA256) : null;

    /// <summary>True when hashes are computed by libcrypto's one-shot call.</summary>
    public static bool IsDirect => OneShot != null;

    public void Hash(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        if (_managed is not null)
        {
            _managed.AppendData(source);
            _managed.GetHashAndReset(destination);
            return;
        }

        fixed (byte* s = source)
        fixed (byte* d = destination)
        {
            OneShot(s, (nuint)source.Length, d);
        }
    }

    public void Dispose() => _managed?.Dispose();

    private static delegate* unmanaged[Cdecl]<byte*, nuint, byte*, byte*> Load()
    {
        if (!OperatingSystem.IsLinux() || !NativeLibrary.TryLoad("libcrypto.so.3", out var library) || !NativeLibrary.TryGetExport(library, "SHA256", out var export))
        {
            return null;
        }

        var candidate = (delegate* unmanaged[Cdecl]<byte*, nuint, byte*, byte*>)export;
        Span<byte> input = stackalloc byte[300];
        for (var i = 0; i < input.Length; i++)
        {
            input[i] = (byte)(i * 7);
        }

        Span<byte> direct = stackalloc byte[32];
        fixed (byte* s = input)
        fixed (byte* d = direct)
        {
            candidate(s, (nuint)input.Length, d);
        }

        return direct.SequenceEqual(SHA256.HashData(input)) ? candidate : null;
    }
}
