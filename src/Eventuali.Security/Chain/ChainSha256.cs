using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Eventuali.Security.Chain;

/// <summary>
/// SHA-256 of one contiguous input, for checking a million chain links. Where the OpenSSL libcrypto that .NET itself
/// uses on Linux is loadable, its SHA256_Init/Update/Final are called directly on a context on the stack: through
/// <see cref="IncrementalHash"/> each event cost three interop calls, each clearing OpenSSL's error queue, together
/// four times the hashing itself, and OpenSSL 3's one-shot <c>SHA256()</c> looks the algorithm up by name on every
/// call (both profiled). The direct calls are checked against
/// <see cref="SHA256.HashData(ReadOnlySpan{byte}, Span{byte})"/> once before use; anywhere else (or if the check
/// fails) the hash goes through .NET as before.
/// </summary>
internal sealed unsafe class ChainSha256 : IDisposable
{
    // SHA256_CTX is 112 bytes on every platform OpenSSL 3 supports; twice that leaves room to spare.
    private const int ContextSize = 224;
    private static readonly Functions Direct = Load();
    private readonly IncrementalHash? _managed = Direct.Final == null ? IncrementalHash.CreateHash(HashAlgorithmName.SHA256) : null;

    /// <summary>True when hashes are computed by libcrypto's one-shot call.</summary>
    public static bool IsDirect => Direct.Final != null;

    public void Hash(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        if (_managed is not null)
        {
            _managed.AppendData(source);
            _managed.GetHashAndReset(destination);
            return;
        }

        Run(Direct, source, destination);
    }

    public void Dispose() => _managed?.Dispose();

    private static void Run(Functions f, ReadOnlySpan<byte> source, Span<byte> destination)
    {
        byte* context = stackalloc byte[ContextSize];
        fixed (byte* s = source)
        fixed (byte* d = destination)
        {
            if (f.Init(context) != 1 || f.Update(context, s, (nuint)source.Length) != 1 || f.Final(d, context) != 1)
            {
                throw new CryptographicException("libcrypto's SHA-256 failed.");
            }
        }
    }

    private static Functions Load()
    {
        if (!OperatingSystem.IsLinux() || !NativeLibrary.TryLoad("libcrypto.so.3", out var library)
            || !NativeLibrary.TryGetExport(library, "SHA256_Init", out var init)
            || !NativeLibrary.TryGetExport(library, "SHA256_Update", out var update)
            || !NativeLibrary.TryGetExport(library, "SHA256_Final", out var final))
        {
            return default;
        }

        var candidate = new Functions(
            (delegate* unmanaged[Cdecl]<byte*, int>)init,
            (delegate* unmanaged[Cdecl]<byte*, byte*, nuint, int>)update,
            (delegate* unmanaged[Cdecl]<byte*, byte*, int>)final);
        var input = new byte[300];
        for (var i = 0; i < input.Length; i++)
        {
            input[i] = (byte)(i * 7);
        }

        Span<byte> direct = stackalloc byte[32];
        Run(candidate, input, direct);
        return direct.SequenceEqual(SHA256.HashData(input)) ? candidate : default;
    }

    private readonly struct Functions(delegate* unmanaged[Cdecl]<byte*, int> init, delegate* unmanaged[Cdecl]<byte*, byte*, nuint, int> update, delegate* unmanaged[Cdecl]<byte*, byte*, int> final)
    {
        public delegate* unmanaged[Cdecl]<byte*, int> Init { get; } = init;

        public delegate* unmanaged[Cdecl]<byte*, byte*, nuint, int> Update { get; } = update;

        public delegate* unmanaged[Cdecl]<byte*, byte*, int> Final { get; } = final;
    }
}
