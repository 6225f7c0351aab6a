using Eventuali.Security.Encryption;
using Eventuali.Security.Keys;

namespace Eventuali.Benchmarking;

/// <summary>A temporary local key file for an encrypting run, deleted with its directory afterwards.</summary>
internal sealed class BenchmarkKeys : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("eventuali-bench-keys-").FullName;

    public FieldEncryption Encrypt(IEventStore store)
        => FieldEncryption.Create(store, new FieldEncryptionOptions(LocalKeyFile.Create(Path.Combine(_directory, "keys.json"))));

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary key file of a benchmark holds no data worth keeping.
        }
    }
}
