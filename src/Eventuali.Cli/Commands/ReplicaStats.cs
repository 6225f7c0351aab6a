using System.Globalization;
using System.Text;
using System.Text.Json;
using Eventuali.PostgreSql;

namespace Eventuali.Cli.Commands;

/// <summary>The read replicas of a PostgreSQL store opened with <c>replica=</c>, for <c>eventuali stats</c>: reachable, lag, reads served.</summary>
internal static class ReplicaStats
{
    /// <summary>Each replica's status now, or null when the store has none configured.</summary>
    public static async Task<IReadOnlyList<PostgreSqlReplicaStatus>?> ReadAsync(IEventStore store, CancellationToken ct)
        => store.GetFeature<PostgreSqlEventStore>() is { } pg && await pg.GetReplicaStatusAsync(ct).ConfigureAwait(false) is { Count: > 0 } replicas
            ? replicas
            : null;

    public static void WriteJson(Utf8JsonWriter w, IReadOnlyList<PostgreSqlReplicaStatus> replicas)
    {
        w.WriteStartArray("replicas");
        foreach (var r in replicas)
        {
            w.WriteStartObject();
            w.WriteString("endpoint", r.Endpoint);
            w.WriteBoolean("reachable", r.Reachable);
            if (r.LagBytes is { } bytes)
            {
                w.WriteNumber("lag_bytes", bytes);
            }
            else
            {
                w.WriteNull("lag_bytes");
            }

            if (r.LagSeconds is { } seconds)
            {
                w.WriteNumber("lag_seconds", Math.Round(seconds, 3));
            }
            else
            {
                w.WriteNull("lag_seconds");
            }

            w.WriteBoolean("replay_paused", r.ReplayPaused);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    public static void WriteText(StringBuilder sb, IReadOnlyList<PostgreSqlReplicaStatus> replicas)
    {
        var c = CultureInfo.InvariantCulture;
        var width = Math.Max(7, replicas.Max(r => r.Endpoint.Length));
        sb.AppendLine().Append("Replica".PadRight(width)).AppendLine("   state        lag bytes   lag seconds");
        foreach (var r in replicas)
        {
            var state = !r.Reachable ? "down" : r.ReplayPaused ? "paused" : r.LagBytes is null ? "no standby" : "streaming";
            sb.Append(r.Endpoint.PadRight(width)).Append("   ").Append(state.PadRight(10))
              .Append(c, $"{(r.LagBytes is { } b ? b.ToString("N0", c) : "-"),13}")
              .Append(c, $"{(r.LagSeconds is { } s ? s.ToString("0.000", c) : "-"),14}").AppendLine();
        }
    }
}
