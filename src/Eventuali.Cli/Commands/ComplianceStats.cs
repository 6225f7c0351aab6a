using System.Globalization;
using System.Text;
using System.Text.Json;
using Eventuali.DataKeys;
using Eventuali.Integrity;

namespace Eventuali.Cli.Commands;

/// <summary>
/// The compliance section of <c>eventuali stats</c>: data subjects with keys, key versions, erased subjects, the
/// oldest key's age, the active KEK (with a key file) and the sealed state of the tamper-evident log. Read only:
/// nothing is sealed or verified here (<c>verify --chain</c> does that). Never holds key material.
/// </summary>
internal sealed record ComplianceStats(
    int Subjects,
    int KeyVersions,
    int ErasedSubjects,
    TimeSpan? OldestKeyAge,
    string? ActiveKekId,
    int? KeysUnderOtherKeks,
    ChainStats? Chain)
{
    /// <summary>The section, or null when the store has no key tables, or neither keys, erasures, a key file nor a sealed chain to show.</summary>
    public static async Task<ComplianceStats?> ReadAsync(IEventStore store, string? keyFile, TimeProvider clock, CancellationToken ct)
    {
        var chain = await ChainStats.ReadAsync(store, ct).ConfigureAwait(false);
        if (store.GetFeature<IDataKeyStore>() is not { } keys || !await HasKeyTablesAsync(keys, ct).ConfigureAwait(false))
        {
            return chain is null ? null : new ComplianceStats(0, 0, 0, null, null, null, chain);
        }

        var active = keyFile is null ? null : KeyFileOption.Load(keyFile).ActiveKeyId;
        var (subjects, versions, underOther) = (new HashSet<string>(StringComparer.Ordinal), 0, 0);
        DateTimeOffset? oldest = null;
        await foreach (var k in keys.ListDataKeysAsync(ct).ConfigureAwait(false))
        {
            subjects.Add(k.SubjectId);
            versions++;
            underOther += active is not null && k.KekId != active ? 1 : 0;
            oldest = oldest is { } o && o <= k.CreatedAt ? o : k.CreatedAt;
        }

        var erased = 0;
        await foreach (var _ in keys.ListErasedSubjectsAsync(ct).ConfigureAwait(false))
        {
            erased++;
        }

        if (versions == 0 && erased == 0 && active is null && chain is null)
        {
            return null;
        }

        return new ComplianceStats(subjects.Count, versions, erased, clock.GetUtcNow() - oldest, active, active is null ? null : underOther, chain);
    }

    // A store made before the key tables (migration 009) reports no store id; it has nothing to show.
    private static async Task<bool> HasKeyTablesAsync(IDataKeyStore keys, CancellationToken ct)
    {
        try
        {
            await keys.GetStoreIdAsync(ct).ConfigureAwait(false);
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    public void WriteJson(Utf8JsonWriter w)
    {
        w.WriteStartObject("compliance");
        w.WriteNumber("subjects_with_keys", Subjects);
        w.WriteNumber("key_versions", KeyVersions);
        w.WriteNumber("erased_subjects", ErasedSubjects);
        if (OldestKeyAge is { } age)
        {
            w.WriteNumber("oldest_key_age_days", Math.Round(age.TotalDays, 3));
        }
        else
        {
            w.WriteNull("oldest_key_age_days");
        }

        if (ActiveKekId is { } kek)
        {
            w.WriteString("active_kek_id", kek);
            w.WriteNumber("keys_under_other_keks", KeysUnderOtherKeks ?? 0);
        }

        if (Chain is { } c)
        {
            w.WriteStartObject("chain");
            w.WriteNumber("sealed_head", c.SealedHead);
            w.WriteNumber("head", c.Head);
            w.WriteNumber("checkpoints", c.Checkpoints);
            if (c.LastCheckpoint is { } at)
            {
                w.WriteString("last_checkpoint_at", at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
            }
            else
            {
                w.WriteNull("last_checkpoint_at");
            }

            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    public void WriteText(StringBuilder sb)
    {
        var c = CultureInfo.InvariantCulture;
        sb.AppendLine().AppendLine("Compliance");
        sb.Append(c, $"Subjects with keys  {Subjects:N0}").AppendLine();
        sb.Append(c, $"Key versions        {KeyVersions:N0}").AppendLine();
        sb.Append(c, $"Erased subjects     {ErasedSubjects:N0}").AppendLine();
        sb.Append(c, $"Oldest key age      {(OldestKeyAge is { } age ? $"{age.TotalDays:N1} days" : "n/a (no keys)")}").AppendLine();
        sb.Append(c, $"Active KEK          {(ActiveKekId is { } kek ? $"{kek} ({KeysUnderOtherKeks:N0} key(s) under other KEKs{(KeysUnderOtherKeks > 0 ? ": run 'keys rewrap'" : string.Empty)})" : "n/a (no key file given)")}").AppendLine();
        if (Chain is { } chain)
        {
            var state = chain.SealedHead >= chain.Head ? "sealed to the head" : $"{chain.Head - chain.SealedHead:N0} position(s) not sealed yet";
            sb.Append(c, $"Event chain         sealed through position {chain.SealedHead:N0} of {chain.Head:N0} ({state}); {chain.Checkpoints:N0} checkpoint(s)").AppendLine();
        }
        else
        {
            sb.AppendLine("Event chain         not enabled (nothing sealed)");
        }
    }
}

/// <summary>The tamper-evident log as stored: the highest sealed position, the head, and the checkpoints.</summary>
internal sealed record ChainStats(long SealedHead, long Head, int Checkpoints, DateTimeOffset? LastCheckpoint)
{
    /// <summary>The chain's state, or null when the store keeps no chain or nothing is sealed (the chain is not in use).</summary>
    public static async Task<ChainStats?> ReadAsync(IEventStore store, CancellationToken ct)
    {
        if (store.GetFeature<IEventChainStore>() is not { } chain || await chain.ReadLastEntryAsync(ct).ConfigureAwait(false) is not { } last)
        {
            return null;
        }

        var (count, latest) = (0, (DateTimeOffset?)null);
        await foreach (var checkpoint in chain.ReadCheckpointsAsync(ct).ConfigureAwait(false))
        {
            count++;
            latest = latest is { } l && l >= checkpoint.CreatedAt ? l : checkpoint.CreatedAt;
        }

        return new ChainStats(last.Position, await store.GetHeadPositionAsync(ct).ConfigureAwait(false), count, latest);
    }
}
