using Eventuali.Extensibility;

namespace Eventuali.Server;

/// <summary>
/// API keys kept in the store's own database, as the events of the stream <see cref="StreamId"/> (so every backend
/// keeps them, in the same transaction rules as any stream, with no table of their own). A key's secret is shown once
/// by <see cref="CreateAsync"/>; only a salted hash is stored. The HTTP API never serves or accepts that stream.
/// Thread-safe; keys created or revoked by another process are seen within <see cref="RefreshInterval"/>.
/// </summary>
public sealed class ApiKeyStore : IDisposable
{
    /// <summary>The stream holding the key events. Streams starting with <see cref="ReservedPrefix"/> are the server's own.</summary>
    public const string StreamId = ReservedPrefix + "apikeys";

    /// <summary>The stream-id prefix the HTTP API reserves: no caller reads or writes such a stream over HTTP.</summary>
    public const string ReservedPrefix = "$eventuali-";

    /// <summary>How long the key table is trusted before the key stream is read again for changes made elsewhere.</summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan UseResolution = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan UnknownKeyRefresh = TimeSpan.FromMilliseconds(250);
    private readonly IEventStore _store;
    private readonly TimeProvider _clock;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, ApiKeyRecord> _keys = new(StringComparer.Ordinal);
    private long _version;
    private long _refreshedAt = long.MinValue;

    /// <summary>Keys of <paramref name="store"/>, timed by <paramref name="clock"/> (default: the store's).</summary>
    public ApiKeyStore(IEventStore store, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        _clock = clock ?? store.Options.TimeProvider;
    }

    /// <summary>
    /// Creates a key with <paramref name="role"/> over streams starting with <paramref name="scope"/> ("" is all),
    /// for <paramref name="tenant"/> (recorded for later), expiring at <paramref name="expiresAt"/> (null: never).
    /// </summary>
    public async ValueTask<CreatedApiKey> CreateAsync(ApiRole role, string scope = "", string? tenant = null, DateTimeOffset? expiresAt = null, CancellationToken cancellationToken = default)
    {
        if (!Enum.IsDefined(role))
        {
            throw new ArgumentOutOfRangeException(nameof(role), role, "Role must be read, write or admin.");
        }

        ArgumentNullException.ThrowIfNull(scope);
        if (scope.Length > 0)
        {
            AppendValidation.ValidateNewStreamId(scope);
        }

        if (tenant is not null && (tenant.Length is 0 or > 200 || tenant.Any(char.IsControl)))
        {
            throw new ArgumentException("A tenant id must be 1-200 characters without control characters.", nameof(tenant));
        }

        var now = _clock.GetUtcNow();
        if (expiresAt is { } e && e <= now)
        {
            throw new ArgumentOutOfRangeException(nameof(expiresAt), expiresAt, "The expiry must be in the future.");
        }

        var (key, id, salt, hash) = ApiKeyFormat.NewKey();
        var info = new ApiKeyInfo(id, role, scope, tenant, now, expiresAt, null, null);
        await _store.AppendAsync(StreamId, ExpectedVersion.Any, [ApiKeyEvents.NewCreated(info, salt, hash, _clock)], cancellationToken).ConfigureAwait(false);
        await RefreshAsync(force: true, cancellationToken).ConfigureAwait(false);
        return new CreatedApiKey(key, _keys.TryGetValue(id, out var stored) ? stored.Info : info);
    }

    /// <summary>Every key, newest first, revoked and expired ones included.</summary>
    public async ValueTask<IReadOnlyList<ApiKeyInfo>> ListAsync(CancellationToken cancellationToken = default)
    {
        await RefreshAsync(force: true, cancellationToken).ConfigureAwait(false);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return [.. _keys.Values.Select(k => k.Info).OrderByDescending(k => k.CreatedAt).ThenBy(k => k.Id, StringComparer.Ordinal)];
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Revokes the key with public id <paramref name="id"/>; false when there is no such key or it was already revoked.</summary>
    public async ValueTask<bool> RevokeAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        await RefreshAsync(force: true, cancellationToken).ConfigureAwait(false);
        if (!_keys.TryGetValue(id, out var record) || record.Info.RevokedAt is not null)
        {
            return false;
        }

        await _store.AppendAsync(StreamId, ExpectedVersion.Any, [ApiKeyEvents.NewRevoked(id, _clock)], cancellationToken).ConfigureAwait(false);
        await RefreshAsync(force: true, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// The key presented as <paramref name="key"/> when it is known, its secret matches, and it is neither revoked nor
    /// expired; otherwise null (the reason is not told, so a caller learns nothing about other keys). Records the use.
    /// </summary>
    public async ValueTask<ApiKeyInfo?> AuthenticateAsync(string key, CancellationToken cancellationToken = default)
    {
        if (!ApiKeyFormat.TryParse(key, out var id, out var secret))
        {
            return null;
        }

        await RefreshAsync(force: false, cancellationToken).ConfigureAwait(false);
        var record = Find(id);
        if (record is null && Elapsed() >= UnknownKeyRefresh)
        {
            // Possibly created by another process a moment ago.
            await RefreshAsync(force: true, cancellationToken).ConfigureAwait(false);
            record = Find(id);
        }

        var now = _clock.GetUtcNow();
        if (record is null || !ApiKeyFormat.Matches(record.Salt, record.Hash, secret) || !record.Info.IsActiveAt(now))
        {
            return null;
        }

        if (record.LastUseRecorded is null || now - record.LastUseRecorded >= UseResolution)
        {
            record.LastUseRecorded = now;
            record.Info = record.Info with { LastUsedAt = now };
            await _store.AppendAsync(StreamId, ExpectedVersion.Any, [ApiKeyEvents.NewUsed(id, _clock)], cancellationToken).ConfigureAwait(false);
        }

        return record.Info;
    }

    /// <summary>Releases the lock guarding the key table.</summary>
    public void Dispose() => _gate.Dispose();

    private ApiKeyRecord? Find(string id)
    {
        lock (_keys)
        {
            return _keys.GetValueOrDefault(id);
        }
    }

    private TimeSpan Elapsed() => _clock.GetElapsedTime(Interlocked.Read(ref _refreshedAt));

    private async ValueTask RefreshAsync(bool force, CancellationToken cancellationToken)
    {
        if (!force && Interlocked.Read(ref _refreshedAt) != long.MinValue && Elapsed() < RefreshInterval)
        {
            return;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var started = _clock.GetTimestamp();
            await foreach (var e in _store.ReadStreamAsync(StreamId, _version + 1, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                lock (_keys)
                {
                    ApiKeyEvents.Apply(e, _keys);
                }

                _version = e.StreamVersion;
            }

            Interlocked.Exchange(ref _refreshedAt, started);
        }
        finally
        {
            _gate.Release();
        }
    }
}
