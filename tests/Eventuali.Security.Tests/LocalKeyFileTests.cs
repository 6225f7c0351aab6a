using System.Text;
using Eventuali.Security.Keys;

namespace Eventuali.Security.Tests;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class LocalKeyFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("eventuali-keys-").FullName;

    private string KeyPath => Path.Combine(_dir, "keys.json");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_new_key_file_is_readable_by_its_owner_only()
    {
        LocalKeyFile.Create(KeyPath);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(KeyPath));
    }

    [Fact]
    public void Creating_over_an_existing_file_is_refused_and_leaves_it_unchanged()
    {
        LocalKeyFile.Create(KeyPath);
        var before = File.ReadAllBytes(KeyPath);
        Assert.Throws<KeyProviderException>(() => LocalKeyFile.Create(KeyPath));
        Assert.Equal(before, File.ReadAllBytes(KeyPath));
    }

    [Fact]
    public void A_world_readable_key_file_is_refused()
    {
        LocalKeyFile.Create(KeyPath);
        File.SetUnixFileMode(KeyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        var e = Assert.Throws<KeyProviderException>(() => LocalKeyFile.Load(KeyPath));
        Assert.Contains("chmod 600", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_malformed_key_file_is_refused_without_quoting_it()
    {
        File.WriteAllText(KeyPath, "{\"format\": \"secret-material-123\"");
        File.SetUnixFileMode(KeyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var e = Assert.Throws<KeyProviderException>(() => LocalKeyFile.Load(KeyPath));
        Assert.DoesNotContain("secret-material", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrapped_keys_unwrap_after_reload_and_after_a_new_key_is_promoted()
    {
        var file = LocalKeyFile.Create(KeyPath);
        var aad = Encoding.UTF8.GetBytes("store/subject-1");
        var dek = new byte[32];
        dek[0] = 7;
        var oldKek = file.ActiveKeyId;
        var wrapped = await file.WrapAsync(oldKek, dek, aad, TestContext.Current.CancellationToken);

        var added = file.AddKey();
        Assert.Equal(oldKek, LocalKeyFile.Load(KeyPath).ActiveKeyId);
        file.Promote(added);

        var reloaded = LocalKeyFile.Load(KeyPath);
        Assert.Equal(added, reloaded.ActiveKeyId);
        Assert.Equal(dek, await reloaded.UnwrapAsync(oldKek, wrapped, aad, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_wrapped_key_with_other_associated_data_or_a_flipped_bit_does_not_unwrap()
    {
        var file = LocalKeyFile.Create(KeyPath);
        var wrapped = await file.WrapAsync(file.ActiveKeyId, new byte[32], "a"u8.ToArray(), TestContext.Current.CancellationToken);
        await Assert.ThrowsAsync<KeyProviderException>(async () => await file.UnwrapAsync(file.ActiveKeyId, wrapped, "b"u8.ToArray(), TestContext.Current.CancellationToken));
        wrapped[20] ^= 1;
        await Assert.ThrowsAsync<KeyProviderException>(async () => await file.UnwrapAsync(file.ActiveKeyId, wrapped, "a"u8.ToArray(), TestContext.Current.CancellationToken));
        await Assert.ThrowsAsync<KeyProviderException>(async () => await file.UnwrapAsync("kek-unknown", wrapped, "a"u8.ToArray(), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Signatures_verify_with_the_public_key_and_fail_on_other_data()
    {
        var file = LocalKeyFile.Create(KeyPath);
        var signature = await file.SignAsync("checkpoint"u8.ToArray(), TestContext.Current.CancellationToken);
        using var ecdsa = System.Security.Cryptography.ECDsa.Create();
        ecdsa.ImportSubjectPublicKeyInfo(await file.GetPublicKeyAsync(TestContext.Current.CancellationToken), out _);
        Assert.True(ecdsa.VerifyData("checkpoint"u8, signature, System.Security.Cryptography.HashAlgorithmName.SHA256));
        Assert.False(ecdsa.VerifyData("checkpoinT"u8, signature, System.Security.Cryptography.HashAlgorithmName.SHA256));
    }
}
