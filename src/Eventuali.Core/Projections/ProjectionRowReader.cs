using System.Data.Common;
using Eventuali.Projections;

namespace Eventuali.Extensibility;

/// <summary>
/// Maps a projection state row (columns in the order of the backends' projection queries) to a <see cref="ProjectionRow"/>.
/// Backends store the update time differently, so they pass it in.
/// </summary>
public static class ProjectionRowReader
{
    /// <summary>Maps the current row of a projection-state query to a <see cref="ProjectionRow"/>; <paramref name="updatedAt"/> is the row's update time in the backend's own conversion.</summary>
    public static ProjectionRow Read(DbDataReader r, DateTimeOffset updatedAt) => new(
        r.GetString(0),
        r.GetInt64(1),
        ProjectionStates.Parse(r.GetString(2)),
        r.IsDBNull(3) ? null : r.GetString(3),
        r.IsDBNull(4) ? null : r.GetString(4),
        r.IsDBNull(5) ? null : r.GetInt64(5),
        r.IsDBNull(6) ? null : r.GetInt64(6),
        r.GetInt64(7),
        r.GetInt64(8),
        updatedAt)
    {
        RetryRequests = r.FieldCount > 10 ? r.GetInt64(10) : 0,
    };
}
